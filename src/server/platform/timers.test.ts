import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/helpers/database';
import { cancelTimer, fireDueTimers, scheduleTimer } from './timers';

const database = await testDatabase();
const db = database.db;
const t0 = new Date('2026-03-12T09:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('durable timers', () => {
  it('fire once when due, in due order, and not before', async () => {
    const fired: string[] = [];
    const handlers = {
      ping: async (_tx: unknown, p: Record<string, unknown>) => void fired.push(String(p.n)),
    };
    await scheduleTimer(db, 'ping', 'b', at(10), { n: 'b' });
    await scheduleTimer(db, 'ping', 'a', at(5), { n: 'a' });
    expect(await fireDueTimers(db, handlers, at(4))).toBe(0);
    expect(await fireDueTimers(db, handlers, at(11))).toBe(2);
    expect(await fireDueTimers(db, handlers, at(12))).toBe(0);
    expect(fired).toEqual(['a', 'b']);
  });

  it('may re-arm themselves from their own handler (periodic work, retries with backoff)', async () => {
    let runs = 0;
    const handlers = {
      every: async (tx: Parameters<typeof scheduleTimer>[0], _p: Record<string, unknown>, now: Date) => {
        runs++;
        await scheduleTimer(tx, 'every', 'x', new Date(now.getTime() + 10 * 60_000));
      },
    };
    await scheduleTimer(db, 'every', 'x', at(100));
    expect(await fireDueTimers(db, handlers, at(100))).toBe(1);
    expect(await fireDueTimers(db, handlers, at(105))).toBe(0);
    expect(await fireDueTimers(db, handlers, at(111))).toBe(1);
    expect(runs).toBe(2);
  });

  it('can be moved and cancelled', async () => {
    const fired: string[] = [];
    const handlers = {
      move: async () => void fired.push('moved'),
      gone: async () => void fired.push('gone'),
    };
    await scheduleTimer(db, 'move', 'x', at(5));
    await scheduleTimer(db, 'move', 'x', at(30)); // moved later
    await scheduleTimer(db, 'gone', 'y', at(5));
    await cancelTimer(db, 'gone', 'y');
    await fireDueTimers(db, handlers, at(10));
    expect(fired).toEqual([]);
    await fireDueTimers(db, handlers, at(31));
    expect(fired).toEqual(['moved']);
  });

  it('retry a failing handler later without losing its changes to others', async () => {
    let calls = 0;
    const handlers = {
      flaky: async (tx: typeof db) => {
        calls++;
        await sql`create table if not exists flaky_effect (n int)`.execute(tx);
        await sql`insert into flaky_effect values (${calls})`.execute(tx);
        if (calls === 1) throw new Error('first try fails');
      },
    };
    await scheduleTimer(db, 'flaky', 'z', at(0));
    await fireDueTimers(db, handlers, at(1));
    const row = await sql<{
      attempts: number;
      last_error: string;
      fired_at: Date | null;
    }>`select attempts, last_error, fired_at from timer where kind = 'flaky'`.execute(db);
    expect(row.rows[0]).toMatchObject({ attempts: 1, last_error: 'first try fails', fired_at: null });
    await fireDueTimers(db, handlers, at(3)); // retried a minute later
    const effects = await sql<{ n: number }>`select n from flaky_effect`.execute(db);
    expect(effects.rows).toEqual([{ n: 2 }]); // the failed attempt's write was rolled back
  });

  it('keep a timer of an unknown kind for later, without stopping the others', async () => {
    const fired: string[] = [];
    await scheduleTimer(db, 'nobody_handles_this', '1', at(100));
    await scheduleTimer(db, 'known', '1', at(100));
    await fireDueTimers(db, { known: async () => void fired.push('known') }, at(101));
    expect(fired).toEqual(['known']);
    const row = await sql<{
      last_error: string;
      fired_at: Date | null;
    }>`select last_error, fired_at from timer where kind = 'nobody_handles_this'`.execute(db);
    expect(row.rows[0]).toEqual({
      last_error: 'no handler for timer kind nobody_handles_this',
      fired_at: null,
    });
  });

  it('are fired once even when two sweepers run at the same time', async () => {
    let count = 0;
    const handlers = { once: async () => void count++ };
    for (let i = 0; i < 20; i++) await scheduleTimer(db, 'once', String(i), at(0));
    await Promise.all([fireDueTimers(db, handlers, at(1)), fireDueTimers(db, handlers, at(1))]);
    expect(count).toBe(20);
  });
});
