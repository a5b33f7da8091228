// The supervisor's live board of the queues: per queue (so per marketplace and language), the cases
// waiting for someone to take them, how long the oldest has waited, and the open cases past their SLA.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { parseQueue } from './case-rules';

export type QueueBoardRow = {
  queue: string;
  marketplace: string;
  /** null for the supervisors' queue, which is not per language. */
  language: string | null;
  premium: boolean;
  /** Open cases with no owner. */
  waiting: number;
  oldestWaitingSince: Date | null;
  /** Open cases, owned or not. */
  open: number;
  /** Open cases whose clock runs and whose due time has passed. */
  breached: number;
  /** Available agents set up for this queue. */
  agentsAvailable: number;
};

export async function queueBoard(db: Db, at: Date): Promise<QueueBoardRow[]> {
  const r = await sql<{
    queue: string;
    marketplace_id: string;
    waiting: number;
    oldest_waiting_since: Date | null;
    open: number;
    breached: number;
    agents_available: number;
  }>`
    with open_cases as (
      select queue, marketplace_id, owner_kind, status, opened_at,
        coalesce(next_response_due_at, first_response_due_at) as due_at
      from cs_case where status not in ('resolved', 'closed'))
    select q.queue, q.marketplace_id, q.waiting, q.oldest_waiting_since, q.open, q.breached,
      (select count(*)::int from agent_profile p join app_user u on u.id = p.user_id
        where p.available and u.disabled_at is null and (
          (u.role = 'supervisor' and q.queue = any (select m || ':supervisors' from unnest(p.marketplaces) m))
          or (u.role = 'agent' and exists (select 1 from unnest(p.marketplaces) m, unnest(p.languages) l
            where q.queue = m || ':' || l or (p.premium and q.queue = m || ':' || l || ':premium'))))
      ) as agents_available
    from (
      select queue, marketplace_id,
        count(*) filter (where owner_kind = 'unassigned')::int as waiting,
        min(opened_at) filter (where owner_kind = 'unassigned') as oldest_waiting_since,
        count(*)::int as open,
        count(*) filter (where status in ('new', 'waiting_for_agent', 'escalated', 'reopened')
          and due_at < ${at})::int as breached
      from open_cases group by queue, marketplace_id) q
    order by q.marketplace_id, q.queue`.execute(db);
  return r.rows.map((row) => {
    const parsed = parseQueue(row.queue);
    return {
      queue: row.queue,
      marketplace: row.marketplace_id,
      language: parsed?.language ?? null,
      premium: parsed?.premium ?? false,
      waiting: row.waiting,
      oldestWaitingSince: row.oldest_waiting_since,
      open: row.open,
      breached: row.breached,
      agentsAvailable: row.agents_available,
    };
  });
}
