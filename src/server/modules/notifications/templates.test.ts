import { describe, expect, it } from 'vitest';
import { formatMoney, money } from '../../platform/money';
import { contactTopics } from '../routing';
import {
  reasonPhrases,
  refundReasons,
  render,
  templateLanguages,
  templateNames,
  topicPhrases,
} from './templates';

/** Nothing a reader cannot read: no code (snake_case, or the bare code outside its own words), no minor units. */
function expectReadable(text: string, code: string, phrase: string) {
  expect(text).toContain(phrase);
  expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
  if (!phrase.includes(code)) expect(text).not.toMatch(new RegExp(`\\b${code}\\b`));
  expect(text).not.toMatch(/minor units|centesimi|céntimos|centimes|\bCent\b|\(EUR/);
}

describe('notification templates', () => {
  it('exist in every language and never print a missing value as “undefined”', () => {
    for (const name of templateNames)
      for (const lang of templateLanguages) {
        const r = render(name, lang, {});
        expect(r.subject.length, `${name}/${lang}`).toBeGreaterThan(5);
        expect(`${r.subject} ${r.body}`).not.toMatch(/undefined|null|NaN/);
      }
  });

  it('tell the seller a claim’s outcome, the amount and the appeal date in its language', () => {
    const data = {
      status: 'partially_granted',
      grantedAmount: 1000,
      currency: 'EUR',
      appealBy: '2026-12-22T10:00:00.000Z',
    };
    expect(render('claim_update', 'it', data)).toMatchObject({
      subject: 'La tua richiesta di rimborso: accolta in parte',
      body: expect.stringContaining('Rimborsato: 10,00\u00a0€.'),
    });
    expect(render('claim_update', 'de', data).body).toContain('2026-12-22 10:00 UTC');
    const asked = render('claim_update', 'fr', {
      status: 'awaiting_seller',
      question: 'Des photos ?',
      replyBy: '2026-11-29T10:00:00Z',
    });
    expect(asked.body).toContain('Des photos ?');
    expect(asked.subject).toContain('en attente de votre réponse');
  });

  it('give every refund reason a phrase in every language, and write the amount as the reader writes money', () => {
    for (const lang of templateLanguages)
      for (const reason of refundReasons) {
        const phrase = reasonPhrases[lang][reason];
        expect(phrase, `${reason}/${lang}`).toBeTruthy();
        const { body } = render('refund_decision', lang, { amount: 15400, currency: 'EUR', reason });
        expectReadable(body, reason, phrase);
        expect(body).toContain(formatMoney(money(15400n, 'EUR'), lang));
      }
    expect(
      render('refund_decision', 'it', { amount: 15400, currency: 'EUR', reason: 'goodwill' }).body,
    ).toContain("rimborsato all'acquirente 154,00\u00a0€ e lo ha addebitato");
    expect(
      render('refund_decision', 'en', { amount: 1500, currency: 'JPY', reason: 'goodwill' }).body,
    ).toContain('¥1,500');
  });

  it('give every contact topic a phrase in every language', () => {
    for (const lang of templateLanguages)
      for (const topic of contactTopics) {
        const phrase = topicPhrases[lang][topic];
        expect(phrase, `${topic}/${lang}`).toBeTruthy();
        expectReadable(render('buyer_message', lang, { threadId: 't', topic }).body, topic, phrase);
      }
    expect(render('buyer_message', 'it', { topic: 'invoice' }).body).toContain('Argomento: fattura.');
  });

  it('write a claim’s reimbursement in the reader’s money, in every language', () => {
    for (const lang of templateLanguages) {
      const { subject, body } = render('claim_update', lang, {
        status: 'granted',
        grantedAmount: 5990,
        currency: 'EUR',
      });
      expect(body).toContain(formatMoney(money(5990n, 'EUR'), lang));
      expect(`${subject} ${body}`).not.toMatch(/5990|minor units|centesimi|céntimos|centimes|\bCent\b|_/);
    }
  });
});
