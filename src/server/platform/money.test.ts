import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, formatMoney, minorUnits, money, percentOf, subtract, withJsonAmounts } from './money';

describe('money', () => {
  it.each([
    [1999n, 'EUR', 'it-IT', '19,99\u00a0€'],
    [1999n, 'USD', 'en-US', '$19.99'],
    [123456789n, 'EUR', 'de-DE', '1.234.567,89\u00a0€'],
    [-500n, 'EUR', 'fr-FR', '-5,00\u00a0€'],
    [1500n, 'JPY', 'en-US', '¥1,500'],
    [9007199254740993n, 'USD', 'en-US', '$90,071,992,547,409.93'],
  ])('formats %s %s in %s as %s', (amount, currency, locale, expected) => {
    expect(formatMoney(money(amount, currency), locale).replace(/\u202f/g, '\u00a0')).toBe(expected);
  });

  it('sends amounts as JSON integers, exactly or not at all', () => {
    expect(minorUnits(-1999n)).toBe(-1999);
    expect(() => minorUnits(2n ** 53n)).toThrow(RangeError);
    const at = new Date('2026-03-12T09:00:00Z');
    expect(
      JSON.parse(JSON.stringify(withJsonAmounts({ a: 1n, l: [{ b: -2n }], s: '3', at, n: null }))),
    ).toEqual({
      a: 1,
      l: [{ b: -2 }],
      s: '3',
      at: at.toISOString(),
      n: null,
    });
  });

  it('refuses to add different currencies', () => {
    expect(() => add(money(1, 'EUR'), money(1, 'USD'))).toThrow(/Currency mismatch/);
  });

  it('rounds percentages half away from zero', () => {
    expect(percentOf(money(1001n, 'EUR'), 50).amount).toBe(501n);
    expect(percentOf(money(-1001n, 'EUR'), 50).amount).toBe(-501n);
    expect(percentOf(money(999n, 'EUR'), 33.33).amount).toBe(333n);
  });

  it('add and subtract are exact inverses', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        (a, b) => {
          expect(subtract(add(money(a, 'EUR'), money(b, 'EUR')), money(b, 'EUR')).amount).toBe(a);
        },
      ),
    );
  });
});
