// What sellers are told about decisions on their orders (S3): what was decided, the amount, the
// reason code, the rule applied and the facts it rested on — never the buyer's messages (K5). A
// refund caused by loss or damage in delivery comes with a carrier-claim package (D9).
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { findOrder } from '../marketplace';

const CARRIER_CLAIM_REASONS = new Set(['lost_in_transit', 'defective_or_damaged']);

export async function sellerDecisions(db: Db, sellerId: string) {
  const r = await sql<{
    id: string;
    order_id: string;
    order_external_id: string;
    action: string;
    reason: string;
    currency: string;
    amount_items: bigint;
    amount_shipping: bigint;
    status: string;
    explanation: { rule?: string; explanation?: string; facts?: Record<string, unknown> };
    decided_at: Date;
    approval_note: string | null;
  }>`select c.id, c.order_id, o.external_id as order_external_id, c.action, c.reason, c.currency, c.amount_items, c.amount_shipping,
      c.status, c.explanation, c.decided_at, c.approval_note
    from concession c join "order" o on o.id = c.order_id where c.seller_id = ${sellerId}::uuid order by c.decided_at desc limit 200`.execute(
    db,
  );
  const out = [];
  for (const d of r.rows) {
    out.push({
      id: d.id,
      orderExternalId: d.order_external_id,
      action: d.action,
      reasonCode: d.reason,
      status: d.status,
      amount: { items: Number(d.amount_items), shipping: Number(d.amount_shipping), currency: d.currency },
      rule: d.explanation.rule ?? null,
      explanation: d.explanation.explanation ?? null,
      facts: d.explanation.facts ?? {},
      decidedAt: d.decided_at.toISOString(),
      carrierClaim:
        CARRIER_CLAIM_REASONS.has(d.reason) && d.status === 'issued'
          ? await carrierClaimPackage(db, d.order_id, d.reason)
          : null,
      // D10: a decision is not contested; a charge the seller thinks is not its own is claimed back (T1).
      reimbursement:
        d.status === 'issued'
          ? {
              how: 'File a reimbursement claim if you believe this refund should not be yours to pay.',
              eligibility: `/api/v1/seller/claims/eligibility?order=${encodeURIComponent(d.order_external_id)}`,
            }
          : null,
    });
  }
  const returns = await sql<{
    external_id: string;
    order_external_id: string;
    reason: string;
    decision: { reason: string; rule: string; facts: Record<string, unknown>; sellerMayRefuse: boolean };
    authorised_at: Date;
  }>`select t.external_id, o.external_id as order_external_id, t.reason, t.decision, t.authorised_at
    from "return" t join "order" o on o.id = t.order_id
    where t.seller_id = ${sellerId}::uuid and t.decision is not null order by t.authorised_at desc limit 200`.execute(
    db,
  );
  const returnDecisions = returns.rows.map((r) => ({
    id: r.external_id,
    orderExternalId: r.order_external_id,
    action: 'return_authorisation',
    reasonCode: r.reason,
    status: 'authorised',
    amount: null,
    rule: r.decision.reason,
    explanation: r.decision.rule,
    facts: r.decision.facts,
    sellerMayRefuse: false,
    decidedAt: r.authorised_at.toISOString(),
    carrierClaim: null,
  }));
  return [...out, ...returnDecisions].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt));
}

/** D9: everything the seller needs to claim from the carrier. */
export async function carrierClaimPackage(db: Db, orderId: string, reason: string) {
  const order = await findOrder(db, orderId, { kind: 'all' });
  const shipment = order?.shipments[0];
  if (!order || !shipment) return null;
  return {
    reason: reason === 'lost_in_transit' ? 'lost' : 'damaged',
    carrier: shipment.carrier,
    trackingNumber: shipment.tracking_number,
    shippedAt: new Date(shipment.shipped_at).toISOString(),
    deliveredAt: shipment.events.find((e) => e.code === 'delivered')?.occurred_at ?? null,
    events: shipment.events.map((e) => ({
      code: e.code,
      occurredAt: new Date(e.occurred_at).toISOString(),
      location: e.location,
    })),
    declaredValue: { amount: Number(order.order_total), currency: order.currency },
  };
}
