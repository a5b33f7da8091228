import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { sellerBalances, unbalancedBatches } from '../ledger';
import { enrol } from '../programs';

const t = await testApp();
let agent: TestClient;
let otherAgent: TestClient;
let supervisor: TestClient;
let buyer: TestClient;
let sellerId: string;

// O-D: 2 × 19.99 + 4.99 shipping, delivered; the buyer reports damage.
const delivered = (id: string) => [
  order(id, 'S-A', 'B-1', 'P-A', { promisedDeliveryDate: '2026-03-06' }),
  {
    type: 'shipment',
    externalId: `SH-${id}`,
    orderExternalId: id,
    carrier: 'BRT',
    trackingNumber: 'T1',
    shippedAt: '2026-03-02T15:00:00Z',
    events: [
      { code: 'picked_up', occurredAt: '2026-03-02T17:00:00Z' },
      { code: 'delivered', occurredAt: '2026-03-05T10:00:00Z' },
    ],
  },
];

const openCase = async (orderId: string) =>
  (
    await buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'damaged_or_wrong',
      orderId,
      message: 'È arrivato rotto',
    })
  ).json().case.caseNumber as string;
const grant = (client: TestClient, caseNumber: string, key: string, body: Record<string, unknown>) =>
  client.post(
    `/api/v1/cases/${caseNumber}/concessions`,
    { action: 'returnless_refund', reason: 'defective_or_damaged', ...body },
    { 'idempotency-key': key },
  );

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    ...delivered('O-D1'),
    ...delivered('O-D2'),
    ...delivered('O-D3'),
    ...delivered('O-D4'),
    ...delivered('O-D5'),
  ]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  const admin = await t.user('admin');
  agent = await t.user('agent');
  otherAgent = await t.user('agent');
  supervisor = await t.user('supervisor');
  await admin.put(`/api/v1/admin/agents/${(await agent.get('/api/v1/auth/session')).json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
  });
  buyer = await t.buyerToken('B-1');
});

describe('concessions', () => {
  it('lists what may be granted, with maximum amounts and reasons', async () => {
    const n = await openCase('O-D1');
    const options = (
      await agent.get(`/api/v1/cases/${n}/concession-options?reason=defective_or_damaged`)
    ).json();
    expect(options.currency).toBe('EUR');
    expect(options.options.find((o: { action: string }) => o.action === 'returnless_refund')).toMatchObject({
      allowed: true,
      maxAmount: 3998,
    });
    expect(options.options.find((o: { action: string }) => o.action === 'shipping_fee_refund')).toMatchObject(
      { allowed: true, maxAmount: 499 },
    );
    expect(options.options.find((o: { action: string }) => o.action === 'cancel_order')).toMatchObject({
      allowed: false,
    });
  });

  it('refunds once per idempotency key, charges the seller, and keeps the ledger balanced', async () => {
    const n = await openCase('O-D1');
    const first = await grant(agent, n, 'grant-0001', {
      lines: [{ lineNo: 1, amount: 1999 }],
      shipping: 499,
    });
    expect(first.json()).toMatchObject({
      status: 'issued',
      amountItems: 1999,
      amountShipping: 499,
      replayed: false,
    });
    const retry = await grant(agent, n, 'grant-0001', {
      lines: [{ lineNo: 1, amount: 1999 }],
      shipping: 499,
    });
    expect(retry.json()).toMatchObject({ id: first.json().id, replayed: true });
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(-2498n);
    expect(await unbalancedBatches(t.db)).toEqual([]);
    expect(first.json().explanation).toMatchObject({
      rule: 'seller_fault_returnless',
      facts: { hasValidTracking: true },
    });
  });

  it('never refunds more than is left on a line, nor shipping twice', async () => {
    const n = await openCase('O-D1');
    const over = await grant(agent, n, 'grant-0002', { lines: [{ lineNo: 1, amount: 2000 }] });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.details[0]).toMatchObject({
      path: 'lines.0.amount',
      code: 'exceeds_refundable',
    });
    expect((await grant(agent, n, 'grant-0003', { shipping: 1 })).statusCode).toBe(409);
    expect((await grant(agent, n, 'grant-0004', { lines: [{ lineNo: 9, amount: 1 }] })).statusCode).toBe(400);
    expect(
      (
        await grant(agent, n, 'grant-0005', {
          action: 'cancel_order',
          reason: 'no_longer_needed',
          lines: [{ lineNo: 1, amount: 1 }],
        })
      ).statusCode,
    ).toBe(400);
  });

  it('gives two agents refunding the same line at once one refund', async () => {
    const n = await openCase('O-D2');
    const body = { lines: [{ lineNo: 1, amount: 3998 }] };
    const [a, b] = await Promise.all([
      grant(agent, n, 'race-a-0001', body),
      grant(supervisor, n, 'race-b-0001', body),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const refunded = await sql<{
      s: bigint;
    }>`select coalesce(sum(l.amount), 0)::bigint as s from concession_line l join "order" o on o.id = l.order_id where o.external_id = 'O-D2'`.execute(
      t.db,
    );
    expect(refunded.rows[0]!.s).toBe(3998n);
  });

  it('waits for a supervisor above the agent’s limit; the money moves on approval only', async () => {
    const n = await openCase('O-D3');
    const before = (await sellerBalances(t.db, sellerId))[0]!.balance;
    await sql`insert into approval_limit (marketplace_id, role, effective_from, max_amount) values ('IT', 'agent', '-infinity', 1000)`.execute(
      t.db,
    );
    const pending = (await grant(agent, n, 'big-0001', { lines: [{ lineNo: 1, amount: 3998 }] })).json();
    expect(pending.status).toBe('pending_approval');
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before);
    expect(
      (await agent.post(`/api/v1/concessions/${pending.id}/approval`, { approve: true, note: 'ok' }))
        .statusCode,
    ).toBe(403);
    const approved = await supervisor.post(`/api/v1/concessions/${pending.id}/approval`, {
      approve: true,
      note: 'Damaged, photos attached',
    });
    expect(approved.json()).toEqual({ id: pending.id, status: 'issued' });
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before - 3998n);
    expect(
      (await supervisor.post(`/api/v1/concessions/${pending.id}/approval`, { approve: false, note: 'again' }))
        .statusCode,
    ).toBe(409);
  });

  it('tells the seller each decision with amount, reason, rule and facts, and a carrier-claim package (S3, D9)', async () => {
    const sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
    const res = await sellerA.get('/api/v1/seller/decisions');
    expect(res.body).not.toContain('È arrivato rotto'); // never the buyer's messages
    const decision = res
      .json()
      .find(
        (d: { orderExternalId: string; status: string }) =>
          d.orderExternalId === 'O-D1' && d.status === 'issued',
      );
    expect(decision).toMatchObject({
      action: 'returnless_refund',
      reasonCode: 'defective_or_damaged',
      rule: 'seller_fault_returnless',
      amount: { items: 1999, shipping: 499, currency: 'EUR' },
      facts: { promisedDeliveryDate: '2026-03-06', hasValidTracking: true },
    });
    expect(decision.carrierClaim).toMatchObject({
      reason: 'damaged',
      carrier: 'BRT',
      trackingNumber: 'T1',
      declaredValue: { amount: 4497, currency: 'EUR' },
      events: [{ code: 'picked_up' }, { code: 'delivered' }],
    });
    const sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
    expect((await sellerB.get('/api/v1/seller/decisions')).json()).toEqual([]);
  });

  it('refuses an agent who does not own the case, and a missing idempotency key', async () => {
    const n = await openCase('O-D1');
    expect(
      (await grant(otherAgent, n, 'stranger-0001', { shipping: 0, lines: [{ lineNo: 2, amount: 1 }] }))
        .statusCode,
    ).toBe(403);
    const noKey = await agent.post(`/api/v1/cases/${n}/concessions`, {
      action: 'returnless_refund',
      reason: 'defective_or_damaged',
      lines: [],
    });
    expect(noKey.statusCode).toBe(400);
  });
});

describe('approval limits per role and marketplace (K6)', () => {
  it('are set by an admin and read by agents; an agent’s limit never exceeds a supervisor’s', async () => {
    const admin = await t.user('admin');
    expect((await agent.get('/api/v1/marketplaces/IT/approval-limits')).json()).toEqual({
      agent: 1000, // set by the tests above
      supervisor: 100000,
    });
    expect(
      (await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', { agent: 5000, supervisor: 50000 }))
        .statusCode,
    ).toBe(200);
    expect((await agent.get('/api/v1/marketplaces/IT/approval-limits')).json()).toEqual({
      agent: 5000,
      supervisor: 50000,
    });
    const inverted = await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', {
      agent: 60000,
      supervisor: 50000,
    });
    expect(inverted.statusCode).toBe(400);
    expect(
      (await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', { agent: -1, supervisor: 50000 }))
        .statusCode,
    ).toBe(400);
    expect(
      (await admin.put('/api/v1/admin/marketplaces/ZZ/approval-limits', { agent: 1, supervisor: 2 }))
        .statusCode,
    ).toBe(404);
    expect(
      (await supervisor.put('/api/v1/admin/marketplaces/IT/approval-limits', { agent: 1, supervisor: 2 }))
        .statusCode,
    ).toBe(403);
    expect((await agent.get('/api/v1/marketplaces/IT/approval-limits')).json()).toEqual({
      agent: 5000,
      supervisor: 50000,
    });
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', {
      agent: 7000,
      supervisor: 70000,
      effectiveFrom: nextYear,
    });
    expect((await agent.get('/api/v1/marketplaces/IT/approval-limits')).json()).toEqual({
      agent: 5000,
      supervisor: 50000,
    });
    expect((await agent.get(`/api/v1/marketplaces/IT/approval-limits?at=${nextYear}`)).json()).toEqual({
      agent: 7000,
      supervisor: 70000,
    });
  });
});

describe('idempotency keys of concessions', () => {
  const concessionsOn = async (orderId: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from concession c join "order" o on o.id = c.order_id
        where o.external_id = ${orderId}`.execute(t.db)
    ).rows[0]!.n;
  const refund = { lines: [{ lineNo: 1, amount: 500 }] };
  let caseA: string;
  let caseB: string;

  it('give another caller sending the same key its own concession, carried out', async () => {
    caseA = await openCase('O-D4');
    caseB = await openCase('O-D5');
    const mine = await grant(agent, caseA, 'shared-grant-1', refund);
    expect(mine.json()).toMatchObject({ status: 'issued', replayed: false });
    const before = (await sellerBalances(t.db, sellerId))[0]!.balance;
    const theirs = await grant(supervisor, caseB, 'shared-grant-1', refund);
    expect(theirs.json()).toMatchObject({ status: 'issued', replayed: false });
    expect(theirs.json().id).not.toBe(mine.json().id);
    expect(await concessionsOn('O-D5')).toBe(1);
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before - 500n);
  });

  it('refuse the same key on another case, with another amount or other lines, writing nothing', async () => {
    const before = (await sellerBalances(t.db, sellerId))[0]!.balance;
    for (const [ref, body] of [
      [caseB, refund],
      [caseA, { lines: [{ lineNo: 1, amount: 600 }] }],
      [caseA, { lines: [{ lineNo: 1, amount: 500 }], shipping: 100 }],
      [caseA, { lines: [{ lineNo: 2, amount: 500 }] }],
      [caseA, { ...refund, action: 'partial_refund' }],
    ] as const) {
      const res = await grant(agent, ref, 'shared-grant-1', body);
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('idempotency_key_reused');
    }
    expect([await concessionsOn('O-D4'), await concessionsOn('O-D5')]).toEqual([1, 1]);
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before);
    const replay = await grant(agent, caseA, 'shared-grant-1', refund);
    expect(replay.json()).toMatchObject({ status: 'issued', replayed: true });
    expect(await concessionsOn('O-D4')).toBe(1);
    expect((await sellerBalances(t.db, sellerId))[0]!.balance).toBe(before);
    expect(await unbalancedBatches(t.db)).toEqual([]);
  });

  it('issue once when one key comes at once with the same request, or with two different ones', async () => {
    const same = await Promise.all([
      grant(agent, caseA, 'burst-grant-1', refund),
      grant(agent, caseA, 'burst-grant-1', refund),
    ]);
    expect(same.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(new Set(same.map((r) => r.json().id)).size).toBe(1);
    const different = await Promise.all([
      grant(supervisor, caseA, 'burst-grant-2', refund),
      grant(supervisor, caseB, 'burst-grant-2', refund),
    ]);
    expect(different.map((r) => r.statusCode).sort()).toEqual([200, 422]);
    expect((await concessionsOn('O-D4')) + (await concessionsOn('O-D5'))).toBe(4); // 2 + 1 above, and one of these
    expect(await unbalancedBatches(t.db)).toEqual([]);
  });
});
