// Changes customer service makes to an order before it ships (SPEC D3): a cancellation, a new delivery
// address. Pure decisions with their reason, and use cases that record the change under a lock on the
// order and tell the commerce platform (N2), which owns the payment and the address.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { publishEvent } from '../../platform/events';

export type OrderChangeFacts = {
  /** A shipment exists (even one with only a label): the seller has handed it over or is about to. */
  shipped: boolean;
  cancelled: boolean;
};

export type CancellationDecision = {
  allowed: boolean;
  reason: 'not_shipped_yet' | 'already_shipped' | 'already_cancelled';
};

export function decideCancellation(f: OrderChangeFacts): CancellationDecision {
  if (f.cancelled) return { allowed: false, reason: 'already_cancelled' };
  if (f.shipped) return { allowed: false, reason: 'already_shipped' };
  return { allowed: true, reason: 'not_shipped_yet' };
}

export type AddressDecision = {
  allowed: boolean;
  reason: 'not_shipped_yet' | 'already_shipped' | 'order_cancelled' | 'address_incomplete';
};

/** An address a carrier can use has a street number or postcode and more than a few letters. */
export const looksLikeAddress = (address: string) =>
  address.trim().length >= 10 && /\d/.test(address) && /\p{L}{3,}/u.test(address);

export function decideAddressChange(f: OrderChangeFacts, address: string): AddressDecision {
  if (f.cancelled) return { allowed: false, reason: 'order_cancelled' };
  if (f.shipped) return { allowed: false, reason: 'already_shipped' };
  if (!looksLikeAddress(address)) return { allowed: false, reason: 'address_incomplete' };
  return { allowed: true, reason: 'not_shipped_yet' };
}

type LockedOrder = {
  id: string;
  external_id: string;
  seller_id: string;
  marketplace_id: string;
  buyer_id: string;
  currency: string;
  order_total: bigint;
  shipped: boolean;
  cancelled: boolean;
};

/** The order and what the decisions need, after taking the order's lock (the one refunds take too). */
async function lockedOrder(db: Db, orderId: string): Promise<LockedOrder> {
  await sql`select pg_advisory_xact_lock(hashtext(${`order:${orderId}`}))`.execute(db);
  const r = await sql<LockedOrder>`
    select o.id, o.external_id, o.seller_id, o.marketplace_id, o.buyer_id, o.currency, o.order_total,
      exists (select 1 from shipment s where s.order_id = o.id and s.seller_id = o.seller_id) as shipped,
      exists (select 1 from order_cancellation c where c.order_id = o.id) as cancelled
    from "order" o where o.id = ${orderId}::uuid`.execute(db);
  const o = r.rows[0];
  if (!o) throw notFound('Order');
  return o;
}

/** Whether an order was cancelled, for reads that show it (the chat, the agent's view). */
export async function orderChangeFacts(db: Db, orderId: string): Promise<OrderChangeFacts> {
  const r = await sql<OrderChangeFacts>`
    select exists (select 1 from shipment s where s.order_id = o.id and s.seller_id = o.seller_id) as shipped,
      exists (select 1 from order_cancellation c where c.order_id = o.id) as cancelled
    from "order" o where o.id = ${orderId}::uuid`.execute(db);
  if (!r.rows[0]) throw notFound('Order');
  return r.rows[0];
}

export type OrderChangeRequest = {
  orderId: string;
  /** 'bot', or the id of the person deciding. */
  decidedBy: string;
  at: Date;
};

/** Cancels an unshipped order once; refused with the decision's reason otherwise (`not_eligible`). */
export async function cancelOrder(db: Db, req: OrderChangeRequest & { reason: string }) {
  const o = await lockedOrder(db, req.orderId);
  const decision = decideCancellation(o);
  if (!decision.allowed)
    throw new AppError('not_eligible', `The order cannot be cancelled (${decision.reason})`, [
      { path: 'order', code: decision.reason, message: decision.reason },
    ]);
  await sql`insert into order_cancellation (order_id, seller_id, reason, decided_by, decision, cancelled_at)
    values (${o.id}::uuid, ${o.seller_id}::uuid, ${req.reason}, ${req.decidedBy}, ${JSON.stringify(decision)}::jsonb, ${req.at})`.execute(
    db,
  );
  await publishEvent(db, {
    type: 'order.cancelled',
    key: `order_cancelled:${o.id}`,
    sellerId: o.seller_id,
    marketplaceId: o.marketplace_id,
    // The platform refunds what was paid; nothing is charged to the seller for an unshipped order.
    data: {
      orderId: o.external_id,
      reason: req.reason,
      decidedBy: req.decidedBy,
      refund: BigInt(o.order_total),
      currency: o.currency,
    },
    at: req.at,
  });
  return { orderId: o.external_id, decision };
}

/** Records the new delivery address of an unshipped order; refused with the decision's reason otherwise. */
export async function changeDeliveryAddress(db: Db, req: OrderChangeRequest & { address: string }) {
  const o = await lockedOrder(db, req.orderId);
  const address = req.address.trim();
  const decision = decideAddressChange(o, address);
  if (!decision.allowed)
    throw new AppError('not_eligible', `The address cannot be changed (${decision.reason})`, [
      { path: 'address', code: decision.reason, message: decision.reason },
    ]);
  const r = await sql<{
    id: string;
  }>`insert into order_address_change (order_id, seller_id, address, decided_by, changed_at)
    values (${o.id}::uuid, ${o.seller_id}::uuid, ${address}, ${req.decidedBy}, ${req.at}) returning id::text`.execute(
    db,
  );
  await publishEvent(db, {
    type: 'order.address_changed',
    key: `order_address:${r.rows[0]!.id}`,
    sellerId: o.seller_id,
    marketplaceId: o.marketplace_id,
    data: { orderId: o.external_id, address, decidedBy: req.decidedBy },
    at: req.at,
  });
  return { orderId: o.external_id, decision };
}
