// Policy simulation beyond fees (issue 18 item 10): a draft return window and a draft agent concession
// limit judged against a past month's real returns and concessions — what they would have changed or
// cost, per seller and in total. It reads; it writes nothing. The judgements are pure functions.
import { sql } from 'kysely';
import type { LocalDate } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { approvalLimits } from '../refunds';
import { returnPolicyOf, returnWindowEnd } from '../returns';
import { marketplaceFacts } from './billing.repository';
import { addMonths, type Month, monthStart } from './fee-rules';

type ReturnPolicy = Parameters<typeof returnWindowEnd>[0];

export type StoredReturn = {
  /** The reason of the policy's decision when it was authorised (within_return_window, agent_exception…). */
  decisionReason: string;
  requestedOn: LocalDate;
  deliveredOn: LocalDate | null;
  shippedOn: LocalDate | null;
  category: string | null;
};

export type ReturnJudgement =
  | { outcome: 'unchanged'; reason: 'still_within_window' | 'still_outside_window' | 'not_about_the_window' }
  | { outcome: 'would_need_exception'; reason: 'outside_draft_window'; draftEndsOn: LocalDate }
  | { outcome: 'would_be_automatic'; reason: 'within_draft_window'; draftEndsOn: LocalDate };

/**
 * Pure: a return authorised in the month, judged with the draft window (per-category windows and the
 * holiday extension stay as they are). Authorised by the policy but outside the draft → an agent's
 * exception would have been needed; authorised by an agent's exception but inside the draft → the
 * policy would have authorised it alone. Returns always returnable (seller's fault) do not depend on it.
 */
export function returnUnderDraftWindow(
  r: StoredReturn,
  current: ReturnPolicy,
  draftWindowDays: number,
): ReturnJudgement {
  const automatic = r.decisionReason === 'within_return_window' || r.decisionReason === 'holiday_extension';
  const excepted = r.decisionReason === 'agent_exception';
  if ((!automatic && !excepted) || !r.deliveredOn)
    return { outcome: 'unchanged', reason: 'not_about_the_window' };
  // An exception for a category that is never returnable was not about the window either.
  if (excepted && r.category && current.nonReturnableCategories.includes(r.category))
    return { outcome: 'unchanged', reason: 'not_about_the_window' };
  const draft = returnWindowEnd(
    { ...current, windowDays: draftWindowDays },
    r.deliveredOn,
    r.shippedOn,
    r.category,
  );
  const inDraft = r.requestedOn <= draft.end;
  if (automatic && !inDraft)
    return { outcome: 'would_need_exception', reason: 'outside_draft_window', draftEndsOn: draft.end };
  if (excepted && inDraft)
    return { outcome: 'would_be_automatic', reason: 'within_draft_window', draftEndsOn: draft.end };
  return { outcome: 'unchanged', reason: inDraft ? 'still_within_window' : 'still_outside_window' };
}

export type StoredConcession = {
  total: bigint;
  status: 'issued' | 'pending_approval' | 'denied';
  /** A supervisor approved or denied it (it waited above the agent's limit). */
  waited: boolean;
  deciderRole: string | null;
};

export type ConcessionJudgement =
  | { outcome: 'unchanged'; reason: 'not_decided_by_an_agent' | 'same_side_of_the_limit' }
  | { outcome: 'would_need_supervisor'; reason: 'above_draft_limit' }
  | { outcome: 'would_issue_at_once'; reason: 'within_draft_limit'; chargedToSellerToo: boolean };

/**
 * Pure (K6): an agent's concession of the month against a draft agent limit. Issued alone but above the
 * draft → it would have waited for a supervisor; waited (approved, denied or still pending) but within
 * the draft → the agent would have issued it at once — and one a supervisor denied would then have
 * been charged to the seller (L1). Bots and supervisors have limits of their own: not judged.
 */
export function concessionUnderDraftLimit(c: StoredConcession, draftAgentLimit: bigint): ConcessionJudgement {
  if (c.deciderRole !== 'agent') return { outcome: 'unchanged', reason: 'not_decided_by_an_agent' };
  const issuedAlone = c.status === 'issued' && !c.waited;
  if (issuedAlone && c.total > draftAgentLimit)
    return { outcome: 'would_need_supervisor', reason: 'above_draft_limit' };
  if (!issuedAlone && c.total <= draftAgentLimit)
    return {
      outcome: 'would_issue_at_once',
      reason: 'within_draft_limit',
      chargedToSellerToo: c.status === 'denied',
    };
  return { outcome: 'unchanged', reason: 'same_side_of_the_limit' };
}

type Tally = { count: number; amount: bigint };
const tally = (): Tally => ({ count: 0, amount: 0n });
const add = (t: Tally, amount: bigint) => {
  t.count++;
  t.amount += amount;
};

/** What a draft return window and/or agent concession limit would have changed in a past month. */
export async function simulatePolicies(
  db: Db,
  s: {
    marketplaceId: string;
    month: Month;
    now: Date;
    returnWindowDays?: number;
    agentConcessionLimit?: bigint;
  },
) {
  const m = await marketplaceFacts(db, s.marketplaceId);
  if (!m) throw new AppError('not_found', `Marketplace ${s.marketplaceId} not found`);
  const from = monthStart(s.month, m.timeZone);
  const to = monthStart(addMonths(s.month, 1), m.timeZone);
  if (to > s.now)
    throw new AppError('validation_failed', `${s.month} is not over yet in ${m.id} (${m.timeZone})`);
  return {
    marketplaceId: m.id,
    month: s.month,
    currency: m.currency,
    returnWindow:
      s.returnWindowDays === undefined
        ? null
        : await returnsUnderDraft(db, m.id, from, to, s.returnWindowDays),
    concessionLimit:
      s.agentConcessionLimit === undefined
        ? null
        : await concessionsUnderDraft(db, m.id, from, to, s.agentConcessionLimit),
  };
}

async function returnsUnderDraft(db: Db, marketplaceId: string, from: Date, to: Date, draftDays: number) {
  const rows = await sql<{
    seller_id: string;
    requested_at: Date;
    decision: { reason?: string; facts?: Record<string, string | null> } | null;
    value: string;
  }>`
    select r.seller_id, r.requested_at, r.decision,
      coalesce((select sum(rl.units * ol.unit_price) from return_line rl
        join order_line ol on ol.order_id = r.order_id and ol.line_no = rl.line_no where rl.return_id = r.id), 0)::bigint as value
    from "return" r join "order" o on o.id = r.order_id
    where o.marketplace_id = ${marketplaceId} and r.authorisation = 'authorised'
      and r.requested_at >= ${from} and r.requested_at < ${to}
    order by r.seller_id, r.requested_at`.execute(db);
  // The policy in force when the month began (its window is what the draft would replace).
  const current = await returnPolicyOf(db, marketplaceId, from);
  const sellers = new Map<string, { returns: number; wouldNeedException: Tally; wouldBeAutomatic: Tally }>();
  const total = { returns: 0, wouldNeedException: tally(), wouldBeAutomatic: tally() };
  for (const r of rows.rows) {
    const facts = r.decision?.facts ?? {};
    const judged = returnUnderDraftWindow(
      {
        decisionReason: r.decision?.reason ?? 'unknown',
        requestedOn: facts.today ?? r.requested_at.toISOString().slice(0, 10),
        deliveredOn: facts.deliveredOn ?? null,
        shippedOn: facts.shippedOn ?? null,
        category: facts.category ?? null,
      },
      current,
      draftDays,
    );
    const seller = sellers.get(r.seller_id) ?? {
      returns: 0,
      wouldNeedException: tally(),
      wouldBeAutomatic: tally(),
    };
    sellers.set(r.seller_id, seller);
    seller.returns++;
    total.returns++;
    const value = BigInt(r.value);
    if (judged.outcome === 'would_need_exception') {
      add(seller.wouldNeedException, value);
      add(total.wouldNeedException, value);
    } else if (judged.outcome === 'would_be_automatic') {
      add(seller.wouldBeAutomatic, value);
      add(total.wouldBeAutomatic, value);
    }
  }
  return {
    draftWindowDays: draftDays,
    currentWindowDays: current.windowDays,
    sellers: [...sellers].map(([sellerId, x]) => ({ sellerId, ...x })),
    total,
  };
}

async function concessionsUnderDraft(db: Db, marketplaceId: string, from: Date, to: Date, draft: bigint) {
  const rows = await sql<{
    seller_id: string;
    total: string;
    status: StoredConcession['status'];
    waited: boolean;
    role: string | null;
  }>`
    select c.seller_id, (c.amount_items + c.amount_shipping)::bigint as total, c.status,
      (c.approved_by is not null or c.status <> 'issued') as waited, u.role
    from concession c left join app_user u on u.id = c.decided_by
    where c.marketplace_id = ${marketplaceId} and c.decided_at >= ${from} and c.decided_at < ${to}
    order by c.seller_id, c.decided_at`.execute(db);
  const current = await approvalLimits(db, marketplaceId, from);
  const empty = () => ({
    concessions: 0,
    wouldNeedSupervisor: tally(),
    wouldIssueAtOnce: tally(),
    moreChargedToSeller: 0n,
  });
  const sellers = new Map<string, ReturnType<typeof empty>>();
  const total = empty();
  for (const r of rows.rows) {
    const amount = BigInt(r.total);
    const judged = concessionUnderDraftLimit(
      { total: amount, status: r.status, waited: r.waited, deciderRole: r.role },
      draft,
    );
    const seller = sellers.get(r.seller_id) ?? empty();
    sellers.set(r.seller_id, seller);
    for (const t of [seller, total]) {
      t.concessions++;
      if (judged.outcome === 'would_need_supervisor') add(t.wouldNeedSupervisor, amount);
      if (judged.outcome === 'would_issue_at_once') {
        add(t.wouldIssueAtOnce, amount);
        if (judged.chargedToSellerToo) t.moreChargedToSeller += amount;
      }
    }
  }
  return {
    draftAgentLimit: draft,
    currentAgentLimit: current.agent,
    sellers: [...sellers].map(([sellerId, x]) => ({ sellerId, ...x })),
    total,
  };
}
