import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConcessionAction,
  concessionOptions,
  concessionReasons,
  isLate,
  type OrderFacts,
  refundableItems,
} from './concession-policy';

const order = (over: Partial<OrderFacts> = {}): OrderFacts => ({
  currency: 'EUR',
  lines: [
    { lineNo: 1, units: 2, unitPrice: 1999n, refunded: 0n },
    { lineNo: 2, units: 1, unitPrice: 4999n, refunded: 0n },
  ],
  shippingCharge: 499n,
  shippingRefunded: 0n,
  promisedDeliveryDate: '2026-03-06',
  shipped: true,
  deliveredAt: new Date('2026-03-05T10:00:00Z'),
  hasValidTracking: true,
  returnReceived: false,
  today: '2026-03-12',
  ...over,
});
const allowed = (o: OrderFacts, reason: (typeof concessionReasons)[number]) =>
  concessionOptions(o, reason)
    .filter((a) => a.allowed)
    .map((a) => a.action)
    .sort();
const max = (o: OrderFacts, reason: (typeof concessionReasons)[number], action: ConcessionAction) =>
  concessionOptions(o, reason).find((a) => a.action === action)!.maxAmount;

describe('concession options (D3–D5, D8)', () => {
  it.each([
    ['no longer needed: the item comes back first', order(), 'no_longer_needed', ['refund_after_return']],
    [
      'no longer needed, return received: refund without further return',
      order({ returnReceived: true }),
      'no_longer_needed',
      ['refund_after_return', 'returnless_refund'],
    ],
    [
      'damaged on delivery',
      order(),
      'defective_or_damaged',
      ['partial_refund', 'refund_after_return', 'replacement', 'returnless_refund', 'shipping_fee_refund'],
    ],
    [
      'wrong item',
      order(),
      'wrong_item',
      ['partial_refund', 'refund_after_return', 'replacement', 'returnless_refund', 'shipping_fee_refund'],
    ],
    [
      'missing parts',
      order(),
      'missing_parts',
      [
        'partial_refund',
        'price_adjustment',
        'refund_after_return',
        'replacement',
        'returnless_refund',
        'shipping_fee_refund',
      ],
    ],
    [
      'late beyond promise (delivered late)',
      order({ deliveredAt: new Date('2026-03-09T10:00:00Z') }),
      'late_beyond_promise',
      [
        'partial_refund',
        'price_adjustment',
        'refund_after_return',
        'returnless_refund',
        'shipping_fee_refund',
      ],
    ],
    ['claimed late but on time', order(), 'late_beyond_promise', []],
    [
      'no tracking, never delivered',
      order({ deliveredAt: null, hasValidTracking: false }),
      'no_tracking',
      ['delivery_date_change', 'partial_refund', 'returnless_refund', 'shipping_fee_refund'],
    ],
    [
      'lost in transit',
      order({ deliveredAt: null }),
      'lost_in_transit',
      ['delivery_date_change', 'partial_refund', 'returnless_refund', 'shipping_fee_refund'],
    ],
    [
      'not shipped yet: cancel',
      order({ shipped: false, deliveredAt: null }),
      'no_longer_needed',
      ['cancel_order', 'delivery_date_change'],
    ],
    ['goodwill', order(), 'goodwill', ['partial_refund', 'price_adjustment', 'shipping_fee_refund']],
  ] as const)('%s', (_name, o, reason, actions) => {
    expect(allowed(o, reason)).toEqual([...actions].sort());
  });

  it('never offers more than what is still refundable per line, shipping apart', () => {
    const partly = order({
      lines: [
        { lineNo: 1, units: 2, unitPrice: 1999n, refunded: 1000n },
        { lineNo: 2, units: 1, unitPrice: 4999n, refunded: 4999n },
      ],
      shippingRefunded: 499n,
    });
    expect(max(partly, 'defective_or_damaged', 'returnless_refund')).toBe(2998n);
    expect(max(partly, 'defective_or_damaged', 'shipping_fee_refund')).toBe(0n);
    expect(allowed(partly, 'defective_or_damaged')).not.toContain('shipping_fee_refund');
    const cancel = order({ shipped: false, deliveredAt: null });
    expect(max(cancel, 'no_longer_needed', 'cancel_order')).toBe(2n * 1999n + 4999n + 499n);
  });

  it('explains every option with the facts it rests on', () => {
    for (const reason of concessionReasons) {
      for (const o of concessionOptions(order(), reason)) expect(o.explanation.length).toBeGreaterThan(10);
    }
    expect(concessionOptions(order(), 'late_beyond_promise')[0]!.explanation).toContain(
      'not late (promised 2026-03-06)',
    );
  });

  it('knows late from the promise, delivered or not', () => {
    expect(isLate(order({ deliveredAt: null, today: '2026-03-07' }))).toBe(true);
    expect(isLate(order({ deliveredAt: null, today: '2026-03-06' }))).toBe(false);
    expect(isLate(order({ promisedDeliveryDate: null }))).toBe(false);
  });

  it('never allows refunding more than was paid (property)', () => {
    const line = fc.record({
      units: fc.integer({ min: 1, max: 20 }),
      unitPrice: fc.bigInt({ min: 0n, max: 10_000_00n }),
      refundedShare: fc.double({ min: 0, max: 1.5, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 5 }),
        fc.bigInt({ min: 0n, max: 5_000n }),
        fc.constantFrom(...concessionReasons),
        (lines, shipping, reason) => {
          const facts = order({
            lines: lines.map((l, i) => {
              const paid = l.unitPrice * BigInt(l.units);
              return {
                lineNo: i + 1,
                units: l.units,
                unitPrice: l.unitPrice,
                refunded: BigInt(Math.floor(Number(paid) * l.refundedShare)),
              };
            }),
            shippingCharge: shipping,
          });
          const paid = facts.lines.reduce((s, l) => s + l.unitPrice * BigInt(l.units), 0n);
          for (const option of concessionOptions(facts, reason)) {
            expect(option.maxAmount >= 0n).toBe(true);
            if (option.action !== 'cancel_order' && option.action !== 'shipping_fee_refund') {
              expect(option.maxAmount <= refundableItems(facts)).toBe(true);
              expect(option.maxAmount <= paid).toBe(true);
            }
          }
        },
      ),
    );
  });
});
