// Claims' SQL: the facts a claim rests on, the claim and its events and evidence, the marketplace's
// reimbursement policy, and the views sellers and reviewers read.
import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { type Idempotency, insertWithKey } from '../../platform/idempotency';
import { minorUnits } from '../../platform/money';
import { findMarketplace } from '../marketplace';
import { returnReasonFault } from '../returns';
import {
  type ClaimFacts,
  type ClaimReason,
  type ClaimSettings,
  DEFAULT_CLAIM_SETTINGS,
} from './claim-policy';
import type { Evidence } from './evidence';

export type ClaimRow = {
  id: string;
  seller_id: string;
  marketplace_id: string;
  order_id: string;
  currency: string;
  reason: ClaimReason;
  description: string;
  requested_amount: bigint;
  granted_amount: bigint;
  status: string;
  stage: 'first' | 'appeal';
  facts: Record<string, unknown>;
  decision: Record<string, unknown> | null;
  reply_by: Date | null;
  appeal_by: Date | null;
  first_reviewer_id: string | null;
  filed_at: Date;
  decided_at: Date | null;
};

/** The marketplace's reimbursement policy: its own settings over T2's defaults. */
export async function claimSettingsOf(db: Db, marketplaceId: string, at: Date): Promise<ClaimSettings> {
  const r = (
    await sql<{
      settings: Partial<ClaimSettings>;
    }>`select settings from claim_policy where marketplace_id = ${marketplaceId} and effective_from <= ${at}
      order by effective_from desc limit 1`.execute(db)
  ).rows[0];
  return { ...DEFAULT_CLAIM_SETTINGS, ...r?.settings };
}

export async function saveClaimSettings(
  db: Db,
  marketplaceId: string,
  settings: ClaimSettings,
  effectiveFrom: Date,
) {
  if (!(await findMarketplace(db, marketplaceId))) throw notFound('Marketplace');
  await sql`insert into claim_policy (marketplace_id, effective_from, settings) values (${marketplaceId}, ${effectiveFrom}, ${JSON.stringify(settings)}::jsonb)
    on conflict (marketplace_id, effective_from) do update set settings = excluded.settings, updated_at = now()`.execute(
    db,
  );
}

/** What the data say about an order's refunds and return, for the policy. */
export async function claimFacts(db: Db, orderId: string): Promise<ClaimFacts & { orderExternalId: string }> {
  const o = (
    await sql<{ external_id: string; currency: string; order_total: bigint }>`
    select external_id, currency, order_total from "order" where id = ${orderId}::uuid`.execute(db)
  ).rows[0];
  if (!o) throw notFound('Order');
  const refunds = await sql<{ id: string; amount_items: bigint; amount_shipping: bigint; decided_at: Date }>`
    select id, amount_items, amount_shipping, coalesce(approved_at, decided_at) as decided_at from concession
    where order_id = ${orderId}::uuid and status = 'issued' order by decided_at`.execute(db);
  const other = (
    await sql<{ seller_refunded: boolean; claimed: boolean }>`select
      exists (select 1 from refund_deadline where order_id = ${orderId}::uuid and status = 'refunded_by_seller') as seller_refunded,
      exists (select 1 from reimbursement_claim where order_id = ${orderId}::uuid) as claimed`.execute(db)
  ).rows[0]!;
  const ret = (
    await sql<{
      reason: string;
      authorised_at: Date | null;
      received_at: Date | null;
      scanned: boolean;
      lost: boolean;
    }>`select t.reason, t.authorised_at, t.received_at,
      exists (select 1 from return_event e where e.return_id = t.id and e.code <> 'label_created') as scanned,
      exists (select 1 from return_event e where e.return_id = t.id and e.code = 'lost') as lost
    from "return" t where t.order_id = ${orderId}::uuid and t.authorisation = 'authorised' order by t.requested_at desc limit 1`.execute(
      db,
    )
  ).rows[0];
  return {
    orderExternalId: o.external_id,
    currency: o.currency,
    orderValue: BigInt(o.order_total),
    marketplaceRefunds: refunds.rows.map((r) => ({
      concessionId: r.id,
      items: BigInt(r.amount_items),
      shipping: BigInt(r.amount_shipping),
      refundedAt: r.decided_at,
    })),
    refundedBySeller: other.seller_refunded,
    alreadyClaimed: other.claimed,
    return: ret
      ? {
          authorisedAt: ret.authorised_at,
          receivedAt: ret.received_at,
          scanned: ret.scanned,
          lostInTransit: ret.lost,
          buyerFault: returnReasonFault[ret.reason as keyof typeof returnReasonFault] === 'buyer',
        }
      : null,
  };
}

export const factsForPeople = (f: Awaited<ReturnType<typeof claimFacts>>) => ({
  orderExternalId: f.orderExternalId,
  orderValue: minorUnits(f.orderValue),
  refunds: f.marketplaceRefunds.map((r) => ({
    concessionId: r.concessionId,
    items: minorUnits(r.items),
    shipping: minorUnits(r.shipping),
    refundedAt: r.refundedAt.toISOString(),
  })),
  return: f.return && {
    authorisedAt: f.return.authorisedAt?.toISOString() ?? null,
    receivedAt: f.return.receivedAt?.toISOString() ?? null,
    carrierScanned: f.return.scanned,
    buyerFault: f.return.buyerFault,
  },
});

export async function orderOfSeller(db: Db, sellerId: string, orderExternalId: string) {
  const o = (
    await sql<{ id: string; marketplace_id: string }>`select id, marketplace_id from "order"
    where external_id = ${orderExternalId} and seller_id = ${sellerId}::uuid`.execute(db)
  ).rows[0];
  if (!o) throw notFound('Order');
  return o;
}

export async function storeEvidence(db: Db, claimId: string, files: readonly Evidence[], at: Date) {
  for (const f of files) {
    await sql`insert into claim_evidence (claim_id, filename, content_type, size_bytes, sha256, content, uploaded_at)
      values (${claimId}::uuid, ${f.filename}, ${f.contentType}, ${f.data.length}, ${createHash('sha256').update(f.data).digest('hex')},
        ${f.data}, ${at}) on conflict (claim_id, sha256) do nothing`.execute(db);
  }
}

export async function addEvent(
  db: Db,
  claimId: string,
  kind: string,
  actor: string,
  at: Date,
  note: string | null = null,
  data: Record<string, unknown> = {},
  idempotency: Idempotency | null = null,
) {
  await insertWithKey(
    sql`insert into claim_event (claim_id, idempotency_scope, idempotency_key, idempotency_fingerprint, kind, actor, note, data, at)
    values (${claimId}::uuid, ${idempotency?.scope ?? null}, ${idempotency?.key ?? null}, ${idempotency?.fingerprint ?? null},
      ${kind}, ${actor}, ${note}, ${JSON.stringify(data)}::jsonb, ${at})`.execute(db),
  );
}

export async function loadClaim(db: Db, claimId: string, lock = false): Promise<ClaimRow> {
  const r = lock
    ? await sql<ClaimRow>`select * from reimbursement_claim where id = ${claimId}::uuid for update`.execute(
        db,
      )
    : await sql<ClaimRow>`select * from reimbursement_claim where id = ${claimId}::uuid`.execute(db);
  if (!r.rows[0]) throw notFound('Claim');
  return r.rows[0];
}

/** Claims as sellers and reviewers see them, with events and evidence: three queries however many. */
async function claimViews(db: Db, where: RawBuilder<unknown>, order: RawBuilder<unknown>) {
  const claims = (
    await sql<ClaimRow & { order_external_id: string }>`select c.*, o.external_id as order_external_id
      from reimbursement_claim c join "order" o on o.id = c.order_id where ${where} order by ${order} limit 200`.execute(
      db,
    )
  ).rows;
  const ids = claims.map((c) => c.id);
  const [events, evidence] = await Promise.all([
    sql<{
      claim_id: string;
      kind: string;
      actor: string;
      note: string | null;
      data: Record<string, unknown>;
      at: Date;
    }>`
      select claim_id, kind, case when actor in ('seller', 'system') then actor else 'reviewer' end as actor, note, data, at
      from claim_event where claim_id = any(${ids}::uuid[]) order by id`.execute(db),
    sql<{
      claim_id: string;
      id: string;
      filename: string;
      content_type: string;
      size_bytes: number;
      sha256: string;
    }>`
      select claim_id, id, filename, content_type, size_bytes, sha256 from claim_evidence
      where claim_id = any(${ids}::uuid[]) order by uploaded_at, filename`.execute(db),
  ]);
  return claims.map((c) => ({
    id: c.id,
    sellerId: c.seller_id,
    marketplace: c.marketplace_id,
    orderExternalId: c.order_external_id,
    reason: c.reason,
    description: c.description,
    status: c.status,
    stage: c.stage,
    currency: c.currency,
    requestedAmount: Number(c.requested_amount),
    grantedAmount: Number(c.granted_amount),
    decision: c.decision,
    facts: c.facts,
    replyBy: c.reply_by?.toISOString() ?? null,
    appealBy: c.appeal_by?.toISOString() ?? null,
    filedAt: c.filed_at.toISOString(),
    decidedAt: c.decided_at?.toISOString() ?? null,
    events: events.rows
      .filter((e) => e.claim_id === c.id)
      .map((e) => ({ kind: e.kind, actor: e.actor, note: e.note, data: e.data, at: e.at.toISOString() })),
    evidence: evidence.rows
      .filter((e) => e.claim_id === c.id)
      .map((e) => ({
        id: e.id,
        filename: e.filename,
        contentType: e.content_type,
        sizeBytes: e.size_bytes,
        sha256: e.sha256,
      })),
  }));
}

export async function claimView(db: Db, claimId: string) {
  const [view] = await claimViews(db, sql`c.id = ${claimId}::uuid`, sql`c.filed_at`);
  if (!view) throw notFound('Claim');
  return view;
}

export async function sellerClaims(db: Db, sellerId: string) {
  return claimViews(db, sql`c.seller_id = ${sellerId}::uuid`, sql`c.filed_at desc`);
}

export async function sellerClaim(db: Db, sellerId: string, claimId: string) {
  const [view] = await claimViews(
    db,
    sql`c.id = ${claimId}::uuid and c.seller_id = ${sellerId}::uuid`,
    sql`c.filed_at`,
  );
  if (!view) throw notFound('Claim');
  return view;
}

/** The reviewers' queue: oldest first, appeals among them. */
export async function reviewQueue(db: Db) {
  return claimViews(db, sql`c.status = 'under_review'`, sql`c.filed_at`);
}

export async function evidenceFile(db: Db, claimId: string, evidenceId: string, sellerId: string | null) {
  const r = await sql<{ filename: string; content_type: string; content: Buffer }>`
    select e.filename, e.content_type, e.content from claim_evidence e join reimbursement_claim c on c.id = e.claim_id
    where e.id = ${evidenceId}::uuid and c.id = ${claimId}::uuid and (${sellerId}::uuid is null or c.seller_id = ${sellerId}::uuid)`.execute(
    db,
  );
  if (!r.rows[0]) throw notFound('Evidence');
  return r.rows[0];
}
