// Return authorisation on a case (D1, D2, D7): the order's facts and the marketplace's policy go
// through the pure decision per line; within policy the return is authorised at once, outside it
// only an agent's recorded exception authorises it — and the seller cannot refuse either.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { publishEvent } from '../../platform/events';
import { checkReplay, type Idempotency, insertWithKey } from '../../platform/idempotency';
import { findCase, insertCaseEvent, mustHandle } from '../cases';
import { findMarketplace } from '../marketplace';
import {
  DEFAULT_RETURN_POLICY,
  decideReturn,
  type ReturnDecision,
  type ReturnPolicySettings,
  type ReturnReason,
} from './return-policy';

/** The policy in force at `at`: the latest one effective by then, else the defaults. */
export async function returnPolicyOf(db: Db, marketplaceId: string, at: Date): Promise<ReturnPolicySettings> {
  const r = (
    await sql<{
      window_days: number;
      category_window_days: Record<string, number>;
      holiday_extension: ReturnPolicySettings['holidayExtension'];
      non_returnable_categories: string[];
      seller_refund_business_days: number;
    }>`select * from return_policy where marketplace_id = ${marketplaceId} and effective_from <= ${at}
      order by effective_from desc limit 1`.execute(db)
  ).rows[0];
  if (!r) return DEFAULT_RETURN_POLICY;
  return {
    windowDays: r.window_days,
    categoryWindowDays: r.category_window_days,
    holidayExtension: r.holiday_extension,
    nonReturnableCategories: r.non_returnable_categories,
    sellerRefundBusinessDays: r.seller_refund_business_days,
  };
}

/**
 * The span around `at` in which the return policy in force stays the same: since the latest dated
 * policy at or before it, until the next one (null: none). A cache of the policy holds for that span.
 */
export async function returnPolicySpan(
  db: Db,
  marketplaceId: string,
  at: Date,
): Promise<{ since: Date | null; until: Date | null }> {
  const r = await sql<{ since: Date | null; until: Date | null }>`select
      max(effective_from) filter (where effective_from <= ${at}) as since,
      min(effective_from) filter (where effective_from > ${at}) as until
    from return_policy where marketplace_id = ${marketplaceId}`.execute(db);
  return r.rows[0] ?? { since: null, until: null };
}

/** Every dated return policy of a marketplace, oldest first: what was, is and will be in force. */
export async function returnPolicyChanges(db: Db, marketplaceId: string) {
  const r = await sql<{ effective_from: Date; window_days: number; seller_refund_business_days: number }>`
    select effective_from, window_days, seller_refund_business_days from return_policy
    where marketplace_id = ${marketplaceId} order by effective_from`.execute(db);
  return r.rows.map((row) => ({
    effectiveFrom: row.effective_from.toISOString(),
    windowDays: row.window_days,
    sellerRefundBusinessDays: row.seller_refund_business_days,
  }));
}

export async function saveReturnPolicy(
  db: Db,
  marketplaceId: string,
  p: ReturnPolicySettings,
  effectiveFrom: Date,
) {
  if (!(await findMarketplace(db, marketplaceId))) throw notFound('Marketplace');
  await sql`insert into return_policy (marketplace_id, effective_from, window_days, category_window_days, holiday_extension, non_returnable_categories, seller_refund_business_days)
    values (${marketplaceId}, ${effectiveFrom}, ${p.windowDays}, ${JSON.stringify(p.categoryWindowDays)}::jsonb, ${p.holidayExtension ? JSON.stringify(p.holidayExtension) : null}::jsonb,
      ${[...p.nonReturnableCategories]}::text[], ${p.sellerRefundBusinessDays})
    on conflict (marketplace_id, effective_from) do update set window_days = excluded.window_days, category_window_days = excluded.category_window_days,
      holiday_extension = excluded.holiday_extension, non_returnable_categories = excluded.non_returnable_categories,
      seller_refund_business_days = excluded.seller_refund_business_days, updated_at = now()`.execute(db);
}

export type ReturnRequest = {
  idempotency: Idempotency;
  caseRef: string;
  actor: { kind: 'buyer'; buyerId: string } | { kind: 'staff'; userId: string; role: 'agent' | 'supervisor' };
  reason: ReturnReason;
  lines: { lineNo: number; units: number }[];
  exceptionNote: string | null;
  at: Date;
};

type OrderLine = { line_no: number; units: number; returned: number; category: string; returnable: boolean };

/** Return instructions in the buyer's terms; an international seller's return goes abroad (D1). */
function instructions(d: ReturnDecision, sellerCountry: string): string {
  const label = d.deductions.returnShipping
    ? 'The return shipping cost is deducted from the refund.'
    : 'Return shipping is free: the seller pays for it.';
  return d.internationalReturn
    ? `International return: pack the item and send it with the label provided to the seller's address in ${sellerCountry}; customs paperwork is not needed for a return of your own purchase. ${label}`
    : `Pack the item and drop it off with the label provided. ${label}`;
}

export async function authoriseReturn(db: Db, req: ReturnRequest) {
  const { idempotency } = req;
  const earlier = await returnOfKey(db, idempotency);
  if (earlier) return { ...(await returnView(db, earlier.external_id)), replayed: true };
  const c = await findCase(db, req.caseRef);
  if (!c?.order_id || (req.actor.kind === 'buyer' && c.buyer_id !== req.actor.buyerId))
    throw notFound('Case with an order');
  // The same rule as every other case action: the buyer's own case, its owner agent, or a supervisor.
  if (req.actor.kind === 'staff') mustHandle(c, { kind: req.actor.role, userId: req.actor.userId });
  if (req.exceptionNote && req.actor.kind !== 'staff')
    throw new AppError('forbidden', 'Only customer service can authorise a return outside the policy');
  return authoriseOnOrder(db, {
    ...req,
    orderId: c.order_id,
    caseOf: { id: c.id, number: c.case_number },
  });
}

export type ChatReturnRequest = {
  idempotency: Idempotency;
  /** The order's id; the caller has checked that it is the buyer's. */
  orderId: string;
  buyerId: string;
  reason: ReturnReason;
  lines: { lineNo: number; units: number }[];
  at: Date;
};

/**
 * The chat bot asks for a return on the buyer's behalf (D2): the same policy, within it authorised at
 * once, outside it refused (`not_eligible`, the rule's reason in the details) for a person to judge.
 * No case: the bot's chat is not one until a person is needed.
 */
export async function authoriseReturnInChat(db: Db, req: ChatReturnRequest) {
  const earlier = await returnOfKey(db, req.idempotency);
  if (earlier) return { ...(await returnView(db, earlier.external_id)), replayed: true };
  const owner = (
    await sql<{ buyer_id: string; external_id: string }>`select buyer_id, external_id from "order"
      where id = ${req.orderId}::uuid`.execute(db)
  ).rows[0];
  if (!owner || owner.buyer_id !== req.buyerId) throw notFound('Order');
  return authoriseOnOrder(db, {
    ...req,
    actor: { kind: 'bot' },
    exceptionNote: null,
    caseOf: null,
    numberPrefix: owner.external_id,
  });
}

const returnOfKey = async (db: Db, idempotency: Idempotency) => {
  const r = (
    await sql<{ external_id: string; idempotency_fingerprint: string | null }>`
    select external_id, idempotency_fingerprint from "return"
    where idempotency_scope = ${idempotency.scope} and idempotency_key = ${idempotency.key}`.execute(db)
  ).rows[0];
  if (r) checkReplay(r.idempotency_fingerprint, idempotency);
  return r;
};

async function authoriseOnOrder(
  db: Db,
  req: {
    idempotency: Idempotency;
    orderId: string;
    caseOf: { id: string; number: string } | null;
    numberPrefix?: string;
    actor: ReturnRequest['actor'] | { kind: 'bot' };
    reason: ReturnReason;
    lines: { lineNo: number; units: number }[];
    exceptionNote: string | null;
    at: Date;
  },
) {
  const { idempotency } = req;
  await sql`select pg_advisory_xact_lock(hashtext(${`order:${req.orderId}`}))`.execute(db);
  const again = await returnOfKey(db, idempotency);
  if (again) return { ...(await returnView(db, again.external_id)), replayed: true };

  const o = (
    await sql<{
      id: string;
      seller_id: string;
      marketplace_id: string;
      country: string;
      time_zone: string;
      home_country: string;
    }>`
    select o.id, o.seller_id, o.marketplace_id, m.country, m.time_zone, s.home_country from "order" o
    join marketplace m on m.id = o.marketplace_id join seller s on s.id = o.seller_id where o.id = ${req.orderId}::uuid`.execute(
      db,
    )
  ).rows[0]!;
  const delivery = (
    await sql<{ shipped_at: Date | null; delivered_at: Date | null }>`select min(s.shipped_at) as shipped_at,
      (select min(e.occurred_at) from shipment_event e join shipment x on x.id = e.shipment_id where x.order_id = ${o.id}::uuid and e.code = 'delivered') as delivered_at
    from shipment s where s.order_id = ${o.id}::uuid`.execute(db)
  ).rows[0];
  const lines = new Map(
    (
      await sql<OrderLine>`select ol.line_no, ol.units, p.category, p.returnable,
        coalesce((select sum(rl.units) from return_line rl join "return" t on t.id = rl.return_id
          where t.order_id = ol.order_id and rl.line_no = ol.line_no and t.authorisation <> 'rejected'), 0)::int as returned
      from order_line ol join product p on p.id = ol.product_id where ol.order_id = ${o.id}::uuid`.execute(db)
    ).rows.map((l) => [l.line_no, l]),
  );
  const policy = await returnPolicyOf(db, o.marketplace_id, req.at);
  const problems: { path: string; code: string; message: string }[] = [];
  const decisions: { lineNo: number; decision: ReturnDecision }[] = [];
  for (const [i, l] of req.lines.entries()) {
    const line = lines.get(l.lineNo);
    if (!line) {
      problems.push({
        path: `lines.${i}.lineNo`,
        code: 'unknown_reference',
        message: `the order has no line ${l.lineNo}`,
      });
      continue;
    }
    if (l.units > line.units - line.returned) {
      problems.push({
        path: `lines.${i}.units`,
        code: 'exceeds_ordered',
        message: `only ${line.units - line.returned} unit(s) of line ${l.lineNo} can still be returned`,
      });
      continue;
    }
    const decision = decideReturn(
      policy,
      {
        reason: req.reason,
        category: line.category,
        productReturnable: line.returnable,
        shippedAt: delivery?.shipped_at ?? null,
        deliveredAt: delivery?.delivered_at ?? null,
        marketplaceCountry: o.country,
        sellerHomeCountry: o.home_country,
        timeZone: o.time_zone,
        agentException:
          req.exceptionNote && req.actor.kind === 'staff'
            ? { agentId: req.actor.userId, note: req.exceptionNote }
            : null,
      },
      req.at,
    );
    if (decision.outcome !== 'authorised')
      problems.push({ path: `lines.${i}`, code: decision.reason, message: decision.rule });
    decisions.push({ lineNo: l.lineNo, decision });
  }
  if (new Set(req.lines.map((l) => l.lineNo)).size !== req.lines.length)
    problems.push({ path: 'lines', code: 'duplicate_line', message: 'each line once' });
  if (problems.length > 0) {
    const policyRefusal = problems.every((p) => decisions.some((d) => d.decision.reason === p.code));
    throw new AppError(
      policyRefusal ? 'not_eligible' : 'validation_failed',
      problems.map((p) => p.message).join('; '),
      problems,
    );
  }

  const first = decisions[0]!.decision;
  const count = (
    await sql<{ n: number }>`select count(*)::int as n from "return" where order_id = ${o.id}::uuid`.execute(
      db,
    )
  ).rows[0]!.n;
  const externalId = `RMA-${req.caseOf?.number ?? req.numberPrefix}-${count + 1}`;
  const stored = {
    outcome: first.outcome,
    reason: first.reason,
    rule: first.rule,
    fault: first.fault,
    windowEndsOn: first.windowEndsOn,
    deductions: first.deductions,
    sellerMayRefuse: false,
    internationalReturn: first.internationalReturn,
    facts: first.facts,
    lines: decisions.map((d) => ({ lineNo: d.lineNo, reason: d.decision.reason })),
    instructions: instructions(first, o.home_country),
    returnTo: o.home_country,
    decidedBy: req.actor.kind === 'staff' ? req.actor.userId : req.actor.kind === 'bot' ? 'bot' : 'policy',
  };
  const r = (
    await insertWithKey(
      sql<{
        id: string;
      }>`insert into "return" (external_id, order_id, seller_id, reason, requested_at, authorisation, authorised_at,
      decision, case_id, idempotency_scope, idempotency_key, idempotency_fingerprint)
    values (${externalId}, ${o.id}::uuid, ${o.seller_id}::uuid, ${req.reason}, ${req.at}, 'authorised', ${req.at}, ${JSON.stringify(stored)}::jsonb,
      ${req.caseOf?.id ?? null}::uuid, ${idempotency.scope}, ${idempotency.key}, ${idempotency.fingerprint}) returning id`.execute(
        db,
      ),
    )
  ).rows[0]!;
  for (const l of req.lines)
    await sql`insert into return_line (return_id, line_no, seller_id, units) values (${r.id}::uuid, ${l.lineNo}, ${o.seller_id}::uuid, ${l.units})`.execute(
      db,
    );
  if (req.caseOf)
    await insertCaseEvent(db, {
      caseId: req.caseOf.id,
      kind: 'return_authorised',
      actorKind: req.actor.kind === 'staff' ? req.actor.role : 'buyer',
      actorUserId: req.actor.kind === 'staff' ? req.actor.userId : null,
      data: { returnId: externalId, reason: first.reason },
      at: req.at,
    });
  await publishEvent(db, {
    type: 'return.authorised',
    key: `return:${r.id}`,
    sellerId: o.seller_id,
    marketplaceId: o.marketplace_id,
    data: { returnId: externalId, reason: req.reason, rule: first.reason, lines: req.lines },
    at: req.at,
  });
  return { ...(await returnView(db, externalId)), replayed: false };
}

export async function returnView(db: Db, externalId: string) {
  const r = (
    await sql<{
      external_id: string;
      reason: string;
      authorisation: string;
      decision: Record<string, unknown>;
    }>`
    select external_id, reason, authorisation, decision from "return" where external_id = ${externalId}`.execute(
      db,
    )
  ).rows[0]!;
  return { returnId: r.external_id, reason: r.reason, authorisation: r.authorisation, decision: r.decision };
}
