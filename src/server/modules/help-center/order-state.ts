// What a buyer's order is doing, in one word the Contact Us page can say: pure, with an explicit day.

export const orderStates = [
  'preparing',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'late',
  'delivery_problem',
  'return_requested',
  'return_authorised',
  'returned',
] as const;
export type OrderState = (typeof orderStates)[number];

export type OrderFacts = {
  promisedDeliveryDate: string | null;
  shippedAt: Date | null;
  /** The latest carrier event of the latest shipment. */
  lastEvent: { code: string; occurredAt: Date } | null;
  /** The latest return, if any. */
  lastReturn: { authorisation: 'pending' | 'authorised' | 'rejected'; receivedAt: Date | null } | null;
};

/** `today` is the calendar day (YYYY-MM-DD) in the marketplace's time zone. */
export function orderState(facts: OrderFacts, today: string): { state: OrderState; reason: string } {
  const r = facts.lastReturn;
  if (r?.receivedAt) return { state: 'returned', reason: 'return_received' };
  if (r?.authorisation === 'authorised') return { state: 'return_authorised', reason: 'return_authorised' };
  if (r?.authorisation === 'pending') return { state: 'return_requested', reason: 'return_pending' };
  const code = facts.lastEvent?.code;
  if (code === 'delivered') return { state: 'delivered', reason: 'carrier_delivered' };
  if (code === 'lost' || code === 'damaged' || code === 'returned_to_sender')
    return { state: 'delivery_problem', reason: `carrier_${code}` };
  const pastPromise = facts.promisedDeliveryDate !== null && today > facts.promisedDeliveryDate;
  if (pastPromise) return { state: 'late', reason: 'past_promised_date' };
  if (code === 'out_for_delivery' || code === 'delivery_attempted')
    return { state: 'out_for_delivery', reason: `carrier_${code}` };
  if (code && code !== 'label_created') return { state: 'in_transit', reason: 'carrier_scan' };
  if (facts.shippedAt) return { state: 'shipped', reason: 'shipment_created' };
  return { state: 'preparing', reason: 'no_shipment' };
}

/** The calendar day of `at` in a time zone, as YYYY-MM-DD. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
