// Reimbursement claims (SPEC T1, T2): filing with eligibility and evidence, automatic grants the data
// prove, the reviewers' queue, requests for information with a reply-by deadline, full or partial
// grants or denials with reasons, one appeal, and the reimbursement posted to the ledger once.
// A claim never changes the concession it is about, so seller metrics built on concessions stay as
// they were (T: claims are reimbursed, not reversed).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { publishEvent } from '../../platform/events';
import { cancelTimer, scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { postBatch } from '../ledger';
import { returnReasonFault } from '../returns';
import {
  automaticGrant,
  type ClaimFacts,
  type ClaimReason,
  type ClaimSettings,
  checkReview,
  claimEligibility,
  DEFAULT_CLAIM_SETTINGS,
  type DenialReason,
  type ReviewOutcome,
} from './claim-policy';

export type Evidence = { filename: string; contentType: string; data: Buffer };
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 10;
const DAY = 86_400_000;

// The first bytes each accepted type must start with: a photo named .jpg must be a JPEG.
const SIGNATURES: Record<string, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};
export const evidenceTypes = Object.keys(SIGNATURES) as [string, ...string[]];

type ClaimRow = {
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
  const m = await sql`select 1 from marketplace where id = ${marketplaceId}`.execute(db);
  if (m.rows.length === 0) throw notFound('Marketplace');
  await sql`insert into claim_policy (marketplace_id, effective_from, settings) values (${marketplaceId}, ${effectiveFrom}, ${JSON.stringify(settings)}::jsonb)
    on conflict (marketplace_id, effective_from) do update set settings = excluded.settings, updated_at = now()`.execute(
    db,
  );
}

/** What the data say about an order's refunds and return, for the policy. */
async function claimFacts(db: Db, orderId: string): Promise<ClaimFacts & { orderExternalId: string }> {
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

const factsForPeople = (f: Awaited<ReturnType<typeof claimFacts>>) => ({
  orderExternalId: f.orderExternalId,
  orderValue: f.orderValue.toString(),
  refunds: f.marketplaceRefunds.map((r) => ({
    concessionId: r.concessionId,
    items: r.items.toString(),
    shipping: r.shipping.toString(),
    refundedAt: r.refundedAt.toISOString(),
  })),
  return: f.return && {
    authorisedAt: f.return.authorisedAt?.toISOString() ?? null,
    receivedAt: f.return.receivedAt?.toISOString() ?? null,
    carrierScanned: f.return.scanned,
    buyerFault: f.return.buyerFault,
  },
});

async function orderOfSeller(db: Db, sellerId: string, orderExternalId: string) {
  const o = (
    await sql<{ id: string; marketplace_id: string }>`select id, marketplace_id from "order"
    where external_id = ${orderExternalId} and seller_id = ${sellerId}::uuid`.execute(db)
  ).rows[0];
  if (!o) throw notFound('Order');
  return o;
}

export async function checkEligibility(
  db: Db,
  sellerId: string,
  orderExternalId: string,
  reason: ClaimReason,
  at: Date,
) {
  const o = await orderOfSeller(db, sellerId, orderExternalId);
  const settings = await claimSettingsOf(db, o.marketplace_id, at);
  const f = await claimFacts(db, o.id);
  return { currency: f.currency, ...claimEligibility(settings, f, reason, null, at) };
}

function checkEvidence(files: readonly Evidence[], alreadyStored: number) {
  if (files.length + alreadyStored > EVIDENCE_MAX_FILES)
    throw new AppError('validation_failed', `At most ${EVIDENCE_MAX_FILES} evidence files per claim`);
  for (const [i, f] of files.entries()) {
    if (f.data.length === 0 || f.data.length > EVIDENCE_MAX_BYTES)
      throw new AppError('payload_too_large', `Evidence files are 1 byte to 5 MB`, [
        { path: `evidence.${i}`, code: 'size', message: `${f.data.length} bytes` },
      ]);
    const sig = SIGNATURES[f.contentType];
    if (!sig || !sig.every((b, k) => f.data[k] === b))
      throw new AppError('unsupported_media_type', `${f.filename} is not a ${f.contentType} file`, [
        { path: `evidence.${i}`, code: 'content_mismatch', message: 'JPEG, PNG or PDF only' },
      ]);
  }
}

async function storeEvidence(db: Db, claimId: string, files: readonly Evidence[], at: Date) {
  for (const f of files) {
    await sql`insert into claim_evidence (claim_id, filename, content_type, size_bytes, sha256, content, uploaded_at)
      values (${claimId}::uuid, ${f.filename}, ${f.contentType}, ${f.data.length}, ${createHash('sha256').update(f.data).digest('hex')},
        ${f.data}, ${at}) on conflict (claim_id, sha256) do nothing`.execute(db);
  }
}

async function addEvent(
  db: Db,
  claimId: string,
  kind: string,
  actor: string,
  at: Date,
  note: string | null = null,
  data: Record<string, unknown> = {},
  idempotencyKey: string | null = null,
) {
  await sql`insert into claim_event (claim_id, idempotency_key, kind, actor, note, data, at)
    values (${claimId}::uuid, ${idempotencyKey}, ${kind}, ${actor}, ${note}, ${JSON.stringify(data)}::jsonb, ${at})`.execute(
    db,
  );
}

async function loadClaim(db: Db, claimId: string, lock = false): Promise<ClaimRow> {
  const r = lock
    ? await sql<ClaimRow>`select * from reimbursement_claim where id = ${claimId}::uuid for update`.execute(
        db,
      )
    : await sql<ClaimRow>`select * from reimbursement_claim where id = ${claimId}::uuid`.execute(db);
  if (!r.rows[0]) throw notFound('Claim');
  return r.rows[0];
}

/** The reimbursement moves once per decision stage; an appeal pays only what it adds. */
async function reimburse(db: Db, c: ClaimRow, newTotal: bigint, at: Date) {
  const delta = newTotal - BigInt(c.granted_amount);
  if (delta <= 0n) return;
  await postBatch(db, {
    idempotencyKey: `claim:${c.id}:${c.stage}`,
    decision: { kind: 'claim', id: c.id },
    description: `Reimbursement of a marketplace refund (claim ${c.reason})`,
    postings: [
      {
        account: {
          kind: 'seller',
          sellerId: c.seller_id,
          marketplaceId: c.marketplace_id,
          currency: c.currency,
        },
        amount: delta,
      },
      {
        account: {
          kind: 'marketplace_reimbursements',
          marketplaceId: c.marketplace_id,
          currency: c.currency,
        },
        amount: -delta,
      },
    ],
    at,
  });
}

async function announce(db: Db, c: ClaimRow, status: string, at: Date, extra: Record<string, unknown> = {}) {
  const data = { claimId: c.id, status, stage: c.stage, currency: c.currency, ...extra };
  await scheduleTimer(db, 'notify_seller', `claim:${c.id}:${status}:${c.stage}`, at, {
    sellerId: c.seller_id,
    category: 'returns_and_claims',
    template: 'claim_update',
    data,
  });
  await publishEvent(db, {
    type: 'claim.updated',
    key: `claim:${c.id}:${status}:${c.stage}:${at.getTime()}`,
    sellerId: c.seller_id,
    marketplaceId: c.marketplace_id,
    data,
    at,
  });
}

export type FileClaim = {
  idempotencyKey: string;
  sellerId: string;
  orderExternalId: string;
  reason: ClaimReason;
  amount: bigint | null;
  description: string;
  evidence: readonly Evidence[];
  at: Date;
};

export async function fileClaim(db: Db, req: FileClaim) {
  const key = `${req.sellerId}:${req.idempotencyKey}`;
  const seen = async () =>
    (await sql<{ id: string }>`select id from reimbursement_claim where idempotency_key = ${key}`.execute(db))
      .rows[0];
  const earlier = await seen();
  if (earlier) return { claim: await claimView(db, earlier.id), replayed: true };
  checkEvidence(req.evidence, 0);
  const o = await orderOfSeller(db, req.sellerId, req.orderExternalId);
  // One claim per order, even when two arrive at once.
  await sql`select pg_advisory_xact_lock(hashtext(${`claim:${o.id}`}))`.execute(db);
  const again = await seen();
  if (again) return { claim: await claimView(db, again.id), replayed: true };

  const settings = await claimSettingsOf(db, o.marketplace_id, req.at);
  const f = await claimFacts(db, o.id);
  const e = claimEligibility(settings, f, req.reason, req.amount, req.at);
  if (!e.eligible)
    throw new AppError(
      'not_eligible',
      e.problems.map((p) => p.message).join(' '),
      e.problems.map((p) => ({ path: 'orderExternalId', ...p })),
    );
  const requested = req.amount ?? e.maxAmount;
  const auto = automaticGrant(settings, f, req.reason, requested, req.at);
  const c = (
    await sql<ClaimRow>`insert into reimbursement_claim (idempotency_key, seller_id, marketplace_id, order_id, currency, reason,
      description, requested_amount, status, facts, filed_at)
    values (${key}, ${req.sellerId}::uuid, ${o.marketplace_id}, ${o.id}::uuid, ${f.currency}, ${req.reason}, ${req.description},
      ${requested.toString()}::bigint, 'under_review', ${JSON.stringify(factsForPeople(f))}::jsonb, ${req.at})
    returning *`.execute(db)
  ).rows[0]!;
  await storeEvidence(db, c.id, req.evidence, req.at);
  await addEvent(db, c.id, 'filed', 'seller', req.at, req.description, { amount: requested.toString() });
  if (auto) {
    await settle(
      db,
      c,
      'granted',
      auto.amount,
      { rule: auto.rule, explanation: auto.explanation },
      'system',
      req.at,
      settings,
    );
  } else {
    await announce(db, c, 'under_review', req.at);
  }
  return { claim: await claimView(db, c.id), replayed: false };
}

/** Records a decision, posts what it adds to the ledger and opens the appeal window if one is left. */
async function settle(
  db: Db,
  c: ClaimRow,
  status: 'granted' | 'partially_granted' | 'denied',
  total: bigint,
  decision: Record<string, unknown>,
  actor: string,
  at: Date,
  settings: ClaimSettings,
  idempotencyKey: string | null = null,
) {
  await reimburse(db, c, total, at);
  const appealBy =
    c.stage === 'first' && status !== 'granted' ? new Date(at.getTime() + settings.appealByDays * DAY) : null;
  await sql`update reimbursement_claim set status = ${status}, granted_amount = ${total.toString()}::bigint,
      decision = ${JSON.stringify({ ...decision, stage: c.stage })}::jsonb, decided_at = ${at}, appeal_by = ${appealBy}, reply_by = null,
      first_reviewer_id = coalesce(first_reviewer_id, ${actor === 'system' ? null : actor}::uuid)
    where id = ${c.id}::uuid`.execute(db);
  await addEvent(
    db,
    c.id,
    status,
    actor,
    at,
    (decision.note as string) ?? null,
    { ...decision, total: total.toString() },
    idempotencyKey,
  );
  await announce(db, c, status, at, {
    grantedAmount: total.toString(),
    appealBy: appealBy?.toISOString() ?? null,
  });
}

const REVIEWABLE = ['under_review'];

export async function requestInformation(
  db: Db,
  claimId: string,
  reviewerId: string,
  question: string,
  at: Date,
) {
  const c = await loadClaim(db, claimId, true);
  const settings = await claimSettingsOf(db, c.marketplace_id, at);
  if (!REVIEWABLE.includes(c.status))
    throw new AppError('conflict', `This claim is ${c.status.replaceAll('_', ' ')}`);
  const replyBy = new Date(at.getTime() + settings.replyByDays * DAY);
  await sql`update reimbursement_claim set status = 'awaiting_seller', reply_by = ${replyBy} where id = ${c.id}::uuid`.execute(
    db,
  );
  await addEvent(db, c.id, 'information_requested', reviewerId, at, question, {
    replyBy: replyBy.toISOString(),
  });
  await scheduleTimer(db, 'claim_reply_due', c.id, replyBy, { claimId: c.id });
  await announce(db, c, 'awaiting_seller', at, { question, replyBy: replyBy.toISOString() });
  return claimView(db, c.id);
}

export async function replyToClaim(
  db: Db,
  claimId: string,
  sellerId: string,
  message: string,
  evidence: readonly Evidence[],
  at: Date,
) {
  const c = await loadClaim(db, claimId, true);
  if (c.seller_id !== sellerId) throw notFound('Claim');
  if (c.status !== 'awaiting_seller')
    throw new AppError('conflict', 'No information was requested on this claim');
  const stored = (
    await sql<{
      n: number;
    }>`select count(*)::int as n from claim_evidence where claim_id = ${c.id}::uuid`.execute(db)
  ).rows[0]!.n;
  checkEvidence(evidence, stored);
  await storeEvidence(db, c.id, evidence, at);
  await sql`update reimbursement_claim set status = 'under_review', reply_by = null where id = ${c.id}::uuid`.execute(
    db,
  );
  await addEvent(db, c.id, 'seller_replied', 'seller', at, message, { files: evidence.length });
  await cancelTimer(db, 'claim_reply_due', c.id);
  return claimView(db, c.id);
}

export type Review = {
  idempotencyKey: string;
  outcome: ReviewOutcome;
  amount: bigint | null;
  denialReason: DenialReason | null;
  note: string;
};

export async function decideClaim(db: Db, claimId: string, reviewerId: string, review: Review, at: Date) {
  const key = `${claimId}:${review.idempotencyKey}`;
  const replay = async () =>
    (await sql`select 1 from claim_event where idempotency_key = ${key}`.execute(db)).rows.length > 0;
  if (await replay()) return { claim: await claimView(db, claimId), replayed: true };
  const c = await loadClaim(db, claimId, true);
  if (await replay()) return { claim: await claimView(db, claimId), replayed: true };
  if (!REVIEWABLE.includes(c.status))
    throw new AppError('conflict', `This claim is ${c.status.replaceAll('_', ' ')}`);
  if (c.stage === 'appeal' && c.first_reviewer_id === reviewerId)
    throw new AppError('forbidden', 'An appeal is decided by another reviewer than the first decision');
  const settings = await claimSettingsOf(db, c.marketplace_id, at);
  const f = await claimFacts(db, c.order_id);
  const check = checkReview(
    settings,
    f,
    { reason: c.reason, requested: BigInt(c.requested_amount), alreadyGranted: BigInt(c.granted_amount) },
    review,
  );
  if (check.problems.length > 0)
    throw new AppError(
      'validation_failed',
      check.problems.map((p) => p.message).join(' '),
      check.problems.map((p) => ({
        path: p.code === 'denial_reason_required' ? 'denialReason' : 'amount',
        ...p,
      })),
    );
  const status =
    review.outcome === 'deny' && check.total === 0n
      ? 'denied'
      : review.outcome === 'grant'
        ? 'granted'
        : 'partially_granted';
  await settle(
    db,
    c,
    status,
    check.total,
    { outcome: review.outcome, denialReason: review.denialReason, note: review.note },
    reviewerId,
    at,
    settings,
    key,
  );
  return { claim: await claimView(db, c.id), replayed: false };
}

/** One appeal, before the appeal-by deadline, of a denial or a partial grant. */
export async function appealClaim(db: Db, claimId: string, sellerId: string, note: string, at: Date) {
  const c = await loadClaim(db, claimId, true);
  if (c.seller_id !== sellerId) throw notFound('Claim');
  if (c.stage === 'appeal')
    throw new AppError('conflict', 'This claim was already appealed; one appeal per claim');
  if (c.status !== 'denied' && c.status !== 'partially_granted')
    throw new AppError(
      'conflict',
      `Only a denial or a partial grant can be appealed; this claim is ${c.status.replaceAll('_', ' ')}`,
    );
  if (!c.appeal_by || at > c.appeal_by)
    throw new AppError(
      'conflict',
      `The appeal had to be filed by ${c.appeal_by?.toISOString() ?? 'the decision'}`,
    );
  await sql`update reimbursement_claim set status = 'under_review', stage = 'appeal', appeal_by = null where id = ${c.id}::uuid`.execute(
    db,
  );
  await addEvent(db, c.id, 'appealed', 'seller', at, note);
  await announce(db, { ...c, stage: 'appeal' }, 'under_review', at);
  return claimView(db, c.id);
}

export async function claimView(db: Db, claimId: string) {
  const c = await loadClaim(db, claimId);
  const [events, evidence, order] = await Promise.all([
    sql<{ kind: string; actor: string; note: string | null; data: Record<string, unknown>; at: Date }>`
      select kind, case when actor in ('seller', 'system') then actor else 'reviewer' end as actor, note, data, at
      from claim_event where claim_id = ${c.id}::uuid order by id`.execute(db),
    sql<{ id: string; filename: string; content_type: string; size_bytes: number; sha256: string }>`
      select id, filename, content_type, size_bytes, sha256 from claim_evidence where claim_id = ${c.id}::uuid order by uploaded_at, filename`.execute(
      db,
    ),
    sql<{ external_id: string }>`select external_id from "order" where id = ${c.order_id}::uuid`.execute(db),
  ]);
  return {
    id: c.id,
    sellerId: c.seller_id,
    marketplace: c.marketplace_id,
    orderExternalId: order.rows[0]!.external_id,
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
    events: events.rows.map((e) => ({ ...e, at: e.at.toISOString() })),
    evidence: evidence.rows.map((e) => ({
      id: e.id,
      filename: e.filename,
      contentType: e.content_type,
      sizeBytes: e.size_bytes,
      sha256: e.sha256,
    })),
  };
}

export async function sellerClaims(db: Db, sellerId: string) {
  const r = await sql<{ id: string }>`select id from reimbursement_claim where seller_id = ${sellerId}::uuid
    order by filed_at desc limit 200`.execute(db);
  return Promise.all(r.rows.map((x) => claimView(db, x.id)));
}

export async function sellerClaim(db: Db, sellerId: string, claimId: string) {
  const r =
    await sql`select 1 from reimbursement_claim where id = ${claimId}::uuid and seller_id = ${sellerId}::uuid`.execute(
      db,
    );
  if (r.rows.length === 0) throw notFound('Claim');
  return claimView(db, claimId);
}

/** The reviewers' queue: oldest first, appeals among them. */
export async function reviewQueue(db: Db) {
  const r = await sql<{ id: string }>`select id from reimbursement_claim where status = 'under_review'
    order by filed_at limit 200`.execute(db);
  return Promise.all(r.rows.map((x) => claimView(db, x.id)));
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

export const claimTimerHandlers: TimerHandlers = {
  /** No reply by the deadline: the claim is denied for that reason (an appeal stays possible). */
  async claim_reply_due(tx, payload, now) {
    const c = await loadClaim(tx, String(payload.claimId), true);
    if (c.status !== 'awaiting_seller' || !c.reply_by || c.reply_by > now) return;
    await settle(
      tx,
      c,
      BigInt(c.granted_amount) > 0n ? 'partially_granted' : 'denied',
      BigInt(c.granted_amount),
      { outcome: 'deny', denialReason: 'no_reply_by_deadline', note: 'No reply by the reply-by date.' },
      'system',
      now,
      await claimSettingsOf(tx, c.marketplace_id, now),
    );
  },
};
