import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  automaticGrant,
  type ClaimFacts,
  type ClaimReason,
  checkReview,
  claimableAmount,
  claimEligibility,
  DEFAULT_CLAIM_SETTINGS as S,
} from './claim-policy';

const refundedAt = new Date('2026-05-01T10:00:00Z');
const facts = (over: Partial<ClaimFacts> = {}): ClaimFacts => ({
  currency: 'EUR',
  orderValue: 10_000n,
  marketplaceRefunds: [{ concessionId: 'c1', items: 9_000n, shipping: 1_000n, refundedAt }],
  refundedBySeller: false,
  alreadyClaimed: false,
  return: null,
  ...over,
});
const returned = (over: Partial<NonNullable<ClaimFacts['return']>> = {}) => ({
  authorisedAt: new Date('2026-04-20T10:00:00Z'),
  receivedAt: null,
  scanned: false,
  lostInTransit: false,
  buyerFault: true,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('who may claim (T2 eligibility)', () => {
  const cases: {
    name: string;
    facts: ClaimFacts;
    reason?: ClaimReason;
    amount?: bigint | null;
    now?: string;
    codes: string[];
  }[] = [
    { name: 'a marketplace refund inside the window', facts: facts(), codes: [] },
    {
      name: 'nothing refunded',
      facts: facts({ marketplaceRefunds: [] }),
      codes: ['not_refunded_by_marketplace'],
    },
    {
      name: 'the seller refunded it itself',
      facts: facts({ marketplaceRefunds: [], refundedBySeller: true }),
      codes: ['refunded_by_seller'],
    },
    { name: 'a second claim', facts: facts({ alreadyClaimed: true }), codes: ['already_claimed'] },
    {
      name: 'the last day of the window',
      facts: facts(),
      now: '2026-05-31T10:00:00Z',
      codes: [],
    },
    {
      name: 'a day after the window',
      facts: facts(),
      now: '2026-06-01T10:00:01Z',
      codes: ['past_filing_window'],
    },
    {
      name: 'the window runs from the return’s later delivery',
      facts: facts({ return: returned({ receivedAt: new Date('2026-05-20T10:00:00Z'), scanned: true }) }),
      now: '2026-06-15T10:00:00Z',
      codes: [],
    },
    {
      name: 'a return lost in transit is a carrier claim',
      facts: facts({ return: returned({ lostInTransit: true, scanned: true }) }),
      codes: ['carrier_claim_instead'],
    },
    {
      name: 'more than the cap',
      facts: facts({
        orderValue: 900_000n,
        marketplaceRefunds: [{ concessionId: 'c', items: 900_000n, shipping: 0n, refundedAt }],
      }),
      amount: 600_000n,
      codes: ['over_cap'],
    },
    { name: 'more than was refunded', facts: facts(), amount: 10_001n, codes: ['exceeds_claimable'] },
    {
      name: 'buyer damage above half the order value',
      facts: facts(),
      reason: 'returned_damaged_by_buyer',
      amount: 5_001n,
      codes: ['exceeds_claimable'],
    },
    {
      name: 'return shipping when none was refunded',
      facts: facts({ marketplaceRefunds: [{ concessionId: 'c', items: 9_000n, shipping: 0n, refundedAt }] }),
      reason: 'return_shipping_wrongly_refunded',
      codes: ['nothing_to_claim'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = claimEligibility(
        S,
        c.facts,
        c.reason ?? 'item_not_returned',
        c.amount ?? null,
        at(c.now ?? '2026-05-10T00:00:00Z'),
      );
      expect(e.problems.map((p) => p.code)).toEqual(c.codes);
      expect(e.eligible).toBe(c.codes.length === 0);
      for (const p of e.problems) expect(p.message.length).toBeGreaterThan(10);
    });
  }

  it('a claim that could be worth nothing is refused, not filed at zero', () => {
    const free = facts({ orderValue: 0n });
    expect(
      claimEligibility(S, free, 'returned_damaged_by_buyer', null, at('2026-05-10T00:00:00Z')).problems.map(
        (p) => p.code,
      ),
    ).toEqual(['nothing_to_claim']);
  });

  it('caps in the currency’s own minor units (5,000 yen is 5,000)', () => {
    const f = facts({
      currency: 'JPY',
      orderValue: 9_000n,
      marketplaceRefunds: [{ concessionId: 'c', items: 9_000n, shipping: 0n, refundedAt }],
    });
    expect(claimableAmount(S, f, 'other')).toBe(5_000n);
  });
});

describe('claims the data prove (automatic grants)', () => {
  it('grants “not returned” when the authorised return has no scan after N days', () => {
    const f = facts({ return: returned() });
    expect(automaticGrant(S, f, 'item_not_returned', 10_000n, at('2026-05-20T10:00:00Z'))).toMatchObject({
      amount: 10_000n,
      rule: 'no_return_scan_after_authorisation',
    });
    expect(automaticGrant(S, f, 'item_not_returned', 10_000n, at('2026-05-20T09:59:59Z'))).toBeNull();
  });
  it('does not when the carrier scanned the return or it arrived', () => {
    const now = at('2026-06-20T10:00:00Z');
    expect(
      automaticGrant(S, facts({ return: returned({ scanned: true }) }), 'item_not_returned', 1n, now),
    ).toBeNull();
    expect(
      automaticGrant(S, facts({ return: returned({ receivedAt: now }) }), 'item_not_returned', 1n, now),
    ).toBeNull();
    expect(automaticGrant(S, facts(), 'item_not_returned', 1n, now)).toBeNull();
  });
  it('grants return shipping refunded on a buyer-fault return, not on a seller-fault one', () => {
    const now = at('2026-05-02T00:00:00Z');
    expect(
      automaticGrant(S, facts({ return: returned() }), 'return_shipping_wrongly_refunded', 1_000n, now)?.rule,
    ).toBe('buyer_fault_return_shipping_refunded');
    expect(
      automaticGrant(
        S,
        facts({ return: returned({ buyerFault: false }) }),
        'return_shipping_wrongly_refunded',
        1_000n,
        now,
      ),
    ).toBeNull();
  });
  it('leaves every other reason to a reviewer', () => {
    const now = at('2026-07-01T00:00:00Z');
    for (const r of [
      'returned_damaged_by_buyer',
      'returned_different_item',
      'delivered_not_received_with_proof',
      'other',
    ] as const)
      expect(automaticGrant(S, facts({ return: returned() }), r, 1n, now)).toBeNull();
  });
});

describe('what a reviewer may grant', () => {
  const claim = { reason: 'returned_different_item' as const, requested: 8_000n, alreadyGranted: 0n };
  it('a full grant pays what was claimed', () => {
    expect(checkReview(S, facts(), claim, { outcome: 'grant', amount: null, denialReason: null })).toEqual({
      total: 8_000n,
      problems: [],
    });
  });
  it('a partial grant is above zero and below the claim', () => {
    expect(
      checkReview(S, facts(), claim, { outcome: 'partial', amount: 3_000n, denialReason: null }).problems,
    ).toEqual([]);
    expect(
      checkReview(S, facts(), claim, { outcome: 'partial', amount: 8_000n, denialReason: null }).problems[0]!
        .code,
    ).toBe('exceeds_claimable');
    expect(
      checkReview(S, facts(), claim, { outcome: 'partial', amount: null, denialReason: null }).problems[0]!
        .code,
    ).toBe('amount_required');
  });
  it('buyer damage: at most 50 % of the order value', () => {
    const damaged = { reason: 'returned_damaged_by_buyer' as const, requested: 5_000n, alreadyGranted: 0n };
    expect(
      checkReview(S, facts(), damaged, { outcome: 'grant', amount: null, denialReason: null }).total,
    ).toBe(5_000n);
    expect(
      checkReview(S, facts(), damaged, { outcome: 'partial', amount: 6_000n, denialReason: null })
        .problems[0]!.message,
    ).toMatch(/50 %/);
  });
  it('a denial needs a reason; an appeal never takes back what was granted', () => {
    expect(
      checkReview(S, facts(), claim, { outcome: 'deny', amount: null, denialReason: null }).problems[0]!.code,
    ).toBe('denial_reason_required');
    expect(
      checkReview(
        S,
        facts(),
        { ...claim, alreadyGranted: 4_000n },
        { outcome: 'partial', amount: 3_000n, denialReason: null },
      ).problems[0]!.code,
    ).toBe('below_granted');
  });
  it('never grants more than was refunded or the cap (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        fc.bigInt({ min: 1n, max: 20_000_000n }),
        fc.constantFrom(
          ...([
            'item_not_returned',
            'returned_damaged_by_buyer',
            'return_shipping_wrongly_refunded',
            'other',
          ] as const),
        ),
        (items, shipping, orderValue, reason) => {
          const f = facts({
            orderValue,
            marketplaceRefunds: [{ concessionId: 'c', items, shipping, refundedAt }],
          });
          const max = claimableAmount(S, f, reason);
          const r = checkReview(
            S,
            f,
            { reason, requested: items + shipping, alreadyGranted: 0n },
            { outcome: 'grant', amount: null, denialReason: null },
          );
          expect(r.total).toBeLessThanOrEqual(items + shipping);
          expect(r.total).toBeLessThanOrEqual(500_000n);
          expect(r.total).toBe(max);
          if (reason === 'returned_damaged_by_buyer') expect(r.total * 2n).toBeLessThanOrEqual(orderValue);
        },
      ),
    );
  });
});
