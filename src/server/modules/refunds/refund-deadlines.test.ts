import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { fireDueTimers } from '../../platform/timers';
import { sellerBalances, unbalancedBatches } from '../ledger';
import { enrol } from '../programs';
import { deadlineOf, refundDeadlineTimerHandlers } from './refund-deadlines';

const t = await testApp();
let sellerA: TestClient;
let sellerId: string;
const handlers = { ...refundDeadlineTimerHandlers, notify_seller: async () => {} };

const receivedReturn = (id: string, orderId: string, receivedAt: string | null) => ({
  type: 'return',
  externalId: id,
  orderExternalId: orderId,
  reason: 'no_longer_needed',
  requestedAt: '2026-03-20T10:00:00Z',
  authorisation: 'authorised',
  authorisedAt: '2026-03-20T10:01:00Z',
  receivedAt,
  lines: [{ lineNo: 1, units: 1 }],
});
const returnId = async (ext: string) =>
  (await sql<{ id: string }>`select id from "return" where external_id = ${ext}`.execute(t.db)).rows[0]!.id;

/**
 * The platform sends each return when it is requested and its receipt later, so the service sees
 * the receipt arrive. (The database stamps a record's arrival with the real clock; the test's clock
 * is in 2026, so the arrival is set to the request.)
 */
async function seenArriving(receipts: Record<string, unknown>[]) {
  await t.seed(receipts.map((r) => ({ ...r, receivedAt: null, refundedAt: null, events: [] })));
  await sql`update "return" set created_at = requested_at
    where external_id = any(${receipts.map((r) => r.externalId)}::text[])`.execute(t.db);
  await t.seed(receipts);
}

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    order('O-R1', 'S-A', 'B-1', 'P-A'),
    order('O-R2', 'S-A', 'B-1', 'P-A'),
    order('O-R3', 'S-A', 'B-1', 'P-A'),
    order('O-R4', 'S-A', 'B-1', 'P-A'),
  ]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  // S-A is in the managed service in IT before its returns come back.
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-03-01T00:00:00Z')));
  await seenArriving([
    receivedReturn('R-1', 'O-R1', '2026-04-02T14:00:00Z'), // Thursday before Easter in Rome
    receivedReturn('R-2', 'O-R2', '2026-04-02T14:00:00Z'),
    receivedReturn('R-3', 'O-R3', null),
    {
      ...receivedReturn('R-4', 'O-R4', null),
      events: [
        { code: 'picked_up', occurredAt: '2026-03-30T09:00:00Z' },
        { code: 'delivered', occurredAt: '2026-04-02T14:00:00Z' },
      ],
    },
  ]);
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
  await fireDueTimers(t.db, { ...handlers }, new Date('2026-04-02T15:00:00Z'));
  await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date('2026-04-02T15:00:00Z'));
});

describe('the seller’s refund deadline (D6)', () => {
  it('is 2 business days after receipt on the marketplace calendar', async () => {
    // Thursday 2 April + 2 business days, skipping the weekend and Easter Monday: Tuesday 7 April, end of day in Rome.
    expect((await deadlineOf(t.db, await returnId('R-1')))!.due_at.toISOString()).toBe(
      '2026-04-07T21:59:59.999Z',
    );
  });

  it('starts from the return carrier’s delivery scan too', async () => {
    const d = (await deadlineOf(t.db, await returnId('R-4')))!;
    expect(d.due_at.toISOString()).toBe('2026-04-07T21:59:59.999Z');
    const r = await sql<{
      received_at: Date;
    }>`select received_at from "return" where external_id = 'R-4'`.execute(t.db);
    expect(r.rows[0]!.received_at.toISOString()).toBe('2026-04-02T14:00:00.000Z');
  });

  it('records the seller’s own refund, once', async () => {
    expect((await sellerA.post('/api/v1/seller/returns/R-2/refund')).statusCode).toBe(204);
    expect((await sellerA.post('/api/v1/seller/returns/R-2/refund')).statusCode).toBe(409);
  });

  it('refunds from the marketplace and charges the seller once the deadline passes — not where the seller refunded', async () => {
    await fireDueTimers(t.db, handlers, new Date('2026-04-07T21:00:00Z'));
    expect((await deadlineOf(t.db, await returnId('R-1')))!.status).toBe('open');
    const before = (await sellerBalances(t.db, sellerId))[0]?.balance ?? 0n;
    await fireDueTimers(t.db, handlers, new Date('2026-04-08T06:00:00Z'));
    const d = (await deadlineOf(t.db, await returnId('R-1')))!;
    expect(d.status).toBe('refunded_by_marketplace');
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before - 2n * 1999n);
    expect(await unbalancedBatches(t.db)).toEqual([]);
    const decisions = (await sellerA.get('/api/v1/seller/decisions')).json();
    expect(decisions.find((x: { id: string }) => x.id === d.concession_id)).toMatchObject({
      rule: 'seller_refund_deadline_passed',
      amount: { items: 1999 },
      facts: {
        returnId: 'R-1',
        receivedAt: '2026-04-02T14:00:00.000Z',
        refundBusinessDays: 2,
        refundDueAt: '2026-04-07T21:59:59.999Z',
      },
    });
    expect((await deadlineOf(t.db, await returnId('R-2')))!.status).toBe('refunded_by_seller'); // charged nothing
  });

  it('starts when the seller confirms receipt, and only for its own returns', async () => {
    const res = await sellerA.post('/api/v1/seller/returns/R-3/receipt');
    expect(res.statusCode).toBe(200);
    expect(Date.parse(res.json().refundDueAt)).toBeGreaterThan(Date.now());
    const sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
    expect((await sellerB.post('/api/v1/seller/returns/R-3/receipt')).statusCode).toBe(404);
    expect((await sellerB.post('/api/v1/seller/returns/R-3/refund')).statusCode).toBe(404);
  });

  it('takes the number of business days from the marketplace’s policy', async () => {
    const admin = await t.user('admin');
    const policy = (await admin.get('/api/v1/marketplaces/IT/return-policy')).json();
    const set = await admin.put('/api/v1/admin/marketplaces/IT/return-policy', {
      ...policy,
      sellerRefundBusinessDays: 3,
      effectiveFrom: '2026-01-01T00:00:00Z', // the policy in force when the return arrives decides
    });
    expect(set.json().sellerRefundBusinessDays).toBe(3);
    await t.seed([order('O-R5', 'S-A', 'B-1', 'P-A')]);
    await seenArriving([receivedReturn('R-5', 'O-R5', '2026-04-02T14:00:00Z')]);
    await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date('2026-04-02T15:00:00Z'));
    // Thursday 2 April + 3 business days, skipping the weekend and Easter Monday: Wednesday 8 April.
    expect((await deadlineOf(t.db, await returnId('R-5')))!.due_at.toISOString()).toBe(
      '2026-04-08T21:59:59.999Z',
    );

    // A longer period decided after receipt changes neither the deadline nor what its refund says.
    await admin.put('/api/v1/admin/marketplaces/IT/return-policy', {
      ...policy,
      sellerRefundBusinessDays: 7,
      effectiveFrom: '2026-04-05T00:00:00Z',
    });
    await fireDueTimers(t.db, handlers, new Date('2026-04-09T06:00:00Z'));
    const d = (await deadlineOf(t.db, await returnId('R-5')))!;
    expect(d.status).toBe('refunded_by_marketplace');
    const decisions = (await sellerA.get('/api/v1/seller/decisions')).json();
    expect(decisions.find((x: { id: string }) => x.id === d.concession_id)).toMatchObject({
      explanation: 'The seller did not refund within 3 business days of receipt (D6).',
      facts: { returnId: 'R-5', refundBusinessDays: 3, refundDueAt: '2026-04-08T21:59:59.999Z' },
    });
  });
});

describe('the refund deadline applies only to receipts the service saw arrive while it covered the order', () => {
  const concessionsOn = async (orders: string[]) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from concession c join "order" o on o.id = c.order_id
      where o.external_id = any(${orders}::text[])`.execute(t.db)
    ).rows[0]!.n;
  const waiver = async (ext: string) =>
    (
      await sql<{
        reason: string;
      }>`select reason from refund_deadline_waived where return_id = ${await returnId(ext)}::uuid`.execute(
        t.db,
      )
    ).rows[0]?.reason;
  const balanceOf = async (seller: string) =>
    (await sellerBalances(t.db, seller)).reduce((sum, b) => sum + BigInt(b.balance), 0n);

  it('moves no money for receipts imported from the past, returns the platform refunded, or sellers not in the service', async () => {
    const sellerB = (await sql<{ id: string }>`select id from seller where external_id = 'S-B'`.execute(t.db))
      .rows[0]!.id;
    await t.seed([
      order('O-PAST', 'S-A', 'B-1', 'P-A'),
      order('O-REFUNDED', 'S-A', 'B-1', 'P-A'),
      order('O-NOT-ENROLLED', 'S-B', 'B-2', 'P-B'),
      // Imported today, received weeks ago: history.
      receivedReturn('R-PAST', 'O-PAST', '2026-05-04T10:00:00Z'),
    ]);
    await seenArriving([
      {
        ...receivedReturn('R-REFUNDED', 'O-REFUNDED', '2026-05-04T10:00:00Z'),
        refundedAt: '2026-05-04T12:00:00Z',
      },
      receivedReturn('R-NOT-ENROLLED', 'O-NOT-ENROLLED', '2026-05-04T10:00:00Z'),
    ]);
    const before = [await balanceOf(sellerId), await balanceOf(sellerB)];
    await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date('2026-05-04T10:05:00Z'));
    await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date('2026-05-04T10:10:00Z'));
    await fireDueTimers(t.db, handlers, new Date('2026-07-01T00:00:00Z'));

    for (const ext of ['R-PAST', 'R-REFUNDED', 'R-NOT-ENROLLED']) {
      expect(await deadlineOf(t.db, await returnId(ext))).toBeUndefined();
    }
    expect(await waiver('R-PAST')).toBe('received_before_known');
    expect(await waiver('R-REFUNDED')).toBe('refunded_on_platform');
    expect(await waiver('R-NOT-ENROLLED')).toBe('seller_not_enrolled');
    expect(await concessionsOn(['O-PAST', 'O-REFUNDED', 'O-NOT-ENROLLED'])).toBe(0);
    expect([await balanceOf(sellerId), await balanceOf(sellerB)]).toEqual(before);
    // Nor may the seller start a deadline on an imported receipt by confirming it.
    const res = await sellerA.post('/api/v1/seller/returns/R-PAST/receipt');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'not_eligible',
      details: [{ code: 'received_before_known' }],
    });
  });

  it('charges nothing when the platform says the return was refunded after the deadline opened', async () => {
    await t.seed([order('O-LATE-NEWS', 'S-A', 'B-1', 'P-A')]);
    await seenArriving([receivedReturn('R-LATE-NEWS', 'O-LATE-NEWS', '2026-05-11T10:00:00Z')]);
    await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date('2026-05-11T10:05:00Z'));
    expect((await deadlineOf(t.db, await returnId('R-LATE-NEWS')))!.status).toBe('open');
    await t.seed([
      {
        ...receivedReturn('R-LATE-NEWS', 'O-LATE-NEWS', '2026-05-11T10:00:00Z'),
        refundedAt: '2026-05-12T09:00:00Z',
      },
    ]);
    const before = await balanceOf(sellerId);
    await fireDueTimers(t.db, handlers, new Date('2026-07-01T00:00:00Z'));
    expect((await deadlineOf(t.db, await returnId('R-LATE-NEWS')))!).toMatchObject({
      status: 'refunded_by_seller',
      concession_id: null,
    });
    expect(await concessionsOn(['O-LATE-NEWS'])).toBe(0);
    expect(await balanceOf(sellerId)).toBe(before);
  });
});
