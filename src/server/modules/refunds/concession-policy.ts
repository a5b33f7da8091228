// What customer service may grant on an order (SPEC D3–D5, D8), as a pure decision: the order's
// facts and an explicit clock in; every action with whether it is allowed, its maximum amount and
// the reason out. Amounts are bigint minor units of the order's currency.

export const concessionReasons = [
  'late_beyond_promise',
  'no_longer_needed',
  'no_tracking',
  'defective_or_damaged',
  'missing_parts',
  'wrong_item',
  'lost_in_transit',
  'goodwill',
] as const;
export type ConcessionReason = (typeof concessionReasons)[number];

export const concessionActions = [
  'refund_after_return',
  'returnless_refund',
  'partial_refund',
  'price_adjustment',
  'shipping_fee_refund',
  'cancel_order',
  'delivery_date_change',
  'replacement',
] as const;
export type ConcessionAction = (typeof concessionActions)[number];
/** The rule each option rests on (its `reason`; `not_allowed:<rule>` when it is not allowed). */
export const concessionRules = [
  'refund_when_return_received',
  'seller_fault_returnless',
  'return_already_received',
  'partial_refund_within_refundable',
  'price_adjustment',
  'shipping_refund',
  'already_shipped',
  'not_shipped_yet',
  'already_delivered',
  'delivery_pending',
  'return_and_resend',
] as const;
export type ConcessionRule = (typeof concessionRules)[number];

export type OrderLineFacts = { lineNo: number; units: number; unitPrice: bigint; refunded: bigint };
export type OrderFacts = {
  currency: string;
  lines: readonly OrderLineFacts[];
  shippingCharge: bigint;
  shippingRefunded: bigint;
  promisedDeliveryDate: string | null;
  shipped: boolean;
  deliveredAt: Date | null;
  hasValidTracking: boolean;
  returnReceived: boolean;
  /** Today in the marketplace's zone, 'YYYY-MM-DD'. */
  today: string;
};

export type ActionOption = {
  action: ConcessionAction;
  allowed: boolean;
  /** The most that may be refunded with this action (items only; shipping is its own action). */
  maxAmount: bigint;
  reason: string;
  explanation: string;
};

/** What is still refundable on each line: paid minus already refunded, never below zero. */
export function refundableByLine(order: OrderFacts): Map<number, bigint> {
  return new Map(
    order.lines.map((l) => {
      const paid = l.unitPrice * BigInt(l.units);
      return [l.lineNo, paid > l.refunded ? paid - l.refunded : 0n];
    }),
  );
}

export const refundableItems = (order: OrderFacts) =>
  [...refundableByLine(order).values()].reduce((a, b) => a + b, 0n);
export const refundableShipping = (order: OrderFacts) =>
  order.shippingCharge > order.shippingRefunded ? order.shippingCharge - order.shippingRefunded : 0n;

/** Late beyond the promise: delivered after the promised date, or still not delivered after it. */
export function isLate(order: OrderFacts): boolean {
  if (!order.promisedDeliveryDate) return false;
  const deliveredOn = order.deliveredAt?.toISOString().slice(0, 10) ?? null;
  return deliveredOn ? deliveredOn > order.promisedDeliveryDate : order.today > order.promisedDeliveryDate;
}

const SELLER_FAULT: readonly ConcessionReason[] = [
  'late_beyond_promise',
  'no_tracking',
  'defective_or_damaged',
  'missing_parts',
  'wrong_item',
  'lost_in_transit',
];

/** The actions an agent may take for a reason, each explained by the facts (shown to agents and, later, sellers). */
export function concessionOptions(order: OrderFacts, reason: ConcessionReason): ActionOption[] {
  const items = refundableItems(order);
  const shipping = refundableShipping(order);
  const late = isLate(order);
  const delivered = order.deliveredAt !== null;
  const nothingLeft = items === 0n;

  // D4: the reasons that justify a full refund, each resting on a fact of the order.
  const reasonHolds: Record<ConcessionReason, { holds: boolean; fact: string }> = {
    late_beyond_promise: {
      holds: late,
      fact: late
        ? `promised ${order.promisedDeliveryDate}, ${delivered ? 'delivered later' : 'not delivered yet'}`
        : `not late (promised ${order.promisedDeliveryDate ?? 'no date'})`,
    },
    no_longer_needed: { holds: true, fact: 'the buyer no longer needs the item' },
    no_tracking: {
      holds: order.shipped && !order.hasValidTracking && !delivered,
      fact: order.hasValidTracking ? 'the shipment has carrier scans' : 'no carrier scan since shipping',
    },
    defective_or_damaged: {
      holds: delivered,
      fact: delivered ? 'delivered item reported defective or damaged' : 'not delivered yet',
    },
    missing_parts: {
      holds: delivered,
      fact: delivered ? 'delivered with parts missing' : 'not delivered yet',
    },
    wrong_item: {
      holds: delivered,
      fact: delivered ? 'a different item was delivered' : 'not delivered yet',
    },
    lost_in_transit: {
      holds: order.shipped && !delivered,
      fact: order.shipped ? 'shipped and never delivered' : 'not shipped',
    },
    goodwill: { holds: true, fact: 'a goodwill gesture at the agent’s discretion' },
  };
  const basis = reasonHolds[reason];
  const sellerFault = SELLER_FAULT.includes(reason);
  const option = (
    action: ConcessionAction,
    allowed: boolean,
    maxAmount: bigint,
    why: ConcessionRule,
    explanation: string,
  ): ActionOption => ({
    action,
    allowed:
      allowed &&
      (maxAmount > 0n ||
        action === 'delivery_date_change' ||
        action === 'replacement' ||
        action === 'cancel_order'),
    maxAmount: allowed ? maxAmount : 0n,
    reason: allowed ? why : `not_allowed:${why}`,
    explanation,
  });
  const noneLeft = nothingLeft ? ' Nothing is left to refund on the items.' : '';

  return [
    // D5: normally the item comes back first…
    option(
      'refund_after_return',
      basis.holds && delivered && reason !== 'goodwill' && reason !== 'lost_in_transit',
      items,
      'refund_when_return_received',
      `Refund up to the unrefunded item value once the return is received (${basis.fact}).${noneLeft}`,
    ),
    // …but CS may refund without a return where the item cannot or should not come back.
    option(
      'returnless_refund',
      basis.holds && (sellerFault || order.returnReceived),
      items,
      sellerFault ? 'seller_fault_returnless' : 'return_already_received',
      `Refund without a return: ${basis.fact}.${noneLeft}`,
    ),
    option(
      'partial_refund',
      basis.holds && reason !== 'no_longer_needed',
      items,
      'partial_refund_within_refundable',
      `Refund part of the unrefunded item value, up to ${items} (${basis.fact}).`,
    ),
    option(
      'price_adjustment',
      basis.holds &&
        (reason === 'goodwill' || reason === 'late_beyond_promise' || reason === 'missing_parts'),
      items,
      'price_adjustment',
      'Lower the price the buyer paid; the item stays with the buyer.',
    ),
    // Shipping is refunded separately, and only where the seller's side failed (or as goodwill).
    option(
      'shipping_fee_refund',
      (sellerFault && basis.holds) || reason === 'goodwill',
      shipping,
      'shipping_refund',
      `Refund the shipping charge (${shipping} left).`,
    ),
    option(
      'cancel_order',
      !order.shipped,
      items + shipping,
      order.shipped ? 'already_shipped' : 'not_shipped_yet',
      order.shipped
        ? 'The order has shipped; it can no longer be cancelled.'
        : 'Cancel the unshipped order and refund everything paid.',
    ),
    option(
      'delivery_date_change',
      !delivered,
      0n,
      delivered ? 'already_delivered' : 'delivery_pending',
      delivered ? 'The order has been delivered.' : 'Agree a new delivery date with the buyer.',
    ),
    // D8: a wrong, defective or incomplete item can be replaced (return + resend).
    option(
      'replacement',
      delivered &&
        (reason === 'wrong_item' || reason === 'defective_or_damaged' || reason === 'missing_parts'),
      0n,
      'return_and_resend',
      'Authorise the return and send the right item again.',
    ),
  ];
}
