// What a supervisor sees and does about cases nobody takes: the open, unassigned cases whose queue no
// agent can serve now, with the reason per case, and reassignment of any open case to an agent or to
// another queue of its marketplace. SLA clocks are left as they are: a move never restarts them.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { findMarketplace } from '../marketplace';
import { parseQueue, queueName, supervisorQueue } from './case-rules';
import { assignLeastBusy, unsupportedLanguage } from './case-work';
import {
  adjustOpenCases,
  type CaseRow,
  findCase,
  insertCaseEvent,
  markAssigned,
  updateCase,
} from './cases.repository';
import { followCaseOwner } from './chat-owners';

export const UNASSIGNABLE_DEFINITION =
  'Open cases with no owner whose queue no one can take: no active staff member (an agent, or a ' +
  'supervisor for the supervisors’ queue) is set up for its marketplace, language and, for a premium ' +
  'queue, premium skill (no_agent_serves_queue); or all who are set up are marked unavailable ' +
  '(no_agent_available). Cases waiting in a queue that an available agent serves are not listed: they ' +
  'are taken in turn.';

export const unassignableReasons = ['no_agent_serves_queue', 'no_agent_available'] as const;
export type UnassignableReason = (typeof unassignableReasons)[number];
const EXPLANATION: Record<UnassignableReason, string> = {
  no_agent_serves_queue: 'No active agent is set up for this queue’s marketplace, language and skill.',
  no_agent_available: 'Every agent set up for this queue is marked unavailable.',
};

/** Whether the profile `p` of user `u` serves case `c`'s queue — the queues `pullNextCase` reads. */
const servesQueue = sql`u.disabled_at is null and (
  (u.role = 'supervisor' and c.queue = any (select m || ':supervisors' from unnest(p.marketplaces) m))
  or (u.role = 'agent' and exists (select 1 from unnest(p.marketplaces) m, unnest(p.languages) l
    where c.queue = m || ':' || l or (p.premium and c.queue = m || ':' || l || ':premium'))))`;

export async function unassignableCases(db: Db) {
  const r = await sql<CaseRow & { serving: number; available: number }>`
    select * from (
      select c.*,
        (select count(*)::int from agent_profile p join app_user u on u.id = p.user_id where ${servesQueue}) as serving,
        (select count(*)::int from agent_profile p join app_user u on u.id = p.user_id where p.available and ${servesQueue}) as available
      from cs_case c where c.owner_kind = 'unassigned' and c.status not in ('resolved', 'closed')) x
    where available = 0
    order by coalesce(next_response_due_at, first_response_due_at) nulls last, opened_at`.execute(db);
  return r.rows.map((c) => {
    const reason: UnassignableReason = c.serving === 0 ? 'no_agent_serves_queue' : 'no_agent_available';
    return { case: c, reason, explanation: EXPLANATION[reason] };
  });
}

export type Reassignment = { to: { agentId: string } | { queue: string }; note: string };
export type Supervisor = { userId: string; role: 'supervisor' | 'admin' };

/**
 * Gives an open case to an agent who serves its queue or a supervisor of its marketplace (to give it to
 * another agent, move it to a queue that agent serves first), or moves it to another language queue of its marketplace, where the least
 * busy available agent is booked for it. Open-case counts follow; the clocks run on untouched.
 */
export async function reassignCase(db: Db, ref: string, by: Supervisor, r: Reassignment, at: Date) {
  const c = await findCase(db, ref, true);
  if (!c) throw notFound('Case');
  if (c.status === 'resolved' || c.status === 'closed')
    throw new AppError(
      'conflict',
      `A ${c.status} case is not reassigned; the buyer's next message reopens it`,
    );
  let updated: CaseRow;
  let data: Record<string, unknown>;
  if ('agentId' in r.to) {
    const agentId = r.to.agentId;
    const role = await roleServing(db, c, agentId);
    if (c.owner_user_id === agentId) throw new AppError('conflict', 'This agent already owns the case');
    await adjustOpenCases(db, c.owner_user_id, -1);
    await markAssigned(db, agentId, at);
    updated = await updateCase(db, c.id, { owner_kind: role, owner_user_id: agentId, updated_at: at });
    data = { from: c.owner_user_id, to: agentId, note: r.note };
  } else {
    if (c.status === 'escalated')
      throw new AppError(
        'conflict',
        'An escalated case stays in the supervisors’ queue; give it to a supervisor',
      );
    const target = await queueOfMarketplace(db, c, r.to.queue);
    if (target === c.queue) throw new AppError('conflict', 'The case is in this queue already');
    await adjustOpenCases(db, c.owner_user_id, -1);
    updated = await updateCase(db, c.id, {
      queue: target,
      language: parseQueue(target)!.language,
      owner_kind: 'unassigned',
      owner_user_id: null,
      updated_at: at,
    });
    data = { from: c.owner_user_id, fromQueue: c.queue, queue: target, note: r.note };
  }
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'reassigned',
    // case_event knows no admin actor: an admin is recorded as a supervisor, with its role in the data.
    actorKind: 'supervisor',
    actorUserId: by.userId,
    data: { ...data, byRole: by.role },
    at,
  });
  await followCaseOwner(db, c, updated, 'reassigned', at, { kind: 'supervisor', userId: by.userId });
  return updated.owner_kind === 'unassigned' ? assignLeastBusy(db, updated, at) : updated;
}

/** The owner kind an agent or supervisor takes the case as, when it serves the case's queue. */
async function roleServing(db: Db, c: CaseRow, userId: string): Promise<'agent' | 'supervisor'> {
  const r = await sql<{ role: string; serves: boolean }>`
    select u.role, ${servesQueue} or (u.disabled_at is null and u.role = 'supervisor' and c.marketplace_id = any (p.marketplaces)) as serves
    from app_user u join agent_profile p on p.user_id = u.id
    cross join (select ${c.queue}::text as queue, ${c.marketplace_id}::text as marketplace_id) c where u.id = ${userId}::uuid`.execute(
    db,
  );
  const agent = r.rows[0];
  if (!agent || (agent.role !== 'agent' && agent.role !== 'supervisor'))
    throw notFound('Agent or supervisor with a profile');
  if (!agent.serves)
    throw new AppError('not_eligible', `This agent does not serve queue ${c.queue}`, [
      {
        path: 'body.agentId',
        code: 'agent_does_not_serve_queue',
        message: `set the agent up for ${c.queue}, or move the case to a queue the agent serves`,
      },
    ]);
  return agent.role;
}

/** A language queue of the case's own marketplace, in a language it speaks. */
async function queueOfMarketplace(db: Db, c: CaseRow, queue: string): Promise<string> {
  const q = parseQueue(queue);
  if (!q || q.marketplace !== c.marketplace_id)
    throw new AppError('validation_failed', 'Name a language queue of the case’s marketplace', [
      {
        path: 'body.queue',
        code: 'not_a_queue_of_marketplace',
        message: `e.g. ${queueName(c.marketplace_id, c.language, false)}; ${supervisorQueue(c.marketplace_id)} is reached by escalating`,
      },
    ]);
  const m = (await findMarketplace(db, c.marketplace_id))!;
  if (!m.languages.includes(q.language))
    throw unsupportedLanguage({ languages: m.languages, defaultLanguage: m.default_language }, 'body.queue');
  return queueName(q.marketplace, q.language, q.premium);
}
