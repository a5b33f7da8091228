// Durable timers with an explicit clock. A module schedules a timer in the same transaction as the
// change that needs it; the sweeper fires due timers, one transaction each, so a failure retries
// later without touching the others.
import { sql } from 'kysely';
import type { Db } from './db';
import type { Logger } from './log';
import { startPoller } from './poller';

export type TimerHandler = (tx: Db, payload: Record<string, unknown>, now: Date) => Promise<void>;
export type TimerHandlers = Record<string, TimerHandler>;

/** Schedules (or moves) the timer `kind`/`ref`; a fired one is armed again. */
export async function scheduleTimer(
  db: Db,
  kind: string,
  ref: string,
  dueAt: Date,
  payload: object = {},
): Promise<void> {
  await sql`insert into timer (kind, ref, due_at, payload) values (${kind}, ${ref}, ${dueAt}, ${JSON.stringify(payload)}::jsonb)
    on conflict (kind, ref) do update set due_at = excluded.due_at, payload = excluded.payload, fired_at = null,
      attempts = 0, last_error = null`.execute(db);
}

export type NewTimer = { kind: string; ref: string; dueAt: Date; payload?: object };

/** Schedules several timers in one statement. */
export async function scheduleTimers(db: Db, timers: NewTimer[]): Promise<void> {
  if (timers.length === 0) return;
  await timersInsert(timers).execute(db);
}

/**
 * The statement that schedules `timers`, for use inside a larger one (a `with` clause); `onlyIf`
 * (a condition on the other clauses) schedules them only when it holds.
 */
export function timersInsert(timers: NewTimer[], onlyIf = sql`true`) {
  const rows = timers.map((t) => ({
    kind: t.kind,
    ref: t.ref,
    due_at: t.dueAt.toISOString(),
    payload: t.payload ?? {},
  }));
  return sql`insert into timer (kind, ref, due_at, payload)
    select kind, ref, due_at, payload from json_to_recordset(${JSON.stringify(rows)}::json) as r(kind text, ref text, due_at timestamptz, payload jsonb)
    where ${onlyIf}
    on conflict (kind, ref) do update set due_at = excluded.due_at, payload = excluded.payload, fired_at = null,
      attempts = 0, last_error = null`;
}

export async function cancelTimer(db: Db, kind: string, ref: string): Promise<void> {
  await sql`delete from timer where kind = ${kind} and ref = ${ref} and fired_at is null`.execute(db);
}

const RETRY_MS = 60_000;

/** Fires every timer due at `now` (at most `limit`); returns how many fired. */
export async function fireDueTimers(
  db: Db,
  handlers: TimerHandlers,
  now: Date,
  log?: Logger,
  limit = 500,
): Promise<number> {
  let fired = 0;
  for (; fired < limit; ) {
    const done = await db.transaction().execute(async (tx) => {
      const r = await sql<{ id: string; kind: string; payload: Record<string, unknown> }>`
        select id, kind, payload from timer where fired_at is null and due_at <= ${now}
        order by due_at, id limit 1 for update skip locked`.execute(tx);
      const timer = r.rows[0];
      if (!timer) return false;
      const handler = handlers[timer.kind];
      await sql`savepoint timer_handler`.execute(tx);
      try {
        if (!handler) throw new Error(`no handler for timer kind ${timer.kind}`);
        await handler(tx, timer.payload, now);
        // A handler that re-armed its own timer for later leaves it armed.
        await sql`update timer set fired_at = ${now}, attempts = attempts + 1 where id = ${timer.id} and due_at <= ${now}`.execute(
          tx,
        );
      } catch (error) {
        await sql`rollback to savepoint timer_handler`.execute(tx);
        log?.error({ err: error, timer: timer.id, kind: timer.kind }, 'timer failed; retrying later');
        await sql`update timer set attempts = attempts + 1, last_error = ${(error as Error).message},
          due_at = ${new Date(now.getTime() + RETRY_MS)} where id = ${timer.id}`.execute(tx);
      }
      return true;
    });
    if (!done) break;
    fired++;
  }
  return fired;
}

/** Runs the sweeper every `intervalMs` until stopped. */
export function startTimerSweeper(db: Db, handlers: TimerHandlers, log: Logger, intervalMs = 1000) {
  return startPoller('timer sweep', () => fireDueTimers(db, handlers, new Date(), log), log, intervalMs);
}
