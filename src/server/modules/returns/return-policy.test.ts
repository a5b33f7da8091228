import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_POLICY, decideReturn, type ReturnFacts, returnWindowEnd } from './return-policy';

const facts = (over: Partial<ReturnFacts> = {}): ReturnFacts => ({
  reason: 'no_longer_needed',
  category: 'home_kitchen',
  productReturnable: true,
  shippedAt: new Date('2026-03-01T10:00:00Z'),
  deliveredAt: new Date('2026-03-03T10:00:00Z'),
  marketplaceCountry: 'IT',
  sellerHomeCountry: 'IT',
  timeZone: 'Europe/Rome',
  agentException: null,
  ...over,
});
const at = (iso: string) => new Date(iso);

describe('return window', () => {
  it.each([
    ['2026-03-03', '2026-03-01', '2026-04-02', false],
    ['2026-11-20', '2026-11-18', '2027-01-31', true], // shipped in November: until 31 January
    ['2026-12-30', '2026-12-28', '2027-01-31', true],
    ['2027-01-05', '2026-12-31', '2027-02-04', false], // 30 days is later than 31 January
    ['2026-10-31', '2026-10-30', '2026-11-30', false], // shipped before 1 November
  ])('delivered %s, shipped %s → until %s (extended %s)', (delivered, shipped, end, extended) => {
    expect(returnWindowEnd(DEFAULT_RETURN_POLICY, delivered, shipped)).toEqual({ end, extended });
  });
});

describe('category windows', () => {
  const policy = { ...DEFAULT_RETURN_POLICY, categoryWindowDays: { computers: 14 } };
  it('a category may have its own window; the others keep the marketplace’s', () => {
    expect(returnWindowEnd(policy, '2026-03-03', '2026-03-01', 'computers').end).toBe('2026-03-17');
    expect(returnWindowEnd(policy, '2026-03-03', '2026-03-01', 'home_kitchen').end).toBe('2026-04-02');
    const d = decideReturn(policy, facts({ category: 'computers' }), at('2026-03-20T10:00:00Z'));
    expect(d).toMatchObject({
      outcome: 'refused_needs_agent_exception',
      reason: 'outside_return_window',
      windowEndsOn: '2026-03-17',
    });
  });
});

describe('return decisions (D1, D2, D7)', () => {
  const cases: [string, Partial<ReturnFacts>, string, string, string][] = [
    // name, facts, now, outcome, reason
    ['in window, buyer changed mind', {}, '2026-03-20T10:00:00Z', 'authorised', 'within_return_window'],
    ['last day of the window (local time)', {}, '2026-04-02T21:00:00Z', 'authorised', 'within_return_window'],
    [
      'day after the window',
      {},
      '2026-04-02T22:30:00Z',
      'refused_needs_agent_exception',
      'outside_return_window',
    ],
    [
      'outside window with an agent exception',
      { agentException: { agentId: 'a', note: 'long-time buyer' } },
      '2026-05-01T10:00:00Z',
      'authorised',
      'agent_exception',
    ],
    [
      'holiday purchase returned in January',
      { shippedAt: at('2026-11-18T10:00:00Z'), deliveredAt: at('2026-11-20T10:00:00Z') },
      '2027-01-20T10:00:00Z',
      'authorised',
      'holiday_extension',
    ],
    [
      'personalised item, buyer changed mind',
      { category: 'personalised_gifts' },
      '2026-03-10T10:00:00Z',
      'refused_needs_agent_exception',
      'not_returnable_category',
    ],
    [
      'personalised item, defective',
      { category: 'personalised_gifts', reason: 'defective' },
      '2026-03-10T10:00:00Z',
      'authorised',
      'seller_fault_always_returnable',
    ],
    [
      'product marked not returnable, wrong item',
      { productReturnable: false, reason: 'wrong_item' },
      '2026-03-10T10:00:00Z',
      'authorised',
      'seller_fault_always_returnable',
    ],
    [
      'not delivered yet',
      { deliveredAt: null },
      '2026-03-10T10:00:00Z',
      'refused_needs_agent_exception',
      'not_delivered_yet',
    ],
  ];
  it.each(cases)('%s', (_name, over, now, outcome, reason) => {
    const d = decideReturn(DEFAULT_RETURN_POLICY, facts(over), new Date(now));
    expect(d).toMatchObject({ outcome, reason, sellerMayRefuse: false });
    expect(d.rule.length).toBeGreaterThan(10);
  });

  it('charges no return shipping for seller-fault reasons, and never a restocking fee in policy', () => {
    const buyerFault = decideReturn(DEFAULT_RETURN_POLICY, facts(), at('2026-03-10T10:00:00Z'));
    const sellerFault = decideReturn(
      DEFAULT_RETURN_POLICY,
      facts({ reason: 'damaged_in_transit' }),
      at('2026-03-10T10:00:00Z'),
    );
    expect(buyerFault.deductions).toEqual({ returnShipping: true, restockingFee: false });
    expect(sellerFault.deductions).toEqual({ returnShipping: false, restockingFee: false });
    expect(sellerFault.fault).toBe('seller');
  });

  it('sends international return instructions when the seller is based abroad', () => {
    const d = decideReturn(
      DEFAULT_RETURN_POLICY,
      facts({ sellerHomeCountry: 'CN' }),
      at('2026-03-10T10:00:00Z'),
    );
    expect(d.internationalReturn).toBe(true);
    expect(d.facts).toMatchObject({ deliveredOn: '2026-03-03', windowEndsOn: '2026-04-02' });
  });
});
