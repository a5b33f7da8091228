// The seller ledger at size: a ledger filled to 10 million postings, then balanced batches posted
// through postBatch (idempotency key, account upsert, balance trigger, event) against plain
// two-row INSERTs into a table with the same columns and no rules, in the same run, at the same
// concurrency; then balance and monthly-statement latency for random sellers.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { monthlyStatement, postBatch, sellerBalances } from '../src/server/modules/ledger';
import { applyRecords, demoMarketplaces } from '../src/server/modules/marketplace';
import { type Db, openDatabase } from '../src/server/platform/db';
import { benchServer, fmt, peakRssDuring } from './bench-database';
import { traceRoundTrips } from './round-trips';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

/** Runs `total` jobs on `concurrency` workers; returns jobs per second. */
async function workers(total: number, concurrency: number, job: (i: number) => Promise<void>) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) await job(i);
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

async function fill(db: Db, postings: number, sellers: number) {
  // Bulk fill with triggers and foreign keys off (session_replication_role): this is the bench's
  // set-up, not the path measured; every batch is still balanced by construction.
  const chunk = 1_000_000;
  for (let from = 0; from < postings / 2; from += chunk / 2) {
    const to = Math.min(postings / 2, from + chunk / 2) - 1;
    await db.connection().execute(async (c) => {
      await sql`set session_replication_role = replica`.execute(c);
      await sql`insert into ledger_batch (id, idempotency_key, decision_kind, decision_id, description, posted_at)
        select md5('b' || g)::uuid, 'fill:' || g, 'concession', g::text, 'Refund charged to the seller (bench)',
          timestamptz '2025-01-01' + (g * ${Math.floor(126_144_000 / postings)}) * interval '1 second'
        from generate_series(${from}::bigint, ${to}::bigint) g`.execute(c);
      await sql`with a as (select array_agg(id order by seller_id) as ids, array_agg(seller_id order by seller_id) as sellers
          from ledger_account where kind = 'seller'),
        m as (select id from ledger_account where kind = 'marketplace_refunds')
        insert into ledger_posting (batch_id, account_id, seller_id, amount, currency, posted_at)
        select md5('b' || g)::uuid, x.account_id, x.seller_id, x.amount, 'EUR', timestamptz '2025-01-01' + (g * ${Math.floor(126_144_000 / postings)}) * interval '1 second'
        from generate_series(${from}::bigint, ${to}::bigint) g, a, m,
          lateral (values (a.ids[1 + g % ${sellers}], a.sellers[1 + g % ${sellers}], -(100 + g % 10000)),
                          (m.id, null::uuid, 100 + g % 10000)) as x(account_id, seller_id, amount)`.execute(
        c,
      );
      await sql`set session_replication_role = origin`.execute(c);
    });
    process.stdout.write(`\r  filled ${fmt(Math.min(postings, (to + 1) * 2))} postings`);
  }
  process.stdout.write('\n');
  // What autovacuum would have done to a ledger this size: statistics and the visibility map.
  await sql`vacuum analyze ledger_batch`.execute(db);
  await sql`vacuum analyze ledger_posting`.execute(db);
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      postings: { type: 'string', default: '10000000' },
      sellers: { type: 'string', default: '10000' },
      batches: { type: 'string', default: '20000' },
      concurrency: { type: 'string', default: '8' },
      queries: { type: 'string', default: '1000' },
    },
  });
  const postings = Number(values.postings);
  const sellerCount = Number(values.sellers);
  const batches = Number(values.batches);
  const concurrency = Number(values.concurrency);
  const server = await benchServer();
  const database = openDatabase(await server.fresh('bench_ledger'), concurrency + 2);
  const db = database.db;
  try {
    const sellers = Array.from({ length: sellerCount }, (_, i) => ({
      type: 'seller',
      externalId: `LS-${i}`,
      name: `Ledger seller ${i}`,
      homeCountry: 'IT',
      defaultEmail: `ls${i}@bench.test`,
      languages: ['it'],
      standing: 'good',
    }));
    await db.transaction().execute((tx) => applyRecords(tx, [...demoMarketplaces([2026]), ...sellers]));
    await sql`insert into ledger_account (kind, seller_id, marketplace_id, currency) select 'seller', id, 'IT', 'EUR' from seller`.execute(
      db,
    );
    await sql`insert into ledger_account (kind, marketplace_id, currency) values ('marketplace_refunds', 'IT', 'EUR')`.execute(
      db,
    );
    const ids = (await sql<{ id: string }>`select id from seller order by id`.execute(db)).rows.map(
      (r) => r.id,
    );
    await sql`create table bench_plain_posting (id bigint generated always as identity primary key, batch_id uuid not null,
      account_id uuid not null, seller_id uuid, amount bigint not null, currency char(3) not null, posted_at timestamptz not null)`.execute(
      db,
    );

    console.log(
      `ledger bench: ${fmt(postings)} postings over ${fmt(sellerCount)} sellers, then ${fmt(batches)} batches on ${concurrency} connections`,
    );
    const [, fillMs] = await timed(() => fill(db, postings, sellerCount));
    console.log(`  fill (set-based SQL, triggers off): ${(fillMs / 1000).toFixed(1)} s`);

    const sellerAccount = (i: number) => ({
      kind: 'seller' as const,
      sellerId: ids[i % ids.length]!,
      marketplaceId: 'IT',
      currency: 'EUR',
    });
    const refunds = { kind: 'marketplace_refunds' as const, marketplaceId: 'IT', currency: 'EUR' };
    const accountIds = new Map(
      (
        await sql<{
          seller_id: string;
          id: string;
        }>`select seller_id, id from ledger_account where kind = 'seller'`.execute(db)
      ).rows.map((r) => [r.seller_id, r.id]),
    );
    const refundsId = (
      await sql<{ id: string }>`select id from ledger_account where kind = 'marketplace_refunds'`.execute(db)
    ).rows[0]!.id;

    const plain = async (i: number) => {
      const s = ids[i % ids.length]!;
      const at = new Date();
      await db.transaction().execute((tx) =>
        sql`insert into bench_plain_posting (batch_id, account_id, seller_id, amount, currency, posted_at)
          values (gen_random_uuid(), ${accountIds.get(s)}, ${s}, -1999, 'EUR', ${at}), (gen_random_uuid(), ${refundsId}, null, 1999, 'EUR', ${at})`.execute(
          tx,
        ),
      );
    };
    const baseline = await workers(batches, concurrency, plain);
    // The i-th charge; posting it again with the same key is a replay that must post nothing.
    const charge = async (i: number) => {
      await db.transaction().execute((tx) =>
        postBatch(tx, {
          idempotencyKey: `bench:${i}`,
          decision: { kind: 'concession', id: `bench-${i}` },
          description: 'Refund to the buyer charged to the seller (bench)',
          postings: [
            { account: sellerAccount(i), amount: -1999n },
            { account: refunds, amount: 1999n },
          ],
          at: new Date(),
        }),
      );
    };
    const { result: ledgerRate, peakMiB } = await peakRssDuring(() => workers(batches, concurrency, charge));
    const replay = await workers(Math.min(batches, 5000), concurrency, charge);

    // Round trips per batch, counted in a short phase of their own after the measured ones.
    const trace = traceRoundTrips();
    const traced = Math.min(batches, 2000);
    await workers(traced, concurrency, (i) => charge(batches + i));
    const ledgerTrips = trace.count() / traced;
    const ledgerDetail = trace.report(traced);
    trace.reset();
    await workers(traced, concurrency, plain);
    const plainTrips = trace.count() / traced;
    trace.stop();

    const total = (await sql<{ n: string }>`select count(*)::text as n from ledger_posting`.execute(db))
      .rows[0]!.n;
    const queries = Number(values.queries);
    const balanceMs: number[] = [];
    const statementMs: number[] = [];
    for (let q = 0; q < queries; q++) {
      const s = ids[(q * 7919) % ids.length]!;
      balanceMs.push((await timed(() => sellerBalances(db, s)))[1]);
      const month = `2025-${String(1 + (q % 12)).padStart(2, '0')}`;
      statementMs.push((await timed(() => monthlyStatement(db, s, 'EUR', month)))[1]);
    }
    const sample = await monthlyStatement(db, ids[0]!, 'EUR', '2025-06');
    const ms = (x: number) => `${x.toFixed(2)} ms`;
    console.log(`
  ledger size after the run                  ${fmt(Number(total))} postings
  plain INSERT (2 rows per transaction)      ${fmt(baseline * 2)} postings/s
  postBatch (balanced, idempotent, explained) ${fmt(ledgerRate * 2)} postings/s  → ${((ledgerRate / baseline) * 100).toFixed(1)} % of plain INSERT
  postBatch replayed (same keys)             ${fmt(replay)} requests/s (nothing posted)
  balance of a seller        p50 ${ms(percentile(balanceMs, 50))}  p99 ${ms(percentile(balanceMs, 99))}  (${queries} sellers)
  monthly statement          p50 ${ms(percentile(statementMs, 50))}  p99 ${ms(percentile(statementMs, 99))}  (${sample.lines.length} lines in a sample month)
  peak RSS while posting     ${peakMiB} MiB
  round trips per batch: postBatch ${ledgerTrips.toFixed(2)}, plain INSERT ${plainTrips.toFixed(2)}${
    process.env.BENCH_TRACE ? `\n  postBatch, per batch (count × mean time to answer):\n${ledgerDetail}` : ''
  }`);
  } finally {
    await database.close();
    await server.stop();
  }
}
