// What agents, supervisors and buyers do on a case: assignment, replies, escalation, resolution,
// rating. Each loads the case under a row lock, decides with the pure rules, saves, and records an event.
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { scheduleTimer } from '../../platform/timers';
import { suggestFromSettledCase } from '../bot';
import {
  addMinutes,
  type CaseEvent,
  caseLanguage,
  type MarketplaceLanguages,
  mayWorkCase,
  nextStatus,
  pauseClock,
  queueName,
  resumeClock,
  supervisorQueue,
} from './case-rules';
import {
  adjustOpenCases,
  agentProfile,
  bookLeastBusyAgent,
  type CaseRow,
  claimNextCase,
  findCase,
  insertCaseEvent,
  insertMessage,
  insertRating,
  markAssigned,
  slaTargets,
  updateCase,
  userName,
} from './cases.repository';
import { chatCaseResolved, followCaseOwner } from './chat-owners';
import { runningDue, syncSlaTimers } from './sla-timers';

export type Actor = {
  kind: 'agent' | 'supervisor' | 'buyer';
  userId: string | null;
  buyerId?: string | null;
};

/** What a buyer is told (C6): the case number, its status, the name of who handles it. */
export async function caseSummary(db: Db, c: CaseRow) {
  return {
    id: c.id,
    caseNumber: c.case_number,
    status: c.status,
    owner:
      c.owner_kind === 'unassigned'
        ? null
        : { kind: c.owner_kind, name: await userName(db, c.owner_user_id) },
  };
}

/** Fair assignment: the eligible agent (or supervisor, for escalations) with the fewest open cases. */
export async function assignLeastBusy(db: Db, c: CaseRow, at: Date): Promise<CaseRow> {
  const supervisors = c.status === 'escalated';
  const booked = await bookLeastBusyAgent(
    db,
    {
      marketplace: c.marketplace_id,
      language: c.language,
      premium: c.queue.endsWith(':premium'),
      supervisors,
    },
    at,
  );
  if (!booked) return c;
  const ownerKind = supervisors ? 'supervisor' : 'agent';
  const updated = await updateCase(db, c.id, {
    owner_kind: ownerKind,
    owner_user_id: booked.user_id,
    updated_at: at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'assigned',
    actorKind: 'system',
    data: { to: booked.user_id, how: 'least_busy' },
    at,
  });
  await followCaseOwner(db, c, updated, 'least_busy', at);
  return updated;
}

/** An agent takes the next case from its queues, due soonest first. */
export async function pullNextCase(db: Db, userId: string, at: Date): Promise<CaseRow | undefined> {
  const profile = await agentProfile(db, userId);
  if (!profile)
    throw new AppError(
      'forbidden',
      'No agent profile: ask a supervisor to set your marketplaces and languages',
    );
  const supervisor = profile.role === 'supervisor';
  const queues = supervisor
    ? profile.marketplaces.map(supervisorQueue)
    : profile.marketplaces.flatMap((m) =>
        profile.languages.flatMap((l) => [
          queueName(m, l, false),
          ...(profile.premium ? [queueName(m, l, true)] : []),
        ]),
      );
  const claimed = await claimNextCase(db, queues, userId, supervisor ? 'supervisor' : 'agent', at);
  if (claimed) {
    await markAssigned(db, userId, at);
    await insertCaseEvent(db, {
      caseId: claimed.id,
      kind: 'assigned',
      actorKind: 'system',
      data: { to: userId, how: 'pulled' },
      at,
    });
    await followCaseOwner(
      db,
      { ...claimed, owner_kind: 'unassigned', owner_user_id: null },
      claimed,
      'pulled',
      at,
    );
  }
  return claimed;
}

async function lockedCase(db: Db, ref: string): Promise<CaseRow> {
  const c = await findCase(db, ref, true);
  if (!c) throw notFound('Case');
  return c;
}

function transition(c: CaseRow, event: CaseEvent) {
  const status = nextStatus(c.status, event);
  if (!status)
    throw new AppError(
      'conflict',
      `A case that is ${c.status.replaceAll('_', ' ')} cannot be ${event.replaceAll('_', ' ')}`,
    );
  return status;
}

/** Only the owner, or a supervisor, works a case (other modules' case actions use it too). */
export function mustHandle(c: Pick<CaseRow, 'owner_user_id'>, actor: Actor) {
  if (!mayWorkCase(c.owner_user_id, actor))
    throw new AppError('forbidden', 'Only the agent who owns the case, or a supervisor, may do this');
}

/** The language of a new case (see `caseLanguage`); a language the marketplace does not speak is refused. */
export function languageOfNewCase(
  named: string | null,
  facts: { languages: string[] | null; default_language: string | null; buyer_language: string | null },
): string {
  const marketplace = { languages: facts.languages ?? [], defaultLanguage: facts.default_language ?? '' };
  const decided = caseLanguage(named, facts.buyer_language, marketplace);
  if (decided.language !== null) return decided.language;
  throw unsupportedLanguage(marketplace);
}

export const unsupportedLanguage = (m: MarketplaceLanguages, path = 'body.language') =>
  new AppError('unsupported_language', `This marketplace is served in ${m.languages.join(', ')}`, [
    { path, code: 'unsupported_language', message: `one of ${m.languages.join(', ')}` },
  ]);

export async function replyToBuyer(db: Db, ref: string, actor: Actor, body: string, at: Date) {
  const c = await lockedCase(db, ref);
  mustHandle(c, actor);
  const status = transition(c, 'agent_replied');
  const updated = await updateCase(db, c.id, {
    status,
    first_responded_at: c.first_responded_at ?? at,
    next_response_due_at: null,
    first_response_due_at: c.first_responded_at ? c.first_response_due_at : null,
    sla_paused_remaining_ms: null,
    updated_at: at,
  });
  await insertMessage(db, {
    caseId: c.id,
    authorKind: actor.kind === 'supervisor' ? 'supervisor' : 'agent',
    authorUserId: actor.userId,
    channel: c.channel,
    body,
    at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'agent_replied',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    at,
  });
  // On the e-mail channel the reply goes out by e-mail, in the case's thread (the e-mail module sends it).
  if (c.channel === 'email') {
    await scheduleTimer(db, 'send_case_email', `${c.id}:${at.getTime()}`, at, {
      caseId: c.id,
      body,
      authorUserId: actor.userId,
    });
  }
  await syncSlaTimers(db, updated, at);
  return updated;
}

/** C5, K6: the buyer or the agent escalates to a supervisor, with a reason. */
export async function escalate(db: Db, ref: string, actor: Actor, reason: string, at: Date) {
  const c = await lockedCase(db, ref);
  if (actor.kind === 'buyer') {
    if (c.buyer_id !== actor.buyerId) throw notFound('Case');
  } else mustHandle(c, actor);
  const status = transition(c, 'escalated');
  const sla = await slaTargets(db, c.marketplace_id, c.channel, at);
  await adjustOpenCases(db, c.owner_user_id, -1);
  let updated = await updateCase(db, c.id, {
    status,
    queue: supervisorQueue(c.marketplace_id),
    owner_kind: 'unassigned',
    owner_user_id: null,
    escalation_reason: reason,
    next_response_due_at: addMinutes(at, sla.nextResponseMinutes),
    sla_paused_remaining_ms: null,
    updated_at: at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'escalated',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    data: { reason },
    at,
  });
  await followCaseOwner(db, c, updated, 'escalated', at, actor);
  updated = await assignLeastBusy(db, updated, at);
  await syncSlaTimers(db, updated, at);
  return updated;
}

export async function resolveCase(db: Db, ref: string, actor: Actor, note: string | null, at: Date) {
  const c = await lockedCase(db, ref);
  mustHandle(c, actor);
  await adjustOpenCases(db, c.owner_user_id, -1);
  const updated = await updateCase(db, c.id, {
    status: transition(c, 'resolved'),
    resolved_at: at,
    next_response_due_at: null,
    first_response_due_at: c.first_responded_at ? c.first_response_due_at : null,
    sla_paused_remaining_ms: null,
    updated_at: at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'resolved',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    data: { note },
    at,
  });
  await syncSlaTimers(db, updated, at);
  await chatCaseResolved(db, updated, at);
  // A person settled what the bot could not: the buyer's first message goes to the bot's review list.
  if (actor.kind !== 'buyer') await suggestFromSettledCase(db, c.id, at);
  return updated;
}

/** C7: after resolution the buyer rates the help, attributed to the bot or to the agent who handled it. */
export async function rateCase(
  db: Db,
  ref: string,
  buyerId: string,
  r: { stars: number; solved: boolean; comment: string | null },
  at: Date,
) {
  const c = await findCase(db, ref);
  if (!c || c.buyer_id !== buyerId) throw notFound('Case');
  if (c.status !== 'resolved' && c.status !== 'closed')
    throw new AppError('conflict', 'A case can be rated once it is resolved');
  const ownerKind = c.owner_kind === 'unassigned' ? 'bot' : c.owner_kind;
  const saved = await insertRating(db, { caseId: c.id, ...r, ownerKind, userId: c.owner_user_id, at });
  if (!saved) throw new AppError('conflict', 'This case has already been rated');
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'rated',
    actorKind: 'buyer',
    data: { stars: r.stars, solved: r.solved },
    at,
  });
  return { ratedOwnerKind: ownerKind, ratedUserId: c.owner_user_id };
}

/** K3: the case now waits on the seller; the SLA clock stops and keeps what was left. */
export async function waitForSeller(db: Db, caseId: string, actor: Actor, question: string, at: Date) {
  const c = await lockedCase(db, caseId);
  mustHandle(c, actor);
  const status = transition(c, 'seller_asked');
  const due = runningDue(c);
  const updated = await updateCase(db, c.id, {
    status,
    sla_paused_remaining_ms: due ? BigInt(pauseClock(due, at)) : null,
    updated_at: at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'seller_asked',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    data: { question },
    at,
  });
  await syncSlaTimers(db, updated, at);
  return updated;
}

/** The seller answered, or its time ran out (then the agent decides on its own judgment, S1). */
export async function backFromSeller(
  db: Db,
  caseId: string,
  outcome: 'seller_answered' | 'seller_overdue',
  data: object,
  at: Date,
) {
  const c = await lockedCase(db, caseId);
  const status = nextStatus(c.status, outcome);
  if (!status) return c; // the case moved on meanwhile (resolved, escalated…)
  const sla = await slaTargets(db, c.marketplace_id, c.channel, at);
  const remaining =
    c.sla_paused_remaining_ms === null ? sla.nextResponseMinutes * 60_000 : Number(c.sla_paused_remaining_ms);
  const updated = await updateCase(db, c.id, {
    status,
    next_response_due_at: resumeClock(remaining, at),
    sla_paused_remaining_ms: null,
    updated_at: at,
  });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: outcome,
    actorKind: outcome === 'seller_answered' ? 'seller' : 'system',
    data,
    at,
  });
  await syncSlaTimers(db, updated, at);
  return updated;
}

/** A resolved case is closed: the buyer's next message reopens it. */
export async function closeCase(db: Db, ref: string, actor: Actor, at: Date) {
  const c = await lockedCase(db, ref);
  mustHandle(c, actor);
  const updated = await updateCase(db, c.id, { status: transition(c, 'closed'), updated_at: at });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'closed',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    at,
  });
  return updated;
}
