// Every code the server can send to a page has words in each language (SPEC: pages in five
// languages; issue 17: no raw codes on screen). The lists are the server's own enums.
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import {
  carrierEventCodes,
  returnAuthorisations,
  returnReasons,
} from '../../../contracts/marketplace-records';
import {
  caseEventActors,
  caseEventKinds,
  caseStatuses,
  unassignableReasons,
} from '../../../server/modules/cases';
import { ledgerDecisionKinds } from '../../../server/modules/ledger';
import { notificationCategories } from '../../../server/modules/notifications/templates';
import { concessionActions, concessionReasons, concessionRules } from '../../../server/modules/refunds';
import { returnDecisionReasons } from '../../../server/modules/returns';
import { contactTopics, routingReasons } from '../../../server/modules/routing';
import { texts as caseTexts } from '../../modules/cases/texts';
import { texts as notificationTexts } from '../../modules/notifications/texts';
import { webLanguages } from '../languages';
import { wordsFor } from './codes';
import type { CodeGroup } from './texts';
import { texts } from './texts';

const sent: Record<CodeGroup, readonly string[]> = {
  topic: contactTopics,
  routingReason: routingReasons,
  event: caseEventKinds,
  actor: caseEventActors,
  concessionAction: concessionActions,
  concessionReason: concessionReasons,
  rule: [...concessionRules, ...returnDecisionReasons, 'seller_refund_deadline_passed'],
  returnReason: returnReasons,
  returnAuthorisation: returnAuthorisations,
  carrierEvent: carrierEventCodes,
  ledgerDecision: ledgerDecisionKinds,
  unassignable: unassignableReasons,
};

describe('domain codes in words', () => {
  for (const lang of webLanguages)
    it(`has words for every code the server sends (${lang})`, () => {
      const missing = Object.entries(sent).flatMap(([group, codes]) =>
        codes.filter((code) => !texts[lang][`${group}.${code}`]?.trim()).map((code) => `${group}.${code}`),
      );
      expect(missing).toEqual([]);
    });

  it('translates them: no language but English uses the English words for a whole group', () => {
    for (const lang of webLanguages.filter((l) => l !== 'en'))
      for (const group of Object.keys(sent)) {
        const keys = Object.keys(texts.en).filter((k) => k.startsWith(`${group}.`));
        const same = keys.filter((k) => texts[lang][k] === texts.en[k]);
        expect(same.length, `${lang} ${group}: ${same.join(', ')}`).toBeLessThan(keys.length);
      }
  });

  it('lists no code the server cannot send (a stale text is a renamed code)', () => {
    const known = new Set(Object.entries(sent).flatMap(([g, codes]) => codes.map((c) => `${g}.${c}`)));
    expect(Object.keys(texts.en).filter((k) => !known.has(k))).toEqual([]);
  });

  it('names every notification category the server sends, in each language (the portal lists them)', () => {
    for (const lang of webLanguages)
      expect(notificationCategories.filter((c) => !notificationTexts[lang][`category.${c}`])).toEqual([]);
  });

  it('shows words in the page language, and the code itself for one it does not know', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({
      lng: 'de',
      fallbackLng: false,
      ns: ['codes'],
      resources: { de: { codes: texts.de }, en: { codes: texts.en } },
      interpolation: { escapeValue: false },
    });
    const words = wordsFor(i18n.t);
    expect(words('topic', 'order_status')).toBe('Wo ist meine Bestellung');
    expect(words('rule', 'not_allowed:already_shipped')).toBe(texts.de['rule.already_shipped']);
    expect(words('topic', 'teleportation')).toBe('teleportation');
    expect(words('event', null)).toBe('—');
  });

  it('names every case status and channel in the console’s texts, in each language', () => {
    for (const lang of webLanguages)
      expect(
        [
          ...caseStatuses.map((s) => `status_${s}`),
          ...['chat', 'email', 'phone'].map((c) => `channel_${c}`),
        ].filter((key) => !(caseTexts[lang] as Record<string, string>)[key]),
      ).toEqual([]);
  });
});
