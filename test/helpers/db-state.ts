import { sql } from 'kysely';
import type { Db } from '../../src/server/platform/db';

// The database's own view of "nothing half-done": SQL checks that hold after any sequence of requests,
// and a fingerprint of every table to show that a refused request changed nothing.

/** Each check names what it finds; every query must return no rows. */
export const invariantChecks: Record<string, string> = {
  'a ledger batch does not balance in a currency': `
    select batch_id::text as id from ledger_posting group by batch_id, currency having sum(amount) <> 0`,
  'a ledger batch without postings': `
    select b.id::text from ledger_batch b where not exists (select 1 from ledger_posting p where p.batch_id = b.id)`,
  'an issued concession without its ledger batch': `
    select c.id::text from concession c
    where c.status = 'issued' and c.amount_items + c.amount_shipping > 0
      and not exists (select 1 from ledger_batch b where b.decision_kind = 'concession' and b.decision_id = c.id::text)`,
  'a granted claim without its ledger batch': `
    select c.id::text from reimbursement_claim c
    where c.granted_amount > 0
      and not exists (select 1 from ledger_batch b where b.decision_kind = 'claim' and b.decision_id = c.id::text)`,
  'a case without the contact that opened it': `
    select c.id::text from cs_case c where not exists (select 1 from contact k where k.case_id = c.id)`,
  'a case without its opened event': `
    select c.id::text from cs_case c
    where not exists (select 1 from case_event e where e.case_id = c.id and e.kind = 'opened')`,
  'a contact routed to a case that has none': `
    select k.id::text from contact k where k.handler = 'marketplace_cs' and k.case_id is null
      and k.routing_reason <> 'continued_case'`,
  "an agent's open-case count that differs from the cases they own": `
    select p.user_id::text from agent_profile p
    where p.open_cases <> (select count(*) from cs_case c where c.owner_user_id = p.user_id
                           and c.status not in ('resolved', 'closed'))`,
  'a conversation whose message numbers have a gap or differ from last_seq': `
    select c.id::text from conversation c
    left join (select conversation_id, count(*) n, max(seq) m from chat_message group by conversation_id) s
      on s.conversation_id = c.id
    where coalesce(s.n, 0) <> c.last_seq or coalesce(s.m, 0) <> c.last_seq`,
  'an order without lines': `
    select o.id::text from "order" o where not exists (select 1 from order_line l where l.order_id = o.id)`,
  'an order whose lines do not add up to its items total': `
    select o.id::text from "order" o
    where o.items_total <> (select coalesce(sum(l.units * l.unit_price), 0) from order_line l where l.order_id = o.id)`,
  'a return without lines': `
    select r.id::text from "return" r where not exists (select 1 from return_line l where l.return_id = r.id)`,
  'a concession without lines or amounts': `
    select c.id::text from concession c
    where c.amount_items > 0 and not exists (select 1 from concession_line l where l.concession_id = c.id)`,
};

/** The checks that fail, each with up to five offending ids. */
export async function brokenInvariants(db: Db): Promise<Record<string, string[]>> {
  const broken: Record<string, string[]> = {};
  for (const [name, query] of Object.entries(invariantChecks)) {
    const rows = (await sql.raw<{ id: string }>(`${query} limit 5`).execute(db)).rows;
    if (rows.length > 0) broken[name] = rows.map((r) => Object.values(r)[0] as string);
  }
  return broken;
}

/** Tables a refused request may still touch: sign-in bookkeeping, not data. */
const bookkeeping = new Set(['user_session', 'platform_state', 'schema_migrations', 'migration']);

/** One digest per table of everything in it, to compare before and after. */
export async function tableDigests(db: Db): Promise<Record<string, string>> {
  const tables = (
    await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`.execute(db)
  ).rows
    .map((r) => r.name)
    .filter((n) => !bookkeeping.has(n));
  const union = tables
    .map(
      (n) =>
        `select '${n}' as name, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${n}" t`,
    )
    .join(' union all ');
  const rows = (await sql.raw<{ name: string; digest: string }>(union).execute(db)).rows;
  return Object.fromEntries(rows.map((r) => [r.name, r.digest]));
}

/** The tables whose contents differ between two digests. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((n) => before[n] !== after[n]);
}
