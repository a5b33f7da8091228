import { describe, expect, it } from 'vitest';
import { type EntityContext, extractEntities, matchBuyerOrder, parseAmount } from './entities';

// Thursday 12 March 2026, 10:00 in Rome.
const ctx: EntityContext = {
  now: new Date('2026-03-12T09:00:00Z'),
  timeZone: 'Europe/Rome',
  currency: 'EUR',
};
const dates = (text: string) =>
  extractEntities(text, ctx).dates.map((d) => (d.end ? `${d.date}..${d.end}` : d.date));

describe('relative and absolute dates, resolved against the clock', () => {
  it.each([
    ['en', 'I ordered it yesterday', ['2026-03-11']],
    ['it', "l'ho ordinato ieri", ['2026-03-11']],
    ['es', 'lo pedí ayer', ['2026-03-11']],
    ['fr', "je l'ai commandé hier", ['2026-03-11']],
    ['de', 'gestern bestellt', ['2026-03-11']],
    ['en', 'it was sent last Tuesday', ['2026-03-10']],
    ['it', 'spedito martedì scorso', ['2026-03-10']],
    ['es', 'lo enviaron el martes pasado', ['2026-03-10']],
    ['fr', 'envoyé mardi dernier', ['2026-03-10']],
    ['de', 'letzten Dienstag verschickt', ['2026-03-10']],
    ['en', 'last Thursday', ['2026-03-05']], // the same weekday means a week ago
    ['en', 'I ordered last week', ['2026-03-02..2026-03-08']],
    ['it', 'ordinato la settimana scorsa', ['2026-03-02..2026-03-08']],
    ['es', 'lo compré la semana pasada', ['2026-03-02..2026-03-08']],
    ['fr', 'commandé la semaine dernière', ['2026-03-02..2026-03-08']],
    ['de', 'letzte Woche bestellt', ['2026-03-02..2026-03-08']],
    ['en', 'two weeks ago and still nothing', ['2026-02-26']],
    ['it', 'ordinato 10 giorni fa', ['2026-03-02']],
    ['es', 'hace 3 días', ['2026-03-09']],
    ['fr', 'il y a 2 jours', ['2026-03-10']],
    ['de', 'vor 5 Tagen', ['2026-03-07']],
    ['it', 'consegna prevista il 3 marzo', ['2026-03-03']],
    ['es', 'el 28 de febrero', ['2026-02-28']],
    ['fr', 'le 14 juillet 2025', ['2025-07-14']],
    ['de', 'am 24. Dezember', ['2025-12-24']], // no year: the latest past 24 December
    ['en', 'on March 1st', ['2026-03-01']],
    ['de', 'Bestellung vom 05.03.2026', ['2026-03-05']],
    ['it', 'il 31/02/2026', []], // no such day
  ])('%s: %s', (_lang, text, expected) => {
    expect(dates(text)).toEqual(expected);
  });

  it('uses the marketplace time zone for "today"', () => {
    const lateInNewYork = { ...ctx, now: new Date('2026-03-12T03:00:00Z'), timeZone: 'America/New_York' };
    expect(extractEntities('today', lateInNewYork).dates[0]!.date).toBe('2026-03-11');
  });
});

describe('amounts with currency', () => {
  it.each([
    ['I was charged $49.99 twice', [{ amount: 4999, currency: 'USD' }]],
    ['mi avete addebitato 19,90 € in più', [{ amount: 1990, currency: 'EUR' }]],
    ['me cobraron 1.234,50 euros', [{ amount: 123450, currency: 'EUR' }]],
    ['rembourser 25 EUR svp', [{ amount: 2500, currency: 'EUR' }]],
    ['Ich habe EUR 12,5 bezahlt', [{ amount: 1250, currency: 'EUR' }]],
    ['it cost 1,299.00 dollars', [{ amount: 129900, currency: 'USD' }]],
    ['I bought 3 of them', []], // a number without currency is not an amount
  ])('%s', (text, expected) => {
    expect(extractEntities(text, ctx).amounts.map(({ amount, currency }) => ({ amount, currency }))).toEqual(
      expected,
    );
  });

  it('parses separators both ways', () => {
    expect(parseAmount('1.234,56')).toBe(123456);
    expect(parseAmount('1,234.56')).toBe(123456);
    expect(parseAmount('12')).toBe(1200);
  });
});

describe('order numbers and e-mail addresses', () => {
  it('finds order numbers in the marketplace format, and does not read them as amounts or dates', () => {
    const e = extractEntities(
      'ordine 402-8817263-1192045 di 30 euro, scrivetemi a mario.rossi@example.it',
      ctx,
    );
    expect(e.orderNumbers).toEqual(['402-8817263-1192045']);
    expect(e.amounts.map((a) => a.amount)).toEqual([3000]);
    expect(e.emails).toEqual(['mario.rossi@example.it']);
    expect(e.dates).toEqual([]);
  });

  it('uses a configured order-number format', () => {
    const custom = { ...ctx, orderNumberPattern: '^FR-[0-9]{8}$' };
    expect(extractEntities('commande FR-12345678 et 402-8817263-1192045', custom).orderNumbers).toEqual([
      'FR-12345678',
    ]);
  });
});

describe('order references in any form', () => {
  it.each([
    ['en', 'where is purchase 113542617735902?', '113542617735902'],
    ['en', 'help adding an article to order 00004587345', '00004587345'],
    ['it', "dov'è l'ordine n. 12345678?", '12345678'],
    ['es', 'mi pedido 12345678 no ha llegado', '12345678'],
    ['es', 'el pedido número 12345678', '12345678'],
    ['fr', 'commande n° 12345678 toujours pas reçue', '12345678'],
    ['fr', 'mon colis 8812345 est bloqué', '8812345'],
    ['de', 'Bestellnummer 3707955617 ist nicht angekommen', '3707955617'],
    ['de', 'Bestell-Nr. 3707955617', '3707955617'],
  ])('%s: a number the buyer calls an order is a candidate reference: %s', (_lang, text, ref) => {
    const e = extractEntities(text, ctx);
    expect(e.orderReferences).toEqual([ref]);
    expect(e.amounts).toEqual([]);
    expect(e.dates).toEqual([]);
  });

  it('leaves numbers no order word names, and those in the marketplace format, where they were', () => {
    expect(extractEntities('I ordered 12345 units', ctx).orderReferences).toEqual([]);
    expect(extractEntities('parcel 2 of 3 is missing', ctx).orderReferences).toEqual([]);
    const both = extractEntities('order 402-8817263-1192045', ctx);
    expect(both).toMatchObject({ orderNumbers: ['402-8817263-1192045'], orderReferences: [] });
  });

  it("finds the buyer's own order a reference names, but for dashes, spaces and case", () => {
    const ids = ['402-8817263-1192045', '3707955617', 'A-77812'];
    const of = (text: string) => matchBuyerOrder(extractEntities(text, ctx), ids);
    expect(of('Bestellnummer 3707955617 fehlt')).toBe('3707955617');
    expect(of('order 402-8817263-1192045')).toBe('402-8817263-1192045');
    expect(matchBuyerOrder({ orderNumbers: [], orderReferences: ['a77812'] }, ids)).toBe('A-77812');
    expect(of('ordine n. 12345678')).toBeNull(); // a candidate, but not this buyer's order
    expect(of('where is my order')).toBeNull();
  });
});
