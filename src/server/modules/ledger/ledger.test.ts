import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { marketplaces, seller } from '../../../../test/helpers/fixtures';
import {
  type AccountRef,
  checkBalanced,
  monthlyStatement,
  postBatch,
  sellerBalances,
  unbalancedBatches,
} from './ledger';
import { csvField, decimalOf } from './statement-csv';

const t = await testApp();
let sellerId: string;
const sellerAcc = (): AccountRef => ({ kind: 'seller', sellerId, marketplaceId: 'IT', currency: 'EUR' });
const refunds: AccountRef = { kind: 'marketplace_refunds', marketplaceId: 'IT', currency: 'EUR' };
const charge = (key: string, amount: bigint, at = new Date('2026-03-10T10:00:00Z')) =>
  t.db.transaction().execute((tx) =>
    postBatch(tx, {
      idempotencyKey: key,
      decision: { kind: 'concession', id: key },
      description: `Refund ${key} charged to the seller`,
      postings: [
        { account: sellerAcc(), amount: -amount },
        { account: refunds, amount },
      ],
      at,
    }),
  );

beforeAll(async () => {
  await t.seed([...marketplaces(), seller('S-L')]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-L'`.execute(t.db))
    .rows[0]!.id;
});

describe('ledger', () => {
  it('checks that a batch balances per currency', () => {
    expect(
      checkBalanced([
        { account: refunds, amount: 5n },
        { account: refunds, amount: -5n },
      ]).balanced,
    ).toBe(true);
    expect(
      checkBalanced([
        { account: refunds, amount: 5n },
        { account: refunds, amount: -4n },
      ]).problems,
    ).toEqual(['EUR postings sum to 1, not 0']);
    expect(checkBalanced([{ account: refunds, amount: 5n }]).balanced).toBe(false);
  });

  it('posts a batch once per idempotency key', async () => {
    const first = await charge('r-1', 1999n);
    const again = await charge('r-1', 1999n, new Date('2026-03-10T10:05:00Z')); // a retry, a little later
    expect(again).toEqual({ batchId: first.batchId, replayed: true });
    expect(await sellerBalances(t.db, sellerId)).toEqual([
      { marketplace_id: 'IT', currency: 'EUR', balance: -1999n },
    ]);
  });

  it('posts the same batch sent several times at once once, with one event naming it', async () => {
    // Marketplace accounts only, so the seller's balance the tests below state stays as it is.
    const post = () =>
      t.db.transaction().execute((tx) =>
        postBatch(tx, {
          idempotencyKey: 'at-once',
          decision: { kind: 'fee_charge', id: 'at-once' },
          description: 'Sent six times at once',
          postings: [
            { account: { kind: 'marketplace_fees', marketplaceId: 'DE', currency: 'EUR' }, amount: -700n },
            { account: { kind: 'marketplace_refunds', marketplaceId: 'DE', currency: 'EUR' }, amount: 700n },
          ],
          at: new Date('2026-03-10T10:00:00Z'),
        }),
      );
    const results = await Promise.all(Array.from({ length: 6 }, post));
    const posted = results.filter((r) => !r.replayed);
    expect(posted).toHaveLength(1);
    expect(new Set(results.map((r) => r.batchId))).toEqual(new Set([posted[0]!.batchId]));
    const rows = await sql<{
      n: number;
    }>`select count(*)::int as n from ledger_posting where batch_id = ${posted[0]!.batchId}::uuid`.execute(
      t.db,
    );
    expect(rows.rows[0]!.n).toBe(2);
    const events = await sql<{
      payload: { type: string; data: { batchId: string; postings: { amount: number }[] } };
    }>`
      select payload from timer where kind = 'publish_event' and ref = ${`ledger:${posted[0]!.batchId}`}`.execute(
      t.db,
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.payload).toMatchObject({
      type: 'ledger.posted',
      data: { batchId: posted[0]!.batchId },
    });
    expect(events.rows[0]!.payload.data.postings.map((p) => p.amount)).toEqual([-700, 700]);
  });

  it('opens an account on its first use, in the same post', async () => {
    const fees: AccountRef = { kind: 'marketplace_fees', marketplaceId: 'FR', currency: 'EUR' };
    const other: AccountRef = { kind: 'marketplace_refunds', marketplaceId: 'FR', currency: 'EUR' };
    const posted = await t.db.transaction().execute((tx) =>
      postBatch(tx, {
        idempotencyKey: 'first-use',
        decision: { kind: 'fee_charge', id: 'first-use' },
        description: 'First use of two accounts',
        postings: [
          { account: fees, amount: 10n },
          { account: other, amount: -10n },
        ],
        at: new Date('2026-03-10T10:00:00Z'),
      }),
    );
    expect(posted.replayed).toBe(false);
    const accounts = await sql<{ kind: string; balance: string }>`
      select a.kind, sum(p.amount)::text as balance from ledger_posting p join ledger_account a on a.id = p.account_id
      where p.batch_id = ${posted.batchId}::uuid group by a.kind order by a.kind`.execute(t.db);
    expect(accounts.rows).toEqual([
      { kind: 'marketplace_fees', balance: '10' },
      { kind: 'marketplace_refunds', balance: '-10' },
    ]);
  });

  it('refuses the same key with another amount or another decision, posting nothing', async () => {
    await expect(charge('r-1', 2500n)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    await expect(
      t.db.transaction().execute((tx) =>
        postBatch(tx, {
          idempotencyKey: 'r-1',
          decision: { kind: 'concession', id: 'r-other' },
          description: 'Refund r-1 charged to the seller',
          postings: [
            { account: sellerAcc(), amount: -1999n },
            { account: refunds, amount: 1999n },
          ],
          at: new Date('2026-03-10T10:00:00Z'),
        }),
      ),
    ).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect(await sellerBalances(t.db, sellerId)).toEqual([
      { marketplace_id: 'IT', currency: 'EUR', balance: -1999n },
    ]);
  });

  it('refuses an unbalanced batch, and the database refuses one too', async () => {
    await expect(
      t.db.transaction().execute((tx) =>
        postBatch(tx, {
          idempotencyKey: 'bad',
          decision: { kind: 'concession', id: 'bad' },
          description: 'x',
          postings: [
            { account: sellerAcc(), amount: -5n },
            { account: refunds, amount: 4n },
          ],
          at: new Date(),
        }),
      ),
    ).rejects.toThrow(/Unbalanced/);
    await expect(
      t.db.transaction().execute(async (tx) => {
        const b = await sql<{
          id: string;
        }>`insert into ledger_batch (idempotency_key, decision_kind, decision_id, description, posted_at)
          values ('raw', 'x', 'x', 'x', now()) returning id`.execute(tx);
        const acc = (await sql<{ id: string }>`select id from ledger_account limit 1`.execute(tx)).rows[0]!
          .id;
        await sql`insert into ledger_posting (batch_id, account_id, amount, currency, posted_at) values (${b.rows[0]!.id}::uuid, ${acc}::uuid, 7, 'EUR', now())`.execute(
          tx,
        );
      }),
    ).rejects.toThrow(/does not balance/);
  });

  it('is append-only', async () => {
    await expect(sql`update ledger_posting set amount = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_batch`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('states a month with opening and closing balances and the decision behind each line', async () => {
    await charge('r-feb', 500n, new Date('2026-02-20T10:00:00Z'));
    await charge('r-apr', 700n, new Date('2026-04-02T10:00:00Z'));
    const march = await monthlyStatement(t.db, sellerId, 'EUR', '2026-03');
    expect(march.opening).toBe(-500n);
    expect(march.lines.map((l) => [BigInt(l.amount), l.decision_kind, l.decision_id])).toEqual([
      [-1999n, 'concession', 'r-1'],
    ]);
    expect(march.closing).toBe(-2499n);
  });

  it("dates each line in its marketplace's month, not in UTC", async () => {
    await t.seed([seller('S-TZ')]);
    const tz = (await sql<{ id: string }>`select id from seller where external_id = 'S-TZ'`.execute(t.db))
      .rows[0]!.id;
    const post = (key: string, marketplaceId: string, currency: string, at: string) =>
      t.db.transaction().execute((tx) =>
        postBatch(tx, {
          idempotencyKey: key,
          decision: { kind: 'concession', id: key },
          description: `Refund ${key}`,
          postings: [
            { account: { kind: 'seller', sellerId: tz, marketplaceId, currency }, amount: -100n },
            { account: { kind: 'marketplace_refunds', marketplaceId, currency }, amount: 100n },
          ],
          at: new Date(at),
        }),
      );
    await post('tz-rome-july', 'IT', 'EUR', '2026-07-31T21:30:00Z'); // 23:30 on 31 July in Rome
    await post('tz-rome-august', 'IT', 'EUR', '2026-07-31T22:30:00Z'); // 00:30 on 1 August in Rome
    await post('tz-new-york-july', 'US', 'USD', '2026-08-01T02:00:00Z'); // 22:00 on 31 July in New York
    const ids = async (currency: string, month: string) => {
      const s = await monthlyStatement(t.db, tz, currency, month);
      return { opening: s.opening, ids: s.lines.map((l) => l.decision_id), closing: s.closing };
    };
    expect(await ids('EUR', '2026-07')).toEqual({ opening: 0n, ids: ['tz-rome-july'], closing: -100n });
    expect(await ids('EUR', '2026-08')).toEqual({ opening: -100n, ids: ['tz-rome-august'], closing: -200n });
    expect(await ids('USD', '2026-07')).toEqual({ opening: 0n, ids: ['tz-new-york-july'], closing: -100n });
    expect(await ids('USD', '2026-08')).toEqual({ opening: -100n, ids: [], closing: -100n });
  });

  it('keeps every batch balanced and balances equal to the sum of postings (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 1n, max: 100_000n }), { minLength: 1, maxLength: 8 }),
        async (amounts) => {
          const before = (await sellerBalances(t.db, sellerId))[0]!.balance;
          const key = `p-${Math.random()}`;
          for (const [i, a] of amounts.entries()) await charge(`${key}-${i}`, a);
          for (const [i, a] of amounts.entries()) await charge(`${key}-${i}`, a); // replays change nothing
          const after = (await sellerBalances(t.db, sellerId))[0]!.balance;
          expect(after).toBe(before - amounts.reduce((s, a) => s + a, 0n));
          expect(await unbalancedBatches(t.db)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('balance and statement endpoints', () => {
  it('show a seller its own balance and month, each line with the decision behind it', async () => {
    await charge('http-1', 1234n, new Date('2026-05-03T10:00:00Z'));
    const me = await t.user('seller', { sellerExternalId: 'S-L' });
    const balances = (await me.get('/api/v1/sellers/S-L/ledger/balances')).json();
    expect(balances).toEqual([
      {
        marketplace: 'IT',
        currency: 'EUR',
        balance: Number((await sellerBalances(t.db, sellerId))[0]!.balance),
      },
    ]);
    const may = (await me.get('/api/v1/sellers/S-L/ledger/statements/2026-05?currency=EUR')).json();
    expect(may.lines).toEqual([
      {
        postedAt: '2026-05-03T10:00:00.000Z',
        marketplace: 'IT',
        amount: -1234,
        description: 'Refund http-1 charged to the seller',
        decision: { kind: 'concession', id: 'http-1' },
      },
    ]);
    expect(may.closing).toBe(may.opening - 1234);
  });

  it('refuse bad months and currencies, other sellers and buyers', async () => {
    await t.seed([seller('S-L2')]);
    const other = await t.user('seller', { sellerExternalId: 'S-L2' });
    expect((await other.get('/api/v1/sellers/S-L/ledger/balances')).statusCode).toBe(404);
    expect((await other.get('/api/v1/sellers/S-L/ledger/statements/2026-05?currency=EUR')).statusCode).toBe(
      404,
    );
    expect((await other.get('/api/v1/sellers/S-L2/ledger/statements/2026-13?currency=EUR')).statusCode).toBe(
      400,
    );
    expect((await other.get('/api/v1/sellers/S-L2/ledger/statements/2026-05?currency=euro')).statusCode).toBe(
      400,
    );
    expect((await other.get('/api/v1/sellers/S-L2/ledger/balances')).json()).toEqual([]);
    const agent = await t.user('agent');
    expect((await agent.get('/api/v1/sellers/S-L/ledger/balances')).statusCode).toBe(403);
    const admin = await t.user('admin');
    expect((await admin.get('/api/v1/sellers/S-L/ledger/balances')).statusCode).toBe(200);
  });
});

describe('monthly statement as CSV', () => {
  it('writes plain decimals, quotes separators and defuses formulas', () => {
    expect(decimalOf(-1234n, 'EUR')).toBe('-12.34');
    expect(decimalOf(5n, 'EUR')).toBe('0.05');
    expect(decimalOf(1500n, 'JPY')).toBe('1500');
    expect(csvField('a,b "c"')).toBe('"a,b ""c"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('downloads the seller’s own month with the same lines as the JSON statement; others get 404', async () => {
    await charge('csv-1', 2500n, new Date('2026-06-04T08:00:00Z'));
    await t.db.transaction().execute((tx) =>
      postBatch(tx, {
        idempotencyKey: 'csv-2',
        decision: { kind: 'concession', id: 'csv-2' },
        description: '=cmd|"/c calc"!A1, <script>alert(1)</script>',
        postings: [
          { account: sellerAcc(), amount: -100n },
          { account: refunds, amount: 100n },
        ],
        at: new Date('2026-06-05T08:00:00Z'),
      }),
    );
    const me = await t.user('seller', { sellerExternalId: 'S-L' });
    const json = (await me.get('/api/v1/sellers/S-L/ledger/statements/2026-06?currency=EUR')).json();
    const r = await me.get(`/api/v1/sellers/${sellerId}/ledger/statements/2026-06/csv?currency=EUR`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('attachment; filename="statement-2026-06-EUR.csv"');
    const rows = r.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toEqual([
      'posted_at,marketplace,amount,currency,description,decision_kind,decision_id',
      `,,${decimalOf(BigInt(json.opening), 'EUR')},EUR,opening balance,,`,
      '2026-06-04T08:00:00.000Z,IT,-25.00,EUR,Refund csv-1 charged to the seller,concession,csv-1',
      `2026-06-05T08:00:00.000Z,IT,-1.00,EUR,"'=cmd|""/c calc""!A1, <script>alert(1)</script>",concession,csv-2`,
      `,,${decimalOf(BigInt(json.closing), 'EUR')},EUR,closing balance,,`,
    ]);
    expect(json.closing).toBe(json.opening - 2600);

    const other = await t.user('seller', { sellerExternalId: 'S-L2' });
    expect(
      (await other.get('/api/v1/sellers/S-L/ledger/statements/2026-06/csv?currency=EUR')).statusCode,
    ).toBe(404);
    const unknown = await me.get('/api/v1/sellers/S-L/ledger/statements/2026-06/csv?currency=XYZ');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('validation_failed');
    const agent = await t.user('agent');
    expect(
      (await agent.get('/api/v1/sellers/S-L/ledger/statements/2026-06/csv?currency=EUR')).statusCode,
    ).toBe(403);
  });
});
