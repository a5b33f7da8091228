import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { buyer, marketplaces, order, product, seller } from '../../../../test/helpers/fixtures';
import { importRecords, type RejectedLine } from './import-records';
import { simulate } from './simulator';

const t = await testApp();
const ndjson = (lines: (unknown | string)[]) =>
  lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
const count = async (table: string) =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n);

describe('bulk import', () => {
  it('keeps accepted records and reports rejected lines with their numbers and reasons', async () => {
    const lines = [
      ...marketplaces(), // lines 1–5
      seller('S-I'), // 6
      '{"type": "seller", "externalId": ', // 7: malformed JSON
      buyer('B-I'), // 8
      product('P-I', 'S-I'), // 9
      order('O-I1', 'S-I', 'B-I', 'P-I'), // 10
      order('O-I2', 'S-I', 'B-404', 'P-I'), // 11: unknown buyer
      order('O-I3', 'S-I', 'B-I', 'P-I', { currency: 'USD' }), // 12: wrong currency
      '', // 13: blank lines are skipped
      {
        type: 'seller',
        externalId: 'S-J',
        name: 'No e-mail',
        homeCountry: 'IT',
        languages: ['it'],
        standing: 'good',
      }, // 14
    ];
    const rejected: RejectedLine[] = [];
    const summary = await importRecords(t.db, Readable.from([ndjson(lines)]), {
      chunkSize: 4,
      onRejected: (r) => rejected.push(r),
    });
    expect(summary).toMatchObject({ lines: 14, accepted: 9, rejected: 4 });
    expect(
      rejected.map((r) => [r.line, r.errors[0]!.code]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [7, 'malformed_json'],
      [11, 'unknown_reference'],
      [12, 'currency_mismatch'],
      [14, 'invalid_type'],
    ]);
    expect(await sql`select external_id from "order" order by 1`.execute(t.db).then((r) => r.rows)).toEqual([
      { external_id: 'O-I1' },
    ]);
    expect((await sql`select 1 from seller where external_id = 'S-J'`.execute(t.db)).rows).toHaveLength(0);
  });

  it('is idempotent: importing the same simulated marketplace twice changes nothing the second time', async () => {
    const records = [...simulate({ orders: 150, seed: 3 })];
    const first = await importRecords(t.db, Readable.from([ndjson(records)]), { chunkSize: 100 });
    expect(first.rejected).toBe(0);
    const counts = await Promise.all(
      ['order', 'order_line', 'shipment', 'shipment_event', 'return'].map(count),
    );
    const second = await importRecords(t.db, Readable.from([ndjson(records)]), { chunkSize: 100 });
    expect(second).toMatchObject({ rejected: 0, created: 0, updated: 0 });
    expect(
      await Promise.all(['order', 'order_line', 'shipment', 'shipment_event', 'return'].map(count)),
    ).toEqual(counts);
  });

  it('streams NDJSON over HTTP and answers with the summary and rejected lines', async () => {
    const api = await t.apiKey();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/import',
      headers: { ...api.headers, 'content-type': 'application/x-ndjson' },
      payload: ndjson([seller('S-H'), buyer('B-H'), 'not json', product('P-H', 'S-404')]),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lines: 4, accepted: 2, rejected: 2 });
    expect(
      res
        .json()
        .rejectedLines.map((r: RejectedLine) => r.line)
        .sort(),
    ).toEqual([3, 4]);
  });

  it('runs from the command line with a report file of rejected lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'onbehalf-import-'));
    const file = join(dir, 'records.ndjson');
    writeFileSync(file, ndjson([seller('S-CLI'), '{oops', buyer('B-CLI')]));
    const result = spawnSync('npx', ['tsx', 'src/server/main/cli.ts', 'import', file], {
      env: { ...process.env, DATABASE_URL: t.database.url },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2); // some lines were rejected
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ lines: 3, accepted: 2, rejected: 1 });
    expect(summary.recordsPerSecond).toBeGreaterThan(0);
    const report = readFileSync(summary.report, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(report).toEqual([{ line: 2, errors: [expect.objectContaining({ code: 'malformed_json' })] }]);
  });
});
