// Reimbursement claims (SPEC T1, T2), the use cases: filing with eligibility and evidence, automatic
// grants the data prove, requests for information with a reply-by deadline, full or partial grants or
// denials with reasons, one appeal, and the reimbursement posted to the ledger once. A claim never
// changes the concession it is about, so seller metrics built on concessions stay as they were.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { publishEvent } from '../../platform/events';
import { checkReplay, type Idempotency, insertWithKey } from '../../platform/idempotency';
import { minorUnits } from '../../platform/money';
import { cancelTimer, scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { postBatch } from '../ledger';
import {
  automaticGrant,
  type ClaimReason,
  type ClaimSettings,
  checkReview,
  claimEligibility,
  type DenialReason,
  type ReviewOutcome,
} from './claim-policy';
import {
  addEvent,
  type ClaimRow,
  claimFacts,
  claimSettingsOf,
  claimView,
  factsForPeople,
  loadClaim,
  orderOfSeller,
  storeEvidence,
} from './claims.repository';
import { checkEvidence, type Evidence } from './evidence';

const DAY = 86_400_000;

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
  idempotency: Idempotency;
  sellerId: string;
  orderExternalId: string;
  reason: ClaimReason;
  amount: bigint | null;
  description: string;
  evidence: readonly Evidence[];
  at: Date;
};

export async function fileClaim(db: Db, req: FileClaim) {
  const key = req.idempotency;
  const seen = async () => {
    const r = (
      await sql<{ id: string; idempotency_fingerprint: string | null }>`select id, idempotency_fingerprint
      from reimbursement_claim where idempotency_scope = ${key.scope} and idempotency_key = ${key.key}`.execute(
        db,
      )
    ).rows[0];
    if (r) checkReplay(r.idempotency_fingerprint, key);
    return r;
  };
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
    await insertWithKey(
      sql<ClaimRow>`insert into reimbursement_claim (idempotency_scope, idempotency_key, idempotency_fingerprint, seller_id,
      marketplace_id, order_id, currency, reason, description, requested_amount, status, facts, filed_at)
    values (${key.scope}, ${key.key}, ${key.fingerprint}, ${req.sellerId}::uuid, ${o.marketplace_id}, ${o.id}::uuid, ${f.currency}, ${req.reason}, ${req.description},
      ${requested.toString()}::bigint, 'under_review', ${JSON.stringify(factsForPeople(f))}::jsonb, ${req.at})
    returning *`.execute(db),
    )
  ).rows[0]!;
  await storeEvidence(db, c.id, req.evidence, req.at);
  await addEvent(db, c.id, 'filed', 'seller', req.at, req.description, { amount: minorUnits(requested) });
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
  idempotency: Idempotency | null = null,
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
    { ...decision, total: minorUnits(total) },
    idempotency,
  );
  await announce(db, c, status, at, {
    grantedAmount: minorUnits(total),
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
  idempotency: Idempotency;
  outcome: ReviewOutcome;
  amount: bigint | null;
  denialReason: DenialReason | null;
  note: string;
};

export async function decideClaim(db: Db, claimId: string, reviewerId: string, review: Review, at: Date) {
  const key = review.idempotency;
  // The claim the key decided before, if any: the same decision again, or refused.
  const decided = async () => {
    const r = (
      await sql<{
        claim_id: string;
        idempotency_fingerprint: string | null;
      }>`select claim_id, idempotency_fingerprint
      from claim_event where idempotency_scope = ${key.scope} and idempotency_key = ${key.key}`.execute(db)
    ).rows[0];
    if (r) checkReplay(r.idempotency_fingerprint, key);
    return r;
  };
  const earlier = await decided();
  if (earlier) return { claim: await claimView(db, earlier.claim_id), replayed: true };
  const c = await loadClaim(db, claimId, true);
  const again = await decided();
  if (again) return { claim: await claimView(db, again.claim_id), replayed: true };
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
