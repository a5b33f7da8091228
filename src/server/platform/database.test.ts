import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabase } from '../../../test/helpers/database';
import { freePort } from '../../../test/helpers/free-port';
import { startEmbeddedPostgres } from './embedded-postgres';
import { MIGRATIONS_DIR, migrate } from './migrate';

describe('migrations', () => {
  it('apply once, and running them again — even concurrently — changes nothing', async () => {
    const database = await testDatabase(); // already migrated from the template
    const results = await Promise.all([migrate(database.url), migrate(database.url), migrate(database.url)]);
    expect(results.map((r) => r.applied)).toEqual([[], [], []]);
    expect(results[0]!.alreadyApplied).toBeGreaterThanOrEqual(3);
  });

  it('0027 turns amounts stored as strings into JSON integers, and leaves everything else', async () => {
    const database = await testDatabase();
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      const data = {
        concessionId: 'c-1',
        amount: '-1999',
        postings: [{ account: 'seller', amount: '-1999', currency: 'EUR' }],
        note: '123',
      };
      await client.query(
        `insert into webhook_event (key, type, marketplace_id, data, occurred_at) values ('k', 'ledger.posted', 'IT', $1, now())`,
        [data],
      );
      await client.query(
        `insert into timer (kind, ref, due_at, payload) values ('notify_seller', 'n', now(), $1)`,
        [{ data: { grantedAmount: '1000', currency: 'EUR' } }],
      );
      await client.query(await readFile(join(MIGRATIONS_DIR, '0027_amounts_as_json_integers.sql'), 'utf8'));
      expect((await client.query(`select data from webhook_event`)).rows[0].data).toEqual({
        ...data,
        amount: -1999,
        postings: [{ account: 'seller', amount: -1999, currency: 'EUR' }],
      });
      expect((await client.query(`select payload from timer where ref = 'n'`)).rows[0].payload).toEqual({
        data: { grantedAmount: 1000, currency: 'EUR' },
      });
    } finally {
      await client.end();
    }
  });
});

describe('embedded PostgreSQL', () => {
  it('keeps its data across a stop and a restart on the same directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onbehalf-restart-'));
    await chmod(dir, 0o755);
    const data = join(dir, 'pg');
    const port = await freePort();
    try {
      let server = await startEmbeddedPostgres(data, port);
      let client = new pg.Client(server.url);
      await client.connect();
      await client.query('create table kept (note text)');
      await client.query("insert into kept values ('survives restarts')");
      await client.end();
      await server.stop();

      server = await startEmbeddedPostgres(data, port);
      client = new pg.Client(server.url);
      await client.connect();
      const rows = (await client.query('select note from kept')).rows;
      await client.end();
      await server.stop();
      expect(rows).toEqual([{ note: 'survives restarts' }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
