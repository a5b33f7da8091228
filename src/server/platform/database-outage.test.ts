// PostgreSQL stops under a running app and comes back: requests fail cleanly (503 `unavailable`,
// Retry-After, no hang), /health says so, and the same app and timer sweeper carry on once it is back.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port';
import { buildApp } from '../main/app';
import { hashPassword, insertUser } from '../modules/identity';
import { loadConfig } from './config';
import { openDatabase } from './db';
import { type EmbeddedServer, startEmbeddedPostgres } from './embedded-postgres';
import { createLogger } from './log';
import { migrate } from './migrate';
import { scheduleTimer, startTimerSweeper } from './timers';

describe('a database restart under a running app', () => {
  let server: EmbeddedServer | undefined;
  let dir = '';
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 503 unavailable while PostgreSQL is down and recovers without a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'onbehalf-outage-'));
    await chmod(dir, 0o755); // as root the postgres user must enter it
    const port = await freePort();
    server = await startEmbeddedPostgres(join(dir, 'pg'), port);
    await migrate(server.url);
    const database = openDatabase(server.url, 4);
    const log = createLogger('silent');
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOAD_DEMO: 'false' });
    const app = await buildApp(config, database.db, log);
    await app.ready();
    const fired: string[] = [];
    const sweeper = startTimerSweeper(
      database.db,
      { outage_probe: async (_tx, payload) => void fired.push(String(payload.n)) },
      log,
      100,
    );
    try {
      await insertUser(database.db, {
        email: 'agent@outage.example',
        display_name: 'Agent',
        password_hash: await hashPassword('a long enough password'),
        role: 'agent',
        seller_id: null,
        buyer_id: null,
        languages: ['en'],
      });
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'agent@outage.example', password: 'a long enough password' },
      });
      expect(login.statusCode).toBe(200);
      const session = login.cookies.find((c) => c.name === 'onbehalf_session')!.value;
      const headers = { cookie: `onbehalf_session=${session}`, 'x-csrf-token': login.json().csrfToken };
      const list = () => app.inject({ method: 'GET', url: '/api/v1/cases', headers });
      expect((await list()).statusCode).toBe(200);
      expect((await app.inject('/health')).statusCode).toBe(200);

      // A timer that falls due while the database is away.
      await scheduleTimer(database.db, 'outage_probe', 'one', new Date(Date.now() + 1000), { n: 1 });
      // A transaction holding its connection while the server goes: its client emits 'error', which
      // must fail the transaction, not end the process.
      let release = () => {};
      const gate = new Promise<void>((r) => {
        release = r;
      });
      const held = database.db.transaction().execute(async (tx) => {
        await sql`select 1`.execute(tx);
        await gate;
        await sql`select 1`.execute(tx);
      });
      await new Promise((r) => setTimeout(r, 100));
      await server.stop();
      await new Promise((r) => setTimeout(r, 200));
      release();
      await expect(held).rejects.toThrow();
      const started = Date.now();
      const down = await list();
      expect(Date.now() - started).toBeLessThan(6000); // refused, not left hanging
      expect(down.statusCode).toBe(503);
      expect(down.json().error.code).toBe('unavailable');
      expect(down.headers['retry-after']).toBe('5');
      const write = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'agent@outage.example', password: 'a long enough password' },
      });
      expect(write.statusCode).toBe(503);
      expect(write.json().error.code).toBe('unavailable');
      const health = await app.inject('/health');
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', database: 'unreachable' });
      await new Promise((r) => setTimeout(r, 1500)); // the timer falls due; sweeper rounds fail
      expect(fired).toEqual([]);

      server = await startEmbeddedPostgres(join(dir, 'pg'), port);
      expect((await app.inject('/health')).statusCode).toBe(200);
      let back = await list();
      for (let i = 0; i < 10 && back.statusCode !== 200; i++) back = await list();
      expect(back.statusCode).toBe(200);
      await expect.poll(() => fired, { timeout: 5000 }).toEqual(['1']);
      await new Promise((r) => setTimeout(r, 400));
      expect(fired).toEqual(['1']); // once
      const timer = await sql<{ fired: boolean }>`
        select fired_at is not null as fired from timer where kind = 'outage_probe'`.execute(database.db);
      expect(timer.rows).toEqual([{ fired: true }]);
    } finally {
      await sweeper.stop();
      await app.close();
      await database.close();
    }
  }, 60_000);
});
