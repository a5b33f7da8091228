// The seller portal's texts are complete in five languages, and its pages show hostile text as text.
import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { ClaimSummary } from '../claims/ClaimsPage';
import { Decision } from '../ledger/DecisionsPage';
import { Question } from '../seller-inbox/CaseLogPage';
import { formatMoney } from './portal-kit';
import { sellerPortalNamespaces, sellerPortalPage, sellerPortalResources } from './seller-portal';
import { portalLanguages } from './texts';

type Tree = { [key: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`),
  );
const variables = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('seller portal texts', () => {
  for (const [ns, texts] of Object.entries(sellerPortalNamespaces)) {
    it(`${ns}: every key in every language, non-empty, with the same placeholders as English`, () => {
      const english = new Map(leaves(texts.en as Tree));
      for (const lang of portalLanguages) {
        const here = new Map(leaves(texts[lang] as Tree));
        expect([...here.keys()].sort(), `${ns}/${lang}`).toEqual([...english.keys()].sort());
        for (const [key, text] of here) {
          expect(text.trim(), `${ns}/${lang}/${key}`).not.toBe('');
          expect(variables(text), `${ns}/${lang}/${key}`).toEqual(variables(english.get(key)!));
        }
      }
    });
  }
});

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

async function render(element: ReturnType<typeof createElement>, lng = 'en') {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng,
    resources: sellerPortalResources(),
    interpolation: { escapeValue: false }, // React escapes
  });
  return renderToStaticMarkup(createElement(I18nextProvider, { i18n }, element));
}

describe('seller portal pages', () => {
  it('show hostile names, questions and descriptions as text', async () => {
    const html = [
      await render(
        createElement(Question, {
          question: {
            id: '1',
            caseNumber: HOSTILE,
            question: HOSTILE,
            askedAt: '2026-06-01T10:00:00Z',
            dueAt: '2026-06-02T10:00:00Z',
            status: 'answered',
            answer: HOSTILE,
            answeredAt: '2026-06-01T12:00:00Z',
            order: { externalId: HOSTILE },
          },
          onAnswered: () => {},
        }),
      ),
      await render(
        createElement(Decision, {
          decision: {
            id: 'd1',
            orderExternalId: HOSTILE,
            action: 'returnless_refund',
            reasonCode: 'defective_or_damaged',
            status: 'issued',
            amount: { items: 14900, shipping: 500, currency: 'EUR' },
            rule: HOSTILE,
            explanation: HOSTILE,
            facts: { note: HOSTILE },
            decidedAt: '2026-06-01T10:00:00Z',
            carrierClaim: {
              reason: 'damaged',
              carrier: HOSTILE,
              trackingNumber: HOSTILE,
              shippedAt: '2026-05-28T10:00:00Z',
              deliveredAt: null,
              events: [{ code: 'damaged', occurredAt: '2026-05-29T10:00:00Z', location: HOSTILE }],
              declaredValue: { amount: 15400, currency: 'EUR' },
            },
            reimbursement: { eligibility: '/x' },
          },
        }),
      ),
    ].join('');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('formats money and dates in the page’s language', async () => {
    expect(formatMoney(-15400, 'EUR', 'it')).toBe('-154,00\u00a0€');
    expect(formatMoney(15400, 'EUR', 'en')).toBe('€154.00');
    expect(formatMoney(1500, 'JPY', 'de')).toBe('1.500\u00a0¥');
    const claim = {
      id: 'c1',
      marketplace: 'IT',
      orderExternalId: 'O-1',
      reason: 'item_not_returned',
      description: 'x',
      status: 'under_review',
      stage: 'first',
      currency: 'EUR',
      requestedAmount: 5990,
      grantedAmount: 0,
      decision: null,
      replyBy: null,
      appealBy: null,
      filedAt: '2026-06-01T10:00:00Z',
      decidedAt: null,
      events: [],
      evidence: [],
    };
    const it = await render(createElement(ClaimSummary, { claim }), 'it');
    expect(it).toContain('Richiesti 59,90');
    expect(it).toContain('In revisione');
    const de = await render(createElement(ClaimSummary, { claim }), 'de');
    expect(de).toContain('Beantragt 59,90');
    expect(de).toContain('Gestellt 01.06.2026');
  });

  it('has a page for each portal path and none for others', () => {
    for (const path of ['/seller', '/seller/', '/seller/case-log', '/seller/decisions', '/seller/ledger']) {
      expect(sellerPortalPage(path), path).not.toBeNull();
    }
    expect(sellerPortalPage('/seller/claims/0b6f4c1e-0000-4000-8000-000000000000')).not.toBeNull();
    expect(sellerPortalPage('/agent')).toBeNull();
    expect(sellerPortalPage('/seller/nothing')).toBeNull();
  });
});
