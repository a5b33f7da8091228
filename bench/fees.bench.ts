// The monthly fee run at size: N sellers enrolled in IT, U seller-fulfilled units shipped over March–June
// 2026 (an order of 1–3 units each, one shipment, 95 % of them scanned), contacts on 0–69 % of a seller's orders (CPU 0–35 %), a third of the sellers under the tracking target.
// The run charges June (window March–May for the band) — figures, bands fixed, charges, ledger batches,
// notices — against a plain SQL aggregate of the same rows (units and shipments per seller), in the
// same run. Goals (issue 18): under 10 s, at least half the aggregate's speed.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { runFeeMonth } from '../src/server/modules/billing';
import { applyRecords, demoMarketplaces } from '../src/server/modules/marketplace';
import { type Db, openDatabase, withDatabaseName } from '../src/server/platform/db';
import { migrate } from '../src/server/platform/migrate';
import { benchServer, fmt } from './bench-database';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await fn();
  return [r, performance.now() - t0];
}

const WINDOW_START = '2026-02-28T23:00:00Z'; // 1 March in Rome
const SPAN_SECONDS = 122 * 86_400; // March to June

async function fill(db: Db, sellers: number, units: number) {
  // The fee tallies are kept as in production: each batch of orders, lines, shipments, scans and contacts
  // is one transaction (as an import's batch is), whose commit tallies the orders its statements marked.
  // Foreign keys are not checked (replica role, as the fill always did), so the tally triggers are made to
  // fire in that role too for the fill, and put back after.
  const tallyTriggers = (
    await sql<{ table: string; name: string }>`select c.relname as table, t.tgname as name
      from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname like 'fee_tally%' and not t.tgisinternal`.execute(
      db,
    )
  ).rows;
  const setTriggers = async (how: 'always' | 'origin') => {
    for (const t of tallyTriggers)
      await sql
        .raw(`alter table "${t.table}" enable ${how === 'always' ? 'always ' : ''}trigger ${t.name}`)
        .execute(db);
  };
  await setTriggers('always');
  await db.connection().execute(async (c) => {
    await sql`set session_replication_role = replica`.execute(c);
    await sql`insert into seller (id, external_id, name, home_country, default_email, languages, standing)
      select md5('s' || g)::uuid, 'FS-' || g, 'Fee seller ' || g, 'IT', 'fs' || g || '@bench.test', '{it}', 'good'
      from generate_series(0, ${sellers - 1}::int) g`.execute(c);
    await sql`insert into buyer (id, external_id, name, email, language)
      select md5('b' || g)::uuid, 'FB-' || g, 'Buyer ' || g, 'fb' || g || '@bench.test', 'it' from generate_series(0, 999) g`.execute(
      c,
    );
    await sql`insert into product (id, external_id, seller_id, sku, category)
      select md5('p' || g)::uuid, 'FP-' || g, md5('s' || g)::uuid, 'SKU-' || g, 'home_kitchen' from generate_series(0, ${sellers - 1}::int) g`.execute(
      c,
    );
    // Everyone enrolled in December 2025 with a month's trial; one in ten withdraws on 15 June.
    await sql`insert into service_enrolment (seller_id, marketplace_id, enrolled_at, trial_ends_at, withdrawn_at, enrolled_by)
      select md5('s' || g)::uuid, 'IT', '2025-12-01T00:00:00Z', '2026-01-01T00:00:00Z',
        case when g % 10 = 0 then timestamptz '2026-06-15T00:00:00Z' end, 'seller'
      from generate_series(0, ${sellers - 1}::int) g`.execute(c);
    // Orders of 1–3 units (2 on average): units / 2 orders, spread evenly over the four months.
    const orders = Math.round(units / 2);
    const chunk = 500_000;
    const steps: Record<string, number> = {};
    for (let from = 0; from < orders; from += chunk) {
      const to = Math.min(orders, from + chunk) - 1;
      await sql`begin`.execute(c);
      const at = sql`(${WINDOW_START}::timestamptz + ((g::bigint * ${SPAN_SECONDS}) / ${orders}) * interval '1 second')`;
      const step = async (name: string, q: { execute: (c: Db) => Promise<unknown> }) => {
        const t0 = performance.now();
        await q.execute(c);
        steps[name] = (steps[name] ?? 0) + performance.now() - t0;
      };
      await step(
        'orders',
        sql`insert into "order" (id, external_id, marketplace_id, seller_id, buyer_id, fulfilment_channel, currency, ordered_at,
          items_total, shipping_charge, order_total)
        select md5('o' || g)::uuid, 'FO-' || g, 'IT', md5('s' || (g % ${sellers}))::uuid, md5('b' || (g % 1000))::uuid, 'seller', 'EUR',
          ${at}, 1000, 0, 1000
        from generate_series(${from}::int, ${to}::int) g`,
      );
      await step(
        'lines',
        sql`insert into order_line (order_id, line_no, seller_id, product_id, units, unit_price)
        select md5('o' || g)::uuid, 1, md5('s' || (g % ${sellers}))::uuid, md5('p' || (g % ${sellers}))::uuid, 1 + (g / ${sellers}) % 3, 1000
        from generate_series(${from}::int, ${to}::int) g`,
      );
      await step(
        'shipments',
        sql`insert into shipment (id, external_id, order_id, seller_id, carrier, shipped_at)
        select md5('h' || g)::uuid, 'FH-' || g, md5('o' || g)::uuid, md5('s' || (g % ${sellers}))::uuid, 'BRT', ${at} + interval '1 hour'
        from generate_series(${from}::int, ${to}::int) g`,
      );
      await step(
        'scans',
        sql`insert into shipment_event (shipment_id, seller_id, code, occurred_at)
        select md5('h' || g)::uuid, md5('s' || (g % ${sellers}))::uuid, 'picked_up', ${at} + interval '5 hours'
        from generate_series(${from}::int, ${to}::int) g
        where g % 20 <> 7 and ((g % ${sellers}) % 3 <> 0 or g % 10 <> 3)`,
      );
      await step(
        'contacts',
        sql`insert into contact (marketplace_id, channel, sender, buyer_id, seller_id, order_id, topic, handler, routing_reason, explanation, received_at)
        select 'IT', 'chat', 'buyer', md5('b' || (g % 1000))::uuid, md5('s' || (g % ${sellers}))::uuid, md5('o' || g)::uuid, 'delivery',
          'marketplace_cs', 'enrolled_seller_fulfilled', 'bench', ${at} + interval '3 days'
        from generate_series(${from}::int, ${to}::int) g where ((g / ${sellers})::bigint * 7919) % 1000 < ((g % ${sellers}) % 50) * 14`,
      );
      const t0 = performance.now();
      await sql`commit`.execute(c);
      steps['tally at commit'] = (steps['tally at commit'] ?? 0) + performance.now() - t0;
      const times = Object.entries(steps).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`);
      process.stdout.write(`\r  filled ${fmt(to + 1)} of ${fmt(orders)} orders (${times.join(', ')})`);
    }
    await sql`set session_replication_role = origin`.execute(c);
  });
  await setTriggers('origin');
  process.stdout.write('\n');
  for (const table of [
    'seller',
    'service_enrolment',
    '"order"',
    'order_line',
    'shipment',
    'shipment_event',
    'contact',
  ])
    await sql.raw(`vacuum analyze ${table}`).execute(db);
}

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      sellers: { type: 'string', default: '10000' },
      units: { type: 'string', default: '10000000' },
      reuse: { type: 'boolean', default: false },
      database: { type: 'string', default: 'bench_fees' },
    },
  });
  const sellers = Number(values.sellers);
  const units = Number(values.units);
  const server = await benchServer();
  // --reuse: the data the last run filled (the fill takes minutes at full size); the fees are wiped.
  const url = values.reuse
    ? withDatabaseName(server.adminUrl, values.database)
    : await server.fresh(values.database);
  if (values.reuse) await migrate(url); // the migrations added since the data was filled
  const database = openDatabase(url, 4);
  const db = database.db;
  try {
    console.log(
      `fees bench: ${fmt(sellers)} sellers, ${fmt(units)} units shipped (March–June 2026), June charged`,
    );
    let fillMs = 0;
    if (values.reuse) {
      await sql`truncate fee_charge, fee_band, fee_run, fee_adjustment, ledger_posting, ledger_batch, ledger_account cascade`.execute(
        db,
      );
      await sql`delete from timer`.execute(db);
    } else {
      await db.transaction().execute((tx) => applyRecords(tx, demoMarketplaces([2026])));
      [, fillMs] = await timed(() => fill(db, sellers, units));
    }
    const total = (
      await sql<{ units: string; contacts: string }>`select (select sum(units) from order_line) as units,
      (select count(*) from contact) as contacts`.execute(db)
    ).rows[0]!;
    console.log(
      `  fill: ${(fillMs / 1000).toFixed(1)} s (${fmt(Number(total.units))} units, ${fmt(Number(total.contacts))} contacts)`,
    );

    // A plain aggregate of the same rows, with none of the rules: per seller, the units and shipments of
    // the window and the month, the scanned shipments and the contacts.
    const aggregate = () =>
      db.transaction().execute(async (tx) => {
        await sql`set local jit = off`.execute(tx); // as the run does: its compile time is no part of either
        await sql`set local work_mem = '64MB'`.execute(tx);
        return sql`with u as (
          select s.seller_id, sum(l.units) as units, count(*) as shipments
          from shipment s join "order" o on o.id = s.order_id join order_line l on l.order_id = o.id
          where s.shipped_at >= ${WINDOW_START} and s.shipped_at < '2026-06-30T22:00:00Z' and o.marketplace_id = 'IT'
          group by s.seller_id),
        sc as (select s.seller_id, count(*) as scanned from shipment s
          where s.shipped_at >= ${WINDOW_START} and s.shipped_at < '2026-05-31T22:00:00Z'
            and exists (select 1 from shipment_event e where e.shipment_id = s.id and e.code <> 'label_created')
          group by s.seller_id),
        c as (select seller_id, count(*) as contacts from contact
          where marketplace_id = 'IT' and received_at >= ${WINDOW_START} and received_at < '2026-05-31T22:00:00Z' group by seller_id)
        select u.*, sc.scanned, c.contacts from u left join sc on sc.seller_id = u.seller_id left join c on c.seller_id = u.seller_id`.execute(
          tx,
        );
      });
    await aggregate(); // warm the cache, as the run will find it
    const [agg, aggMs] = await timed(aggregate);
    const now = new Date('2026-07-01T06:00:00Z');
    const [dry, dryMs] = await timed(() =>
      runFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now, dryRun: true }),
    );
    const [result, runMs] = await timed(() =>
      runFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now }),
    );
    const [again, againMs] = await timed(() =>
      runFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now }),
    );
    // The aggregate again after the runs: the machine is shared, so the baseline brackets the runs.
    const [, aggAfterMs] = await timed(aggregate);
    const baseMs = (aggMs + aggAfterMs) / 2;
    const postings = (await sql<{ n: string }>`select count(*) as n from ledger_posting`.execute(db)).rows[0]!
      .n;
    const bands = (
      await sql<{
        band: string;
        n: string;
      }>`select decision->'band'->>'band' as band, count(*) as n from fee_band
      where month = '2026-06' group by 1 order by 1`.execute(db)
    ).rows.map((r) => `${r.band} ${r.n}`);
    console.log(
      `  plain aggregate: ${(aggMs / 1000).toFixed(2)} s before the runs, ${(aggAfterMs / 1000).toFixed(2)} s after (${fmt(agg.rows.length)} sellers)`,
    );
    console.log(`  dry run:         ${(dryMs / 1000).toFixed(2)} s (${fmt(dry.sellers.length)} sellers)`);
    console.log(
      `  monthly run:     ${(runMs / 1000).toFixed(2)} s — ${fmt(result.charged)} charged, total ${fmt(Number(result.total))} cents, ${fmt(Number(postings))} postings`,
    );
    console.log(
      `  run again:       ${(againMs / 1000).toFixed(2)} s — ${fmt(again.charged)} charged, ${fmt(again.alreadyCharged)} already charged`,
    );
    console.log(`  bands: ${bands.join(', ')}`);
    console.log(
      `  run / aggregate (mean of both): ${(runMs / baseMs).toFixed(2)}× the time, dry run ${(dryMs / baseMs).toFixed(2)}× (goal ≤ 2×); under 10 s: ${runMs < 10_000 ? 'yes' : 'no'}`,
    );
  } finally {
    await database.close();
    await server.stop();
  }
}
