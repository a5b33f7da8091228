// Bulk import of simulated orders through the importer (validation, reference checks, upserts)
// against the floor of what PostgreSQL can load: COPY of the very same rows into the same tables.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { importRecords, simulate } from '../src/server/modules/marketplace';
import { openDatabase } from '../src/server/platform/db';
import { benchServer, fmt, peakRssDuring, rssMiB } from './bench-database';

const ACTIVITY_TABLES = [
  'order',
  'order_line',
  'shipment',
  'shipment_event',
  'return',
  'return_line',
  'return_event',
];

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { orders: { type: 'string', default: '1000000' }, seed: { type: 'string', default: '7' } },
  });
  const orders = Number(values.orders);
  const dir = join(process.cwd(), 'var', 'bench-data');
  await mkdir(dir, { recursive: true });
  const referenceFile = join(dir, 'reference.ndjson');
  const activityFile = join(dir, 'activity.ndjson');

  console.log(`Generating ${fmt(orders)} simulated orders (seed ${values.seed})…`);
  await writeSimulation(orders, Number(values.seed), referenceFile, activityFile);

  const server = await benchServer();
  try {
    const importUrl = await server.fresh('bench_import');
    const copyUrl = await server.fresh('bench_copy');
    // Reference data (sellers, buyers, products) loads the same way into both, untimed.
    for (const url of [importUrl, copyUrl]) {
      const db = openDatabase(url, 4);
      await importRecords(db.db, createReadStream(referenceFile), { chunkSize: 5000 });
      await db.close();
    }

    const db = openDatabase(importUrl, 4);
    const t0 = performance.now();
    const { result: summary, peakMiB: importPeak } = await peakRssDuring(() =>
      importRecords(db.db, createReadStream(activityFile), { chunkSize: 2000 }),
    );
    const importSeconds = (performance.now() - t0) / 1000;
    await db.close();
    const importRows = await countRows(importUrl);

    // COPY starts from the same NDJSON: one pass converts it to a TSV file per table (timed), then
    // COPY loads them in foreign-key order, independent tables side by side.
    const t1 = performance.now();
    const tsv = await writeTableFiles(copyUrl, activityFile, dir);
    const prepSeconds = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    await copyTables(copyUrl, tsv, [
      ['order'],
      ['order_line', 'shipment', 'return'],
      ['shipment_event', 'return_line', 'return_event'],
    ]);
    const copySeconds = prepSeconds + (performance.now() - t2) / 1000;
    const copyRows = await countRows(copyUrl);

    // The floor: the same files into tables without foreign keys, all at once.
    const floorUrl = await server.fresh('bench_copy_floor');
    await dropForeignKeys(floorUrl);
    const t3 = performance.now();
    await copyTables(floorUrl, tsv, [ACTIVITY_TABLES]);
    const floorSeconds = prepSeconds + (performance.now() - t3) / 1000;

    const importRate = importRows.total / importSeconds;
    const copyRate = copyRows.total / copySeconds;
    const floorRate = copyRows.total / floorSeconds;
    console.log(`
Import bench: ${fmt(orders)} orders, ${fmt(summary.accepted)} records accepted, ${summary.rejected} rejected
  rows written (orders, lines, shipments, events, returns):  importer ${fmt(importRows.total)}   COPY ${fmt(copyRows.total)}
  importer                       ${importSeconds.toFixed(1)} s   ${fmt(importRate)} rows/s   ${fmt(summary.recordsPerSecond)} records/s
  COPY, same schema              ${copySeconds.toFixed(1)} s   ${fmt(copyRate)} rows/s   (of which NDJSON → TSV ${prepSeconds.toFixed(1)} s)
  COPY, no foreign keys (floor)  ${floorSeconds.toFixed(1)} s   ${fmt(floorRate)} rows/s
  importer / COPY same schema = ${((importRate / copyRate) * 100).toFixed(1)} %   importer / floor = ${((importRate / floorRate) * 100).toFixed(1)} %
  peak RSS during the import: ${importPeak} MiB (process maximum, generation included: ${rssMiB()} MiB)
  per table: ${JSON.stringify(importRows.byTable)}`);
    if (JSON.stringify(importRows.byTable) !== JSON.stringify(copyRows.byTable)) {
      console.log(`  WARNING: COPY loaded different counts: ${JSON.stringify(copyRows.byTable)}`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeSimulation(orders: number, seed: number, referenceFile: string, activityFile: string) {
  const reference = createWriteStream(referenceFile);
  const activity = createWriteStream(activityFile);
  const write = async (stream: ReturnType<typeof createWriteStream>, text: string) => {
    if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', () => r()));
  };
  for (const record of simulate({ orders, seed })) {
    const isActivity = record.type === 'order' || record.type === 'shipment' || record.type === 'return';
    await write(isActivity ? activity : reference, `${JSON.stringify(record)}\n`);
  }
  await Promise.all([reference, activity].map((s) => new Promise<void>((r) => s.end(() => r()))));
}

async function countRows(url: string) {
  const c = new pg.Client(url);
  await c.connect();
  const byTable: Record<string, number> = {};
  for (const t of ACTIVITY_TABLES)
    byTable[t] = Number((await c.query(`select count(*) from "${t}"`)).rows[0].count);
  await c.end();
  return { byTable, total: Object.values(byTable).reduce((a, b) => a + b, 0) };
}

// The baseline is COPY in its best case: no foreign keys to check (unique indexes stay).
async function dropForeignKeys(url: string) {
  const c = new pg.Client(url);
  await c.connect();
  const fks = await c.query(`select conrelid::regclass as t, conname from pg_constraint where contype = 'f'`);
  for (const fk of fks.rows) await c.query(`alter table ${fk.t} drop constraint ${fk.conname}`);
  await c.end();
}

/** One pass over the activity file into one TSV file per table; ids resolved from in-memory maps. */
async function writeTableFiles(
  url: string,
  activityFile: string,
  dir: string,
): Promise<Record<string, string>> {
  const ids = async (table: string) => {
    const c = new pg.Client(url);
    await c.connect();
    const rows = (await c.query(`select external_id, id from ${table}`)).rows;
    await c.end();
    return new Map<string, string>(rows.map((r) => [r.external_id, r.id]));
  };
  const [sellers, buyers, products] = [await ids('seller'), await ids('buyer'), await ids('product')];
  const orders = new Map<string, { id: string; seller: string }>();
  const files = Object.fromEntries(ACTIVITY_TABLES.map((t) => [t, join(dir, `${t}.tsv`)]));
  const streams = Object.fromEntries(ACTIVITY_TABLES.map((t) => [t, createWriteStream(files[t]!)]));
  const buffers: Record<string, string> = Object.fromEntries(ACTIVITY_TABLES.map((t) => [t, '']));
  const esc = (v: unknown) =>
    v === null || v === undefined
      ? '\\N'
      : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
  const flush = async (table: string, force = false) => {
    if (!force && buffers[table]!.length < 1 << 16) return;
    if (!streams[table]!.write(buffers[table]!))
      await new Promise<void>((r) => streams[table]!.once('drain', () => r()));
    buffers[table] = '';
  };
  const put = async (table: string, values: unknown[]) => {
    buffers[table] += `${values.map(esc).join('\t')}\n`;
    await flush(table);
  };
  for await (const line of createInterface({
    input: createReadStream(activityFile),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    const r = JSON.parse(line);
    if (r.type === 'order') {
      const id = randomUUID();
      const seller = sellers.get(r.sellerExternalId)!;
      orders.set(r.externalId, { id, seller });
      await put('order', [
        id,
        r.externalId,
        r.marketplace,
        seller,
        buyers.get(r.buyerExternalId),
        r.fulfilmentChannel,
        r.currency,
        r.orderedAt,
        r.promisedDeliveryDate,
        r.isPreorder,
        r.itemsTotal,
        r.shippingCharge,
        r.orderTotal,
      ]);
      for (const l of r.lines)
        await put('order_line', [
          id,
          l.lineNo,
          seller,
          products.get(l.productExternalId),
          l.units,
          l.unitPrice,
        ]);
    } else if (r.type === 'shipment') {
      const o = orders.get(r.orderExternalId)!;
      const id = randomUUID();
      await put('shipment', [id, r.externalId, o.id, o.seller, r.carrier, r.trackingNumber, r.shippedAt]);
      for (const e of r.events)
        await put('shipment_event', [id, o.seller, e.code, e.occurredAt, e.location, e.detail]);
    } else if (r.type === 'return') {
      const o = orders.get(r.orderExternalId)!;
      const id = randomUUID();
      await put('return', [
        id,
        r.externalId,
        o.id,
        o.seller,
        r.reason,
        r.requestedAt,
        r.authorisation,
        r.authorisedAt,
        r.carrier,
        r.trackingNumber,
        r.receivedAt,
      ]);
      for (const l of r.lines) await put('return_line', [id, l.lineNo, o.seller, l.units]);
      for (const e of r.events)
        await put('return_event', [id, o.seller, e.code, e.occurredAt, e.location, e.detail]);
    }
  }
  for (const t of ACTIVITY_TABLES) {
    await flush(t, true);
    await new Promise<void>((r) => streams[t]!.end(() => r()));
  }
  return files;
}

const COLUMNS: Record<string, string> = {
  order:
    'id, external_id, marketplace_id, seller_id, buyer_id, fulfilment_channel, currency, ordered_at, promised_delivery_date, is_preorder, items_total, shipping_charge, order_total',
  order_line: 'order_id, line_no, seller_id, product_id, units, unit_price',
  shipment: 'id, external_id, order_id, seller_id, carrier, tracking_number, shipped_at',
  shipment_event: 'shipment_id, seller_id, code, occurred_at, location, detail',
  return:
    'id, external_id, order_id, seller_id, reason, requested_at, authorisation, authorised_at, carrier, tracking_number, received_at',
  return_line: 'return_id, line_no, seller_id, units',
  return_event: 'return_id, seller_id, code, occurred_at, location, detail',
};

/** COPY each table from its file; tables within a phase load side by side, phases one after another. */
async function copyTables(url: string, files: Record<string, string>, phases: string[][]) {
  for (const phase of phases) {
    await Promise.all(
      phase.map(async (table) => {
        const c = new pg.Client(url);
        await c.connect();
        await pipeline(
          createReadStream(files[table]!),
          c.query(copyFrom(`copy "${table}" (${COLUMNS[table]}) from stdin`)),
        );
        await c.end();
      }),
    );
  }
}
