import { describe, expect, it } from 'vitest';
import { render, templateLanguages, templateNames } from './templates';

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
      grantedAmount: '1000',
      currency: 'EUR',
      appealBy: '2026-12-22T10:00:00.000Z',
    };
    expect(render('claim_update', 'it', data)).toMatchObject({
      subject: 'La tua richiesta di rimborso: accolta in parte',
      body: expect.stringContaining('Rimborsato: 1000 (EUR'),
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
});
