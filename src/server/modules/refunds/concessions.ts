// An agent grants a concession: the options are recomputed from the order's facts under a lock on
// the order, the amount is checked against what is still refundable and against the agent's limit,
// and the money moves once — charged to the seller through the ledger. Above the limit it waits
// for a supervisor (K6).
import { sql } from 'kysely';
import { isCarrierScan } from '../../../contracts/marketplace-records';
import { localDateOf } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { publishEvent } from '../../platform/events';
import { checkReplay, type Idempotency, insertWithKey } from '../../platform/idempotency';
import { minorUnits } from '../../platform/money';
import { scheduleTimer } from '../../platform/timers';
import { findCase, mustHandle } from '../cases';
import { postBatch } from '../ledger';
import { findMarketplace, findOrder } from '../marketplace';
import {
  type ConcessionAction,
  type ConcessionReason,
  concessionOptions,
  type OrderFacts,
  refundableByLine,
  refundableShipping,
} from './concession-policy';

export const DEFAULT_LIMITS = { agent: 100_00n, supervisor: 1_000_00n };

export type ConcessionRequest = {
  idempotency: Idempotency;
  caseRef: string;
  action: ConcessionAction;
  reason: ConcessionReason;
  lines: { lineNo: number; amount: bigint }[];
  shipping: bigint;
  actor: { userId: string; role: 'agent' | 'supervisor' };
  at: Date;
};

type ConcessionRow = {
  id: string;
  status: string;
  amount_items: bigint;
  amount_shipping: bigint;
  explanation: Record<string, unknown>;
};

async function orderFacts(db: Db, orderId: string, at: Date) {
  const order = await findOrder(db, orderId, { kind: 'all' });
  if (!order) throw notFound('Order');
  const marketplace = await findMarketplace(db, order.marketplace_id);
  const refunded = await sql<{ line_no: number; amount: bigint }>`
    select l.line_no, sum(l.amount)::bigint as amount from concession_line l join concession c on c.id = l.concession_id
    where l.order_id = ${orderId}::uuid and c.status = 'issued' group by l.line_no`.execute(db);
  const shippingRefunded = (
    await sql<{ s: bigint }>`select coalesce(sum(amount_shipping), 0)::bigint as s from concession
    where order_id = ${orderId}::uuid and status = 'issued'`.execute(db)
  ).rows[0]!.s;
  const byLine = new Map(refunded.rows.map((r) => [r.line_no, BigInt(r.amount)]));
  const events = order.shipments.flatMap((s) => s.events);
  const delivered = events.find((e) => e.code === 'delivered');
  const facts: OrderFacts = {
    currency: order.currency,
    lines: order.lines.map((l) => ({
      lineNo: l.line_no,
      units: l.units,
      unitPrice: BigInt(l.unit_price),
      refunded: byLine.get(l.line_no) ?? 0n,
    })),
    shippingCharge: BigInt(order.shipping_charge),
    shippingRefunded: BigInt(shippingRefunded),
    promisedDeliveryDate: order.promised_delivery_date,
    shipped: order.shipments.length > 0,
    deliveredAt: delivered ? new Date(delivered.occurred_at) : null,
    hasValidTracking: events.some((e) => isCarrierScan(e.code)),
    returnReceived: order.returns.some((r) => r.received_at !== null),
    today: localDateOf(at, marketplace!.time_zone),
  };
  return { order, facts };
}

async function limitFor(
  db: Db,
  marketplaceId: string,
  role: 'agent' | 'supervisor',
  at: Date,
): Promise<bigint> {
  const r = await sql<{ max_amount: bigint }>`select max_amount from approval_limit
    where marketplace_id = ${marketplaceId} and role = ${role} and effective_from <= ${at}
    order by effective_from desc limit 1`.execute(db);
  return r.rows[0] ? BigInt(r.rows[0].max_amount) : DEFAULT_LIMITS[role];
}

/** K6: what each role may grant alone in a marketplace at `at` (defaults where none was set). */
export async function approvalLimits(db: Db, marketplaceId: string, at: Date) {
  return {
    agent: await limitFor(db, marketplaceId, 'agent', at),
    supervisor: await limitFor(db, marketplaceId, 'supervisor', at),
  };
}

export async function setApprovalLimits(
  db: Db,
  marketplaceId: string,
  limits: { agent: bigint; supervisor: bigint },
  effectiveFrom: Date,
) {
  if (limits.agent > limits.supervisor)
    throw new AppError('validation_failed', 'An agent’s limit cannot exceed a supervisor’s', [
      { path: 'agent', code: 'above_supervisor', message: 'at most the supervisor’s limit' },
    ]);
  if (!(await findMarketplace(db, marketplaceId))) throw notFound('Marketplace');
  for (const role of ['agent', 'supervisor'] as const)
    await sql`insert into approval_limit (marketplace_id, role, effective_from, max_amount)
      values (${marketplaceId}, ${role}, ${effectiveFrom}, ${limits[role].toString()}::bigint)
      on conflict (marketplace_id, role, effective_from) do update set max_amount = excluded.max_amount`.execute(
      db,
    );
}

export async function optionsForCase(db: Db, caseRef: string, reason: ConcessionReason, at: Date) {
  const c = await findCase(db, caseRef);
  if (!c?.order_id) throw notFound('Case with an order');
  const { facts } = await orderFacts(db, c.order_id, at);
  return { currency: facts.currency, options: concessionOptions(facts, reason) };
}

/** What the concession policy allows on an order for a reason, e.g. a late one (D4), for the chat bot. */
export async function optionsForOrder(db: Db, orderId: string, reason: ConcessionReason, at: Date) {
  const { facts } = await orderFacts(db, orderId, at);
  return { currency: facts.currency, options: concessionOptions(facts, reason) };
}

/** The concession made before with the request's key, if any: the same request again, or refused. */
async function replayOf(db: Db, idem: Idempotency) {
  const seen = (
    await sql<ConcessionRow & { idempotency_fingerprint: string | null }>`
    select id, status, amount_items, amount_shipping, explanation, idempotency_fingerprint from concession
    where idempotency_scope = ${idem.scope} and idempotency_key = ${idem.key}`.execute(db)
  ).rows[0];
  if (!seen) return undefined;
  checkReplay(seen.idempotency_fingerprint, idem);
  const { idempotency_fingerprint: _, ...row } = seen;
  return { ...row, replayed: true };
}

export async function grantConcession(db: Db, req: ConcessionRequest) {
  const seen = await replayOf(db, req.idempotency);
  if (seen) return seen;

  const c = await findCase(db, req.caseRef);
  if (!c?.order_id || !c.seller_id) throw notFound('Case with an order');
  mustHandle(c, { kind: req.actor.role, userId: req.actor.userId });
  return grantOnOrder(db, req, {
    caseId: c.id,
    orderId: c.order_id,
    sellerId: c.seller_id,
    marketplaceId: c.marketplace_id,
    decidedBy: req.actor.userId,
    limit: (at) => limitFor(db, c.marketplace_id, req.actor.role, at),
    aboveLimit: 'pending_approval',
  });
}

export type ChatRefundRequest = {
  idempotency: Idempotency;
  /** The order's id; the caller has checked that it is the buyer's. */
  orderId: string;
  action: 'returnless_refund' | 'shipping_fee_refund';
  reason: ConcessionReason;
  /** The bot's own limit, or null for an agent's (K6). */
  limit: bigint | null;
  at: Date;
};

/**
 * The chat bot refunds where the marketplace lets it (D3, D4): everything still refundable for the
 * action, within its limit; above it, or where the policy does not allow the action, it is refused
 * (`not_eligible`) and a person decides. Charged to the seller like any concession.
 */
export async function grantConcessionInChat(db: Db, req: ChatRefundRequest) {
  const seen = await replayOf(db, req.idempotency);
  if (seen) return seen;
  const order = (
    await sql<{ seller_id: string; marketplace_id: string }>`select seller_id, marketplace_id from "order"
      where id = ${req.orderId}::uuid`.execute(db)
  ).rows[0];
  if (!order) throw notFound('Order');
  await sql`select pg_advisory_xact_lock(hashtext(${`order:${req.orderId}`}))`.execute(db);
  const { facts } = await orderFacts(db, req.orderId, req.at);
  const option = concessionOptions(facts, req.reason).find((o) => o.action === req.action)!;
  if (!option.allowed)
    throw new AppError('not_eligible', option.explanation, [
      { path: 'action', code: option.reason, message: option.explanation },
    ]);
  const refundable = refundableByLine(facts);
  const lines =
    req.action === 'returnless_refund'
      ? [...refundable].filter(([, left]) => left > 0n).map(([lineNo, amount]) => ({ lineNo, amount }))
      : [];
  const shipping = req.action === 'shipping_fee_refund' ? refundableShipping(facts) : 0n;
  return grantOnOrder(
    db,
    { ...req, lines, shipping },
    {
      caseId: null,
      orderId: req.orderId,
      sellerId: order.seller_id,
      marketplaceId: order.marketplace_id,
      decidedBy: null,
      limit: async (at) => req.limit ?? limitFor(db, order.marketplace_id, 'agent', at),
      aboveLimit: 'refuse',
    },
  );
}

async function grantOnOrder(
  db: Db,
  req: Pick<ConcessionRequest, 'idempotency' | 'action' | 'reason' | 'lines' | 'shipping' | 'at'>,
  c: {
    caseId: string | null;
    orderId: string;
    sellerId: string;
    marketplaceId: string;
    /** The person who decided; null for the bot. */
    decidedBy: string | null;
    limit: (at: Date) => Promise<bigint>;
    /** A person's grant above their limit waits for a supervisor; the bot's is refused. */
    aboveLimit: 'pending_approval' | 'refuse';
  },
) {
  // One concession at a time per order: two agents refunding the same line at once produce one refund.
  await sql`select pg_advisory_xact_lock(hashtext(${`order:${c.orderId}`}))`.execute(db);
  const again = await replayOf(db, req.idempotency);
  if (again) return again;

  const { facts } = await orderFacts(db, c.orderId, req.at);
  const option = concessionOptions(facts, req.reason).find((o) => o.action === req.action)!;
  const items = req.lines.reduce((s, l) => s + l.amount, 0n);
  const problems: { path: string; code: string; message: string }[] = [];
  if (!option.allowed) problems.push({ path: 'action', code: option.reason, message: option.explanation });
  const refundable = refundableByLine(facts);
  for (const [i, l] of req.lines.entries()) {
    const left = refundable.get(l.lineNo);
    if (left === undefined)
      problems.push({
        path: `lines.${i}.lineNo`,
        code: 'unknown_reference',
        message: `the order has no line ${l.lineNo}`,
      });
    else if (l.amount > left)
      problems.push({
        path: `lines.${i}.amount`,
        code: 'exceeds_refundable',
        message: `only ${left} is still refundable on line ${l.lineNo}`,
      });
  }
  if (option.allowed && items > option.maxAmount)
    problems.push({
      path: 'lines',
      code: 'exceeds_refundable',
      message: `at most ${option.maxAmount} for this action`,
    });
  if (req.shipping > refundableShipping(facts))
    problems.push({
      path: 'shipping',
      code: 'exceeds_refundable',
      message: `only ${refundableShipping(facts)} of shipping is still refundable`,
    });
  if (items + req.shipping === 0n && req.action !== 'replacement' && req.action !== 'delivery_date_change') {
    problems.push({ path: 'lines', code: 'nothing_to_refund', message: 'the concession moves no money' });
  }
  if (problems.length > 0) {
    const code = problems.some((p) => p.code === 'exceeds_refundable' || p.code === 'nothing_to_refund')
      ? 'conflict'
      : 'validation_failed';
    throw new AppError(code, problems.map((p) => p.message).join('; '), problems);
  }

  const total = items + req.shipping;
  const limit = await c.limit(req.at);
  if (total > limit && c.aboveLimit === 'refuse')
    throw new AppError('not_eligible', `Above the limit of ${limit}`, [
      { path: 'lines', code: 'above_limit', message: `at most ${limit} without a person` },
    ]);
  const status = total > limit ? 'pending_approval' : 'issued';
  const explanation = {
    rule: option.reason,
    explanation: option.explanation,
    facts: {
      promisedDeliveryDate: facts.promisedDeliveryDate,
      deliveredAt: facts.deliveredAt?.toISOString() ?? null,
      hasValidTracking: facts.hasValidTracking,
      returnReceived: facts.returnReceived,
    },
    limit: minorUnits(limit),
    decidedBy: c.decidedBy ?? 'bot',
  };
  const row = (
    await insertWithKey(
      sql<ConcessionRow>`
    insert into concession (idempotency_scope, idempotency_key, idempotency_fingerprint, case_id, order_id, seller_id, marketplace_id,
      currency, action, reason, amount_items, amount_shipping, status, explanation, decided_by, decided_at)
    values (${req.idempotency.scope}, ${req.idempotency.key}, ${req.idempotency.fingerprint}, ${c.caseId}::uuid, ${c.orderId}::uuid, ${c.sellerId}::uuid, ${c.marketplaceId}, ${facts.currency},
      ${req.action}, ${req.reason}, ${items.toString()}::bigint, ${req.shipping.toString()}::bigint, ${status}, ${JSON.stringify(explanation)}::jsonb,
      ${c.decidedBy}::uuid, ${req.at})
    returning id, status, amount_items, amount_shipping, explanation`.execute(db),
    )
  ).rows[0]!;
  for (const l of req.lines.filter((x) => x.amount > 0n)) {
    await sql`insert into concession_line (concession_id, order_id, line_no, amount) values (${row.id}::uuid, ${c.orderId}::uuid, ${l.lineNo}, ${l.amount.toString()}::bigint)`.execute(
      db,
    );
  }
  if (status === 'issued')
    await chargeSeller(db, row.id, c.sellerId, c.marketplaceId, facts.currency, total, req.reason, req.at);
  else
    await publishDecision(db, {
      concessionId: row.id,
      sellerId: c.sellerId,
      marketplaceId: c.marketplaceId,
      status,
      amount: total,
      currency: facts.currency,
      reason: req.reason,
      at: req.at,
    });
  return { ...row, replayed: false };
}

/** K6: a supervisor approves (the money moves now) or denies, with a reason. */
export async function decideApproval(
  db: Db,
  concessionId: string,
  supervisorId: string,
  approve: boolean,
  note: string,
  at: Date,
) {
  const r = (
    await sql<{
      id: string;
      status: string;
      seller_id: string;
      marketplace_id: string;
      currency: string;
      amount_items: bigint;
      amount_shipping: bigint;
      reason: string;
      order_id: string;
    }>`
    select * from concession where id = ${concessionId}::uuid for update`.execute(db)
  ).rows[0];
  if (!r) throw notFound('Concession');
  if (r.status !== 'pending_approval')
    throw new AppError('conflict', `This concession is already ${r.status}`);
  await sql`select pg_advisory_xact_lock(hashtext(${`order:${r.order_id}`}))`.execute(db);
  await sql`update concession set status = ${approve ? 'issued' : 'denied'}, approved_by = ${supervisorId}::uuid, approval_note = ${note}, approved_at = ${at}
    where id = ${concessionId}::uuid`.execute(db);
  if (!approve) {
    await publishDecision(db, {
      concessionId: r.id,
      sellerId: r.seller_id,
      marketplaceId: r.marketplace_id,
      status: 'denied',
      amount: BigInt(r.amount_items) + BigInt(r.amount_shipping),
      currency: r.currency,
      reason: r.reason,
      at,
    });
  } else {
    await chargeSeller(
      db,
      r.id,
      r.seller_id,
      r.marketplace_id,
      r.currency,
      BigInt(r.amount_items) + BigInt(r.amount_shipping),
      r.reason,
      at,
    );
  }
  return { id: r.id, status: approve ? 'issued' : 'denied' };
}

export async function chargeSeller(
  db: Db,
  concessionId: string,
  sellerId: string,
  marketplaceId: string,
  currency: string,
  amount: bigint,
  reason: string,
  at: Date,
) {
  await postBatch(db, {
    idempotencyKey: `concession:${concessionId}`,
    decision: { kind: 'concession', id: concessionId },
    description: `Refund to the buyer charged to the seller (${reason})`,
    postings: [
      { account: { kind: 'seller', sellerId, marketplaceId, currency }, amount: -amount },
      { account: { kind: 'marketplace_refunds', marketplaceId, currency }, amount },
    ],
    at,
  });
  await publishDecision(db, {
    concessionId,
    sellerId,
    marketplaceId,
    status: 'issued',
    amount,
    currency,
    reason,
    at,
  });
  await scheduleTimer(db, 'notify_seller', `concession:${concessionId}`, at, {
    sellerId,
    category: 'refund_decisions',
    template: 'refund_decision',
    data: { concessionId, amount: minorUnits(amount), currency, reason },
  });
}

/** N2: the operator's platform hears of every decision — issued, waiting for approval or denied. */
async function publishDecision(
  db: Db,
  d: {
    concessionId: string;
    sellerId: string;
    marketplaceId: string;
    status: string;
    amount: bigint;
    currency: string;
    reason: string;
    at: Date;
  },
) {
  await publishEvent(db, {
    type: 'concession.decided',
    key: `concession:${d.concessionId}:${d.status}`,
    sellerId: d.sellerId,
    marketplaceId: d.marketplaceId,
    data: {
      concessionId: d.concessionId,
      status: d.status,
      amount: d.amount,
      currency: d.currency,
      reason: d.reason,
    },
    at: d.at,
  });
}
