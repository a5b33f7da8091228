// The few reads the chat's hand-off needs beyond the case tables' own repository: how busy a queue is,
// who of a language is available, and how the buyer can be reached.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';

/** Available, active agents of the marketplace who speak the language (C6: else e-mail or a callback). */
export async function agentsOfLanguageAvailable(db: Db, marketplaceId: string, language: string) {
  const r = await sql<{
    n: number;
  }>`select count(*)::int as n from agent_profile p join app_user u on u.id = p.user_id
    where p.available and u.disabled_at is null and u.role = 'agent'
      and ${marketplaceId} = any(p.marketplaces) and ${language} = any(p.languages)`.execute(db);
  return r.rows[0]!.n;
}

/**
 * For the wait estimate: the unassigned open cases opened before this one in its queue, and the available
 * staff who serve that queue (the agents of its language, premium skill for a premium queue; supervisors
 * for the supervisors' queue).
 */
export async function queueLoad(
  db: Db,
  c: { id: string; queue: string; opened_at: Date; marketplace_id: string; language: string },
) {
  const premium = c.queue.endsWith(':premium');
  const supervisors = c.queue.endsWith(':supervisors');
  const r = await sql<{ ahead: number; agents: number }>`select
      (select count(*)::int from cs_case where queue = ${c.queue} and owner_kind = 'unassigned'
        and status not in ('resolved', 'closed') and opened_at < ${c.opened_at} and id <> ${c.id}::uuid) as ahead,
      (select count(*)::int from agent_profile p join app_user u on u.id = p.user_id
        where p.available and u.disabled_at is null and ${c.marketplace_id} = any(p.marketplaces)
          and u.role = ${supervisors ? 'supervisor' : 'agent'}
          and (${supervisors} or ${c.language} = any(p.languages)) and (not ${premium} or p.premium)) as agents`.execute(
    db,
  );
  return r.rows[0]!;
}

export async function buyerContact(db: Db, buyerId: string) {
  const r = await sql<{ email: string | null; phone: string | null }>`select email, phone from buyer
    where id = ${buyerId}::uuid`.execute(db);
  return r.rows[0] ?? { email: null, phone: null };
}

export type CaseBrief = { case_number: string; status: string };

/** Number and status of these cases, by id (what the buyer sees of a conversation's case). */
export async function casesOf(db: Db, ids: string[]): Promise<Map<string, CaseBrief>> {
  if (ids.length === 0) return new Map();
  const r = await sql<CaseBrief & { id: string }>`select id, case_number, status from cs_case
    where id = any(${ids}::uuid[])`.execute(db);
  return new Map(r.rows.map((c) => [c.id, c]));
}
