// Contact intake over HTTP — authenticate, validate, route, open a case, assign the least busy
// agent, arm SLA timers — against a minimal endpoint that inserts one row per request, on the same
// server with the same authentication, in the same run. INTAKE_SCAN=1 also prints the rate at
// concurrency 1…32, which shows whether a limit is CPU (flat early) or locking (falls later);
// BENCH_UNPREPARED=1 runs both sides without prepared statements, for comparison.
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { z } from 'zod';
import { buildApp } from '../src/server/main/app';
import { hashPassword, insertUser } from '../src/server/modules/identity';
import { applyRecords, simulate } from '../src/server/modules/marketplace';
import { enrol } from '../src/server/modules/programs';
import { loadConfig } from '../src/server/platform/config';
import { openDatabase } from '../src/server/platform/db';
import { createLogger } from '../src/server/platform/log';
import { benchServer, fmt, peakRssDuring, rssMiB } from './bench-database';
import { closedLoop, openLoop, post } from './http-load';
import { traceRoundTrips } from './round-trips';

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '32' } },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const server = await benchServer();
  const url = await server.fresh('bench_intake');
  const database = openDatabase(url, 20, {
    prepare: process.env.BENCH_UNPREPARED !== '1',
  });
  const db = database.db;
  try {
    // A simulated marketplace whose sellers are all enrolled, and five hundred agents (100 cases each) to assign to.
    const records = [...simulate({ orders: 5000, seed: 11 })];
    await db.transaction().execute((tx) => applyRecords(tx, records));
    await db.transaction().execute(async (tx) => {
      const pairs = await sql<{
        seller_id: string;
        marketplace_id: string;
      }>`select distinct o.seller_id, o.marketplace_id
        from "order" o join seller s on s.id = o.seller_id where s.standing = 'good' and s.account_type = 'professional'`.execute(
        tx,
      );
      for (const p of pairs.rows)
        await enrol(tx, p.seller_id, p.marketplace_id, 'admin', new Date('2026-01-01T00:00:00Z'));
    });
    const hash = await hashPassword('bench-password-123');
    for (let i = 0; i < 500; i++) {
      const { id } = await insertUser(db, {
        email: `agent${i}@bench.test`,
        display_name: `Agent ${i}`,
        password_hash: hash,
        role: 'agent',
        seller_id: null,
        buyer_id: null,
        languages: [],
      });
      await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, premium)
        values (${id}::uuid, '{US,IT,ES,FR,DE}', '{en,it,es,fr,de,zh}', 100, true)`.execute(db);
    }
    const orders = (
      await sql<{ external_id: string; marketplace_id: string }>`
      select external_id, marketplace_id from "order" where fulfilment_channel <> 'marketplace' order by external_id`.execute(
        db,
      )
    ).rows;
    // A database in service has its statistics kept by autovacuum; this one was filled a moment ago.
    await sql`analyze`.execute(db);
    await sql`create table bench_row (id bigint generated always as identity primary key, body text not null, at timestamptz not null)`.execute(
      db,
    );

    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      LOAD_DEMO: 'false',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    });
    // With its LISTEN connections, as `npm start` runs it: sessions are then checked from memory (on both sides).
    const app = await buildApp(config, db, createLogger('silent'), { databaseUrl: url });
    app.post(
      '/bench/baseline',
      {
        config: { access: { roles: ['agent'] } },
        schema: { body: z.object({ message: z.string().min(1).max(20_000) }) },
      },
      async (request) => {
        await sql`insert into bench_row (body, at) values (${request.body.message}, now())`.execute(db);
        return { ok: true };
      },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'agent0@bench.test', password: 'bench-password-123' },
    });
    const cookie = `onbehalf_session=${login.cookies.find((c) => c.name === 'onbehalf_session')!.value}`;
    const headers = { cookie, 'x-csrf-token': login.json().csrfToken as string };

    let n = 0;
    const contact = () => {
      const o = orders[n++ % orders.length]!;
      return post(
        port,
        '/api/v1/contacts',
        { ...headers, 'idempotency-key': `bench-${n}-${Date.now()}` },
        {
          marketplace: o.marketplace_id,
          channel: 'chat',
          topic: 'order_status',
          orderId: o.external_id,
          message: 'Where is my order? It has been two weeks.',
        },
      );
    };
    const baseline = () =>
      post(port, '/bench/baseline', headers, { message: 'Where is my order? It has been two weeks.' });

    if (process.env.INTAKE_SCAN) {
      for (const c of [1, 2, 4, 8, 16, 32]) {
        const r = await closedLoop(3, c, contact);
        console.log(`concurrency ${c}: ${fmt(r.perSecond)} req/s p50 ${r.p50.toFixed(1)} ms`);
      }
    }
    // Warm up both paths, then measure the maximum rate of each, then latency at half of it.
    await closedLoop(2, concurrency, baseline);
    await closedLoop(2, concurrency, contact);
    const baseMax = await closedLoop(seconds, concurrency, baseline);
    const { result: intakeMax, peakMiB } = await peakRssDuring(() =>
      closedLoop(seconds, concurrency, contact),
    );
    const half = intakeMax.perSecond / 2;
    const intakeHalf = await openLoop(seconds, half, contact);
    const baseHalf = await openLoop(seconds, half, baseline);
    const cases = (
      await sql<{
        n: bigint;
        unassigned: bigint;
      }>`select count(*) as n, count(*) filter (where owner_kind = 'unassigned') as unassigned from cs_case`.execute(
        db,
      )
    ).rows[0]!;
    // Round trips per request, counted in a short phase of their own after the measured ones.
    const trace = traceRoundTrips();
    const tracedIntake = await closedLoop(2, concurrency, contact);
    const intakeTrips = trace.count() / tracedIntake.completed;
    const intakeDetail = trace.report(tracedIntake.completed);
    trace.reset();
    const tracedBase = await closedLoop(2, concurrency, baseline);
    const baseTrips = trace.count() / tracedBase.completed;
    const baseDetail = trace.report(tracedBase.completed);
    trace.stop();
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`
Intake bench: HTTP on loopback, ${concurrency} concurrent clients, ${seconds} s per phase, agent session auth on both
  contact intake (route → case → assign)   max ${fmt(intakeMax.perSecond)} req/s   p50 ${ms(intakeMax.p50)}  p99 ${ms(intakeMax.p99)}   errors ${intakeMax.errors}
  baseline (insert one row)                max ${fmt(baseMax.perSecond)} req/s   p50 ${ms(baseMax.p50)}  p99 ${ms(baseMax.p99)}   errors ${baseMax.errors}
  intake / baseline throughput = ${((intakeMax.perSecond / baseMax.perSecond) * 100).toFixed(1)} %
  at half the intake maximum (${fmt(half)} req/s, open loop):
    intake    p50 ${ms(intakeHalf.p50)}  p99 ${ms(intakeHalf.p99)}   (${intakeHalf.completed} requests, ${intakeHalf.errors} errors)
    baseline  p50 ${ms(baseHalf.p50)}  p99 ${ms(baseHalf.p99)}
  cases opened ${cases.n} (${cases.unassigned} unassigned)   peak RSS during intake ${peakMiB} MiB (process maximum ${rssMiB()} MiB)
  round trips to PostgreSQL per request: intake ${intakeTrips.toFixed(2)}, baseline ${baseTrips.toFixed(2)}${
    process.env.BENCH_TRACE
      ? `\n  intake, per request (count × mean time to answer):\n${intakeDetail}\n  baseline:\n${baseDetail}`
      : ''
  }`);
    await app.close();
  } finally {
    await database.close();
    await server.stop();
  }
}
