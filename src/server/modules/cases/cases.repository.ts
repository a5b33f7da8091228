import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import type { Idempotency } from '../../platform/idempotency';
import { type NewTimer, timersInsert } from '../../platform/timers';
import { type ContactFacts, contactFactsQuery } from '../marketplace';
import {
  type EnrolmentPeriod,
  enrolmentPeriodsColumn,
  type PeriodsColumn,
  periodsFromColumn,
} from '../programs';
import type { CaseEventKind } from './case-event-kinds';
import type { CaseStatus, SlaTargets } from './case-rules';
import { DEFAULT_SLA } from './case-rules';

export type CaseRow = {
  id: string;
  case_number: string;
  marketplace_id: string;
  seller_id: string | null;
  buyer_id: string | null;
  order_id: string | null;
  language: string;
  channel: 'chat' | 'email' | 'phone';
  topic: string;
  routing_reason: string;
  queue: string;
  status: CaseStatus;
  owner_kind: 'bot' | 'agent' | 'supervisor' | 'unassigned';
  owner_user_id: string | null;
  first_response_due_at: Date | null;
  next_response_due_at: Date | null;
  sla_paused_remaining_ms: bigint | null;
  first_responded_at: Date | null;
  escalation_reason: string | null;
  opened_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
};

/** The SLA targets in force for a channel at an instant, as one column `slaTargetsFrom` reads (null: none set). */
export function slaTargetsColumn(marketplaceId: string, channel: 'chat' | 'email' | 'phone', at: Date) {
  return sql<SlaColumn>`(select json_build_array(first_response_minutes, next_response_minutes, warning_percent)
    from sla_policy where marketplace_id = ${marketplaceId} and channel = ${channel} and effective_from <= ${at}
    order by effective_from desc limit 1)`;
}

type SlaColumn = [number, number, number] | null;

/** The targets of a `slaTargetsColumn`, or the channel's defaults when the marketplace set none. */
export function slaTargetsFrom(column: SlaColumn, channel: 'chat' | 'email' | 'phone'): SlaTargets {
  if (!column) return DEFAULT_SLA[channel];
  const [firstResponseMinutes, nextResponseMinutes, warningPercent] = column;
  return { firstResponseMinutes, nextResponseMinutes, warningPercent };
}

export async function slaTargets(
  db: Db,
  marketplaceId: string,
  channel: 'chat' | 'email' | 'phone',
  at: Date,
): Promise<SlaTargets> {
  const r = await sql<{
    sla: SlaColumn;
  }>`select ${slaTargetsColumn(marketplaceId, channel, at)} as sla`.execute(db);
  return slaTargetsFrom(r.rows[0]!.sla, channel);
}

/**
 * What a new contact's routing and case need, in one round trip: the marketplace's facts (its
 * module's query), the order's seller's enrolment periods (the programme's) and the SLA targets in
 * force (this module's). Each module still owns its SQL; this only sends them together.
 */
export async function intakeReads(
  db: Db,
  q: {
    marketplaceId: string;
    orderRef: string | null;
    buyerId: string | null;
    channel: 'chat' | 'email' | 'phone';
    at: Date;
  },
): Promise<{ facts: ContactFacts; periods: EnrolmentPeriod[]; sla: SlaTargets }> {
  const r = await sql<ContactFacts & { periods: PeriodsColumn; sla: SlaColumn }>`
    select f.*, ${enrolmentPeriodsColumn(sql`(f."order"->>'seller_id')::uuid`, sql`f."order"->>'marketplace_id'`)} as periods,
      ${slaTargetsColumn(q.marketplaceId, q.channel, q.at)} as sla
    from (${contactFactsQuery(q.marketplaceId, q.orderRef, q.buyerId)}) f`.execute(db);
  const { periods, sla, ...facts } = r.rows[0]!;
  return { facts, periods: periodsFromColumn(periods), sla: slaTargetsFrom(sla, q.channel) };
}

export async function findCase(db: Db, ref: string, lock = false): Promise<CaseRow | undefined> {
  const uuid = /^[0-9a-f-]{36}$/i.test(ref);
  const r =
    await sql<CaseRow>`select * from cs_case where ${uuid ? sql`id = ${ref}::uuid` : sql`case_number = ${ref}`}
    ${lock ? sql`for update` : sql``}`.execute(db);
  return r.rows[0];
}

export async function updateCase(
  db: Db,
  id: string,
  changes: Partial<Omit<CaseRow, 'id'>>,
): Promise<CaseRow> {
  const entries = Object.entries(changes);
  const sets = sql.join(entries.map(([k, v]) => sql`${sql.ref(k)} = ${v as never}`));
  const r = await sql<CaseRow>`update cs_case set ${sets} where id = ${id}::uuid returning *`.execute(db);
  return r.rows[0]!;
}

export async function insertCaseEvent(
  db: Db,
  e: {
    caseId: string;
    kind: CaseEventKind;
    actorKind: string;
    actorUserId?: string | null;
    data?: object;
    at: Date;
  },
): Promise<void> {
  await sql`insert into case_event (case_id, kind, actor_kind, actor_user_id, data, at)
    values (${e.caseId}::uuid, ${e.kind}, ${e.actorKind}, ${e.actorUserId ?? null}, ${JSON.stringify(e.data ?? {})}::jsonb, ${e.at})`.execute(
    db,
  );
}

export async function insertMessage(
  db: Db,
  m: {
    caseId: string;
    authorKind: 'buyer' | 'agent' | 'supervisor' | 'bot';
    authorUserId?: string | null;
    channel: string;
    body: string;
    at: Date;
  },
): Promise<void> {
  await sql`insert into case_message (case_id, author_kind, author_user_id, channel, body, sent_at)
    values (${m.caseId}::uuid, ${m.authorKind}, ${m.authorUserId ?? null}, ${m.channel}, ${m.body}, ${m.at})`.execute(
    db,
  );
}

export type ContactInsert = {
  /** Chosen by the caller when something written with it must name it; else the database's. */
  id?: string;
  idempotency: Idempotency | null;
  caseId: string | null;
  marketplaceId: string;
  channel: string;
  sender: 'buyer' | 'seller';
  buyerId: string | null;
  sellerId: string | null;
  orderId: string | null;
  topic: string;
  handler: string;
  routingReason: string;
  explanation: string;
  at: Date;
};

/**
 * Inserts a contact and returns its id — nothing when its idempotency key is taken (the same request
 * again). Runs alone or as a clause of a larger statement.
 */
const contactInsertOf = (c: ContactInsert) => sql`
    insert into contact (id, idempotency_scope, idempotency_key, idempotency_fingerprint, case_id, marketplace_id, channel, sender,
      buyer_id, seller_id, order_id, topic, handler, routing_reason, explanation, received_at)
    values (coalesce(${c.id ?? null}::uuid, gen_random_uuid()), ${c.idempotency?.scope ?? null}, ${c.idempotency?.key ?? null}, ${c.idempotency?.fingerprint ?? null}, ${c.caseId}::uuid, ${c.marketplaceId}, ${c.channel}, ${c.sender}, ${c.buyerId}, ${c.sellerId},
      ${c.orderId}, ${c.topic}, ${c.handler}, ${c.routingReason}, ${c.explanation}, ${c.at})
    on conflict (idempotency_scope, idempotency_key) do nothing
    returning id`;

/** The new contact's id, or undefined when its idempotency key is taken (the same request again). */
export async function insertContact(db: Db, c: ContactInsert): Promise<string | undefined> {
  return (await sql<{ id: string }>`${contactInsertOf(c)}`.execute(db)).rows[0]?.id;
}

/**
 * A contact no case follows (routed to the seller or elsewhere) with the timers that act on it, in one
 * statement: the timers are armed only when the contact was inserted, not for the same request again.
 */
export async function recordContact(db: Db, c: ContactInsert & { id: string }, timers: NewTimer[]) {
  const r = await sql<{ id: string }>`
    with ct as (${contactInsertOf(c)}),
    t as (${timersInsert(timers, sql`exists (select 1 from ct)`)})
    select id from ct`.execute(db);
  return r.rows[0]?.id;
}

export async function findContactByKey(db: Db, idem: Idempotency) {
  const r = await sql<{
    id: string;
    case_id: string | null;
    handler: string;
    routing_reason: string;
    explanation: string;
    idempotency_fingerprint: string | null;
  }>`
    select id, case_id, handler, routing_reason, explanation, idempotency_fingerprint from contact
    where idempotency_scope = ${idem.scope} and idempotency_key = ${idem.key}`.execute(db);
  return r.rows[0];
}

export async function markAssigned(db: Db, userId: string, at: Date): Promise<void> {
  await sql`update agent_profile set last_assigned_at = ${at}, open_cases = open_cases + 1 where user_id = ${userId}::uuid`.execute(
    db,
  );
}

/** One open case less (resolved, closed, or taken away) or more (reopened) for its owner. */
export async function adjustOpenCases(db: Db, userId: string | null, delta: 1 | -1): Promise<void> {
  if (!userId) return;
  await sql`update agent_profile set open_cases = greatest(0, open_cases + ${delta}) where user_id = ${userId}::uuid`.execute(
    db,
  );
}

export async function agentProfile(db: Db, userId: string) {
  const r = await sql<{
    marketplaces: string[];
    languages: string[];
    capacity: number;
    premium: boolean;
    role: string;
  }>`
    select p.marketplaces, p.languages, p.capacity, p.premium, u.role from agent_profile p join app_user u on u.id = p.user_id
    where p.user_id = ${userId}::uuid`.execute(db);
  return r.rows[0];
}

/**
 * Takes the unassigned case due soonest from the agent's queues. SKIP LOCKED: two agents asking at
 * once get two different cases, never the same one.
 */
export async function claimNextCase(
  db: Db,
  queues: string[],
  userId: string,
  ownerKind: 'agent' | 'supervisor',
  at: Date,
) {
  const r = await sql<CaseRow>`
    update cs_case set owner_kind = ${ownerKind}, owner_user_id = ${userId}::uuid, updated_at = ${at}
    where id = (select id from cs_case where owner_kind = 'unassigned' and queue = any(${queues}::text[])
      and status not in ('resolved', 'closed')
      order by coalesce(next_response_due_at, first_response_due_at) nulls last, opened_at
      limit 1 for update skip locked)
    returning *`.execute(db);
  return r.rows[0];
}

export async function upsertAgentProfile(
  db: Db,
  userId: string,
  p: { marketplaces: string[]; languages: string[]; capacity: number; premium: boolean; available: boolean },
): Promise<void> {
  await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, premium, available)
    values (${userId}::uuid, ${p.marketplaces}::text[], ${p.languages}::text[], ${p.capacity}, ${p.premium}, ${p.available})
    on conflict (user_id) do update set marketplaces = excluded.marketplaces, languages = excluded.languages,
      capacity = excluded.capacity, premium = excluded.premium, available = excluded.available`.execute(db);
}

/** Staff who can take cases, with their profile (null where none was set yet), for the admin pages. */
export async function listAgentProfiles(db: Db) {
  const r = await sql<{
    user_id: string;
    email: string;
    display_name: string;
    role: string;
    marketplaces: string[] | null;
    languages: string[] | null;
    capacity: number | null;
    premium: boolean | null;
    available: boolean | null;
    open_cases: number | null;
  }>`select u.id as user_id, u.email, u.display_name, u.role, p.marketplaces, p.languages, p.capacity,
      p.premium, p.available, p.open_cases
    from app_user u left join agent_profile p on p.user_id = u.id
    where u.role in ('agent', 'supervisor') and u.disabled_at is null
    order by u.display_name, u.email`.execute(db);
  return r.rows;
}

/** Every SLA target row of a marketplace, oldest first: what was, is and will be in force. */
export async function slaPolicyRows(db: Db, marketplaceId: string) {
  const r = await sql<{
    channel: 'chat' | 'email' | 'phone';
    effective_from: Date;
    first_response_minutes: number;
    next_response_minutes: number;
    warning_percent: number;
  }>`select channel, effective_from, first_response_minutes, next_response_minutes, warning_percent
    from sla_policy where marketplace_id = ${marketplaceId} order by effective_from, channel`.execute(db);
  return r.rows;
}

/** An agent's own open cases, the one due soonest first. */
export async function ownedCases(db: Db, userId: string): Promise<CaseRow[]> {
  const r =
    await sql<CaseRow>`select * from cs_case where owner_user_id = ${userId}::uuid and status not in ('resolved', 'closed')
    order by coalesce(next_response_due_at, first_response_due_at) nulls last, opened_at`.execute(db);
  return r.rows;
}

export async function caseHistory(db: Db, caseId: string) {
  const [messages, events] = await Promise.all([
    sql<{ author_kind: string; author_user_id: string | null; channel: string; body: string; sent_at: Date }>`
      select author_kind, author_user_id, channel, body, sent_at from case_message where case_id = ${caseId}::uuid order by sent_at, id`.execute(
      db,
    ),
    sql<{
      kind: string;
      actor_kind: string;
      actor_user_id: string | null;
      data: Record<string, unknown>;
      at: Date;
    }>`
      select kind, actor_kind, actor_user_id, data, at from case_event where case_id = ${caseId}::uuid order by at, id`.execute(
      db,
    ),
  ]);
  return { messages: messages.rows, events: events.rows };
}

export async function userName(db: Db, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const r = await sql<{
    display_name: string;
  }>`select display_name from app_user where id = ${userId}::uuid`.execute(db);
  return r.rows[0]?.display_name ?? null;
}

export async function insertRating(
  db: Db,
  r: {
    caseId: string;
    stars: number;
    solved: boolean;
    comment: string | null;
    ownerKind: string;
    userId: string | null;
    at: Date;
  },
): Promise<boolean> {
  const res =
    await sql`insert into case_rating (case_id, stars, solved, comment, rated_owner_kind, rated_user_id, rated_at)
    values (${r.caseId}::uuid, ${r.stars}, ${r.solved}, ${r.comment}, ${r.ownerKind}, ${r.userId}, ${r.at})
    on conflict (case_id) do nothing`.execute(db);
  return (res.numAffectedRows ?? 0n) > 0n;
}

export type AgentCriteria = { marketplace: string; language: string; premium: boolean; supervisors: boolean };

/**
 * Picks the least busy eligible agent and books the case on it: the agent row is locked (SKIP LOCKED,
 * so concurrent intakes spread over agents) and its open-case count raised. An UPDATE that also runs
 * inside a larger statement; `onlyIf` (a condition on that statement's other clauses) books only when it holds.
 */
function bookingOf(c: AgentCriteria, at: Date, onlyIf = sql`true`) {
  // The pick is joined, not compared with as a scalar subquery: as a scalar it is computed before the
  // update and, when another intake booked the same agent since this statement began, the update
  // could find no row and leave the case unassigned (3 % of bookings in a test with 16 at once).
  return sql`
    update agent_profile a set open_cases = a.open_cases + 1, last_assigned_at = ${at}
    from (
      select p.user_id from agent_profile p join app_user u2 on u2.id = p.user_id
      where ${onlyIf} and p.available and u2.disabled_at is null
        and u2.role = ${c.supervisors ? 'supervisor' : 'agent'}
        and ${c.marketplace} = any(p.marketplaces)
        and (${c.supervisors} or ${c.language} = any(p.languages))
        and (not ${c.premium} or p.premium or ${c.supervisors})
        and p.open_cases < p.capacity
      order by p.open_cases, p.last_assigned_at nulls first, p.user_id
      limit 1 for update of p skip locked) pick, app_user u
    where a.user_id = pick.user_id and u.id = a.user_id
    returning a.user_id, u.display_name`;
}

export async function bookLeastBusyAgent(
  db: Db,
  c: AgentCriteria,
  at: Date,
): Promise<{ user_id: string; display_name: string } | undefined> {
  return (await sql<{ user_id: string; display_name: string }>`${bookingOf(c, at)}`.execute(db)).rows[0];
}

/** A case as it is opened: its id chosen by the caller, its owner by the booking, its number by the sequence. */
export type NewCase = Omit<
  CaseRow,
  | 'case_number'
  | 'owner_kind'
  | 'owner_user_id'
  | 'sla_paused_remaining_ms'
  | 'first_responded_at'
  | 'escalation_reason'
  | 'resolved_at'
  | 'next_response_due_at'
>;

/**
 * Opens a case whole, in one statement (atomic without a transaction around it): its first contact,
 * message and events, the least busy agent booked for it (with an `assigned` event) and its timers.
 * When the contact's idempotency key is taken — the same request again — it writes nothing and
 * returns undefined.
 */
export async function openCase(
  db: Db,
  o: {
    case: NewCase;
    contact: Omit<ContactInsert, 'caseId'>;
    message: { authorKind: 'buyer'; channel: string; body: string };
    events: { kind: CaseEventKind; actorKind: string; data: object }[];
    agent: AgentCriteria;
    timers: NewTimer[];
  },
): Promise<(CaseRow & { contact_id: string; owner_name: string | null }) | undefined> {
  const { case: c, contact } = o;
  const r = await sql<CaseRow & { contact_id: string; owner_name: string | null }>`
    with ct as (${contactInsertOf({ ...contact, caseId: c.id })}),
    a as (${bookingOf(o.agent, c.opened_at, sql`exists (select 1 from ct)`)}),
    c as (
      insert into cs_case (id, case_number, marketplace_id, seller_id, buyer_id, order_id, language, channel, topic, routing_reason,
        queue, status, owner_kind, owner_user_id, first_response_due_at, opened_at, updated_at)
      select ${c.id}::uuid, ${c.marketplace_id} || '-' || lpad(nextval('case_number_seq')::text, 7, '0'), ${c.marketplace_id},
        ${c.seller_id}::uuid, ${c.buyer_id}::uuid, ${c.order_id}::uuid, ${c.language}, ${c.channel}, ${c.topic}, ${c.routing_reason},
        ${c.queue}, ${c.status}, case when a.user_id is null then 'unassigned' else 'agent' end, a.user_id,
        ${c.first_response_due_at}::timestamptz, ${c.opened_at}::timestamptz, ${c.updated_at}::timestamptz
      from ct left join a on true
      returning *),
    m as (
      insert into case_message (case_id, author_kind, channel, body, sent_at)
      select c.id, ${o.message.authorKind}, ${o.message.channel}, ${o.message.body}, c.opened_at from c),
    e as (
      insert into case_event (case_id, kind, actor_kind, data, at)
      select c.id, x.kind, x.actor_kind, x.data, c.opened_at
      from c cross join json_to_recordset(${JSON.stringify(o.events.map((e) => ({ kind: e.kind, actor_kind: e.actorKind, data: e.data })))}::json)
        as x(kind text, actor_kind text, data jsonb)
      union all
      select c.id, 'assigned', 'system', jsonb_build_object('to', a.user_id, 'how', 'least_busy'), c.opened_at from c cross join a),
    t as (${timersInsert(o.timers, sql`exists (select 1 from ct)`)})
    select c.*, (select id from ct) as contact_id, (select display_name from a) as owner_name from c`.execute(
    db,
  );
  return r.rows[0];
}

export async function insertSlaPolicy(
  db: Db,
  marketplaceId: string,
  channel: 'chat' | 'email' | 'phone',
  from: Date,
  t: SlaTargets,
): Promise<void> {
  await sql`insert into sla_policy (marketplace_id, channel, effective_from, first_response_minutes, next_response_minutes, warning_percent)
    values (${marketplaceId}, ${channel}, ${from}, ${t.firstResponseMinutes}, ${t.nextResponseMinutes}, ${t.warningPercent})
    on conflict (marketplace_id, channel, effective_from) do update set first_response_minutes = excluded.first_response_minutes,
      next_response_minutes = excluded.next_response_minutes, warning_percent = excluded.warning_percent`.execute(
    db,
  );
}
