import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { order, product, twoSellers } from '../../../../test/helpers/fixtures';
import { enrol } from '../programs';

const t = await testApp();
let agent: TestClient;
let otherAgent: TestClient;
let supervisor: TestClient;
let admin: TestClient;
let buyer: TestClient;
let otherBuyer: TestClient;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const deliveredOrder = (
  id: string,
  sellerId: string,
  buyerId: string,
  productId: string,
  deliveredAt: string,
) => [
  order(id, sellerId, buyerId, productId),
  {
    type: 'shipment',
    externalId: `SH-${id}`,
    orderExternalId: id,
    carrier: 'BRT',
    trackingNumber: `T-${id}`,
    shippedAt: deliveredAt,
    events: [{ code: 'delivered', occurredAt: deliveredAt }],
  },
];
async function caseFor(client: TestClient, orderId: string) {
  const res = await client.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'chat',
    topic: 'return',
    orderId,
    message: 'Vorrei restituirlo',
  });
  expect([200, 201]).toContain(res.statusCode); // a new case, or the buyer's open case on this order
  return res.json().case.caseNumber as string;
}
const ask = (client: TestClient, caseNumber: string, key: string, body: Record<string, unknown>) =>
  client.post(
    `/api/v1/cases/${caseNumber}/returns`,
    { reason: 'no_longer_needed', lines: [{ lineNo: 1, units: 1 }], ...body },
    {
      'idempotency-key': key,
    },
  );
const returnsOf = async (orderId: string) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from "return" t join "order" o on o.id = t.order_id where o.external_id = ${orderId}`.execute(
      t.db,
    )
  ).rows[0]!.n;

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    product('P-GIFT', 'S-A', { category: 'personalised_gifts' }),
    product('P-PC', 'S-A', { category: 'computers' }),
    ...deliveredOrder('O-R-NEW', 'S-A', 'B-1', 'P-A', ago(5)),
    ...deliveredOrder('O-R-OLD', 'S-A', 'B-1', 'P-A', '2026-03-05T10:00:00Z'),
    ...deliveredOrder('O-R-GIFT', 'S-A', 'B-1', 'P-GIFT', ago(5)),
    ...deliveredOrder('O-R-PC', 'S-A', 'B-1', 'P-PC', ago(20)),
    ...deliveredOrder('O-R-CN', 'S-B', 'B-2', 'P-B', ago(5)),
    ...deliveredOrder('O-R-K1', 'S-A', 'B-1', 'P-A', ago(5)),
    ...deliveredOrder('O-R-K2', 'S-A', 'B-2', 'P-A', ago(5)),
    ...deliveredOrder('O-R-K3', 'S-A', 'B-1', 'P-A', ago(5)),
  ]);
  for (const s of ['S-A', 'S-B']) {
    const id = (await sql<{ id: string }>`select id from seller where external_id = ${s}`.execute(t.db))
      .rows[0]!.id;
    await t.db.transaction().execute((tx) => enrol(tx, id, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  }
  agent = await t.user('agent');
  otherAgent = await t.user('agent');
  supervisor = await t.user('supervisor');
  admin = await t.user('admin');
  // The only agent of IT: it owns every case opened here.
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id;
  await admin.put(`/api/v1/admin/agents/${agentId}`, { marketplaces: ['IT'], languages: ['it'] });
  buyer = await t.buyerToken('B-1');
  otherBuyer = await t.buyerToken('B-2');
});

describe('return authorisation (D1, D2, D7)', () => {
  it('authorises a return within the window at once, for the buyer, with instructions; a retry changes nothing', async () => {
    const n = await caseFor(buyer, 'O-R-NEW');
    const res = await ask(buyer, n, 'return-new-1', {});
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      authorisation: 'authorised',
      replayed: false,
      decision: {
        // Shipped 1 Nov–31 Dec, the window runs to 31 January (D1); the clock is the real one here.
        reason: new Date(ago(5)).getUTCMonth() >= 10 ? 'holiday_extension' : 'within_return_window',
        fault: 'buyer',
        sellerMayRefuse: false,
        internationalReturn: false,
        deductions: { returnShipping: true, restockingFee: false },
        decidedBy: 'policy',
      },
    });
    expect(res.json().decision.instructions).toMatch(/deducted/);
    const again = await ask(buyer, n, 'return-new-1', {});
    expect(again.json()).toMatchObject({ returnId: res.json().returnId, replayed: true });
    expect(await returnsOf('O-R-NEW')).toBe(1);
    const events = await sql<{
      kind: string;
    }>`select kind from case_event e join cs_case c on c.id = e.case_id where c.case_number = ${n}`.execute(
      t.db,
    );
    expect(events.rows.map((e) => e.kind)).toContain('return_authorised');
  });

  it('refuses more units than are left to return', async () => {
    const n = await caseFor(buyer, 'O-R-NEW');
    const res = await ask(buyer, n, 'return-new-2', { lines: [{ lineNo: 1, units: 2 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0]).toMatchObject({ path: 'lines.0.units', code: 'exceeds_ordered' });
    expect(
      (await ask(buyer, n, 'return-new-3', { lines: [{ lineNo: 9, units: 1 }] })).json().error.details[0]
        .code,
    ).toBe('unknown_reference');
    expect(await returnsOf('O-R-NEW')).toBe(1);
  });

  it('outside the window: the buyer is told why; only an agent’s recorded exception authorises it, and the seller cannot refuse', async () => {
    const n = await caseFor(buyer, 'O-R-OLD');
    const refused = await ask(buyer, n, 'return-old-1', {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'not_eligible',
      details: [{ code: 'outside_return_window' }],
    });
    expect(
      (await ask(buyer, n, 'return-old-2', { exceptionNote: 'I am the buyer, let me' })).statusCode,
    ).toBe(403);
    expect(await returnsOf('O-R-OLD')).toBe(0);
    const exception = await ask(agent, n, 'return-old-3', {
      exceptionNote: 'Long-standing customer, item unused',
    });
    expect(exception.statusCode).toBe(201);
    expect(exception.json().decision).toMatchObject({ reason: 'agent_exception', sellerMayRefuse: false });
    expect(exception.json().decision.decidedBy).not.toBe('policy');
    // The seller sees the decision with its rule and facts (S3) and no way to refuse it (D7).
    const seller = await t.user('seller', { sellerExternalId: 'S-A' });
    const seen = (await seller.get('/api/v1/seller/decisions')).json();
    expect(seen.find((d: { id: string }) => d.id === exception.json().returnId)).toMatchObject({
      action: 'return_authorisation',
      rule: 'agent_exception',
      sellerMayRefuse: false,
      facts: { deliveredOn: '2026-03-05' },
    });
    expect(JSON.stringify(seen)).not.toContain('Vorrei restituirlo');
  });

  it('non-returnable categories when the buyer changed their mind, returnable when the item is defective — with free return shipping', async () => {
    const n = await caseFor(buyer, 'O-R-GIFT');
    expect((await ask(buyer, n, 'return-gift-1', {})).json().error.details[0].code).toBe(
      'not_returnable_category',
    );
    const defective = await ask(buyer, n, 'return-gift-2', { reason: 'defective' });
    expect(defective.json().decision).toMatchObject({
      reason: 'seller_fault_always_returnable',
      fault: 'seller',
      deductions: { returnShipping: false },
    });
    expect(defective.json().decision.instructions).toMatch(/free/);
  });

  it('an international seller’s return gets international instructions', async () => {
    const n = await caseFor(otherBuyer, 'O-R-CN');
    const res = await ask(otherBuyer, n, 'return-cn-1', {});
    expect(res.json().decision).toMatchObject({ internationalReturn: true });
    expect(res.json().decision.instructions).toMatch(/International return.*CN/);
  });

  it('another buyer’s case does not exist for you', async () => {
    const n = await caseFor(buyer, 'O-R-NEW');
    expect((await ask(otherBuyer, n, 'return-x-1', {})).statusCode).toBe(404);
  });

  it('is the case owner’s or a supervisor’s, like every case action: another agent is refused, nothing written', async () => {
    const n = await caseFor(buyer, 'O-R-OLD');
    const exception = { exceptionNote: 'Long-standing customer, second unit' };
    const before = await returnsOf('O-R-OLD');
    const refused = await ask(otherAgent, n, 'return-other-agent-1', exception);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');
    expect(await returnsOf('O-R-OLD')).toBe(before);
    expect((await ask(admin, n, 'return-admin-1', exception)).statusCode).toBe(403); // not a case worker
    const bySupervisor = await ask(supervisor, n, 'return-supervisor-1', exception);
    expect(bySupervisor.statusCode).toBe(201);
    const event = await sql<{
      actor_kind: string;
    }>`select e.actor_kind from case_event e join cs_case c on c.id = e.case_id
      where c.case_number = ${n} and e.kind = 'return_authorised' order by e.id desc limit 1`.execute(t.db);
    expect(event.rows[0]!.actor_kind).toBe('supervisor');
  });

  it('uses the marketplace’s own policy: a category window set by the operator', async () => {
    expect((await agent.get('/api/v1/marketplaces/IT/return-policy')).json()).toMatchObject({
      windowDays: 30,
      categoryWindowDays: {},
    });
    const policy = {
      windowDays: 30,
      categoryWindowDays: { computers: 14 },
      holidayExtension: null,
      nonReturnableCategories: ['personalised_gifts'],
      sellerRefundBusinessDays: 3,
    };
    expect((await agent.put('/api/v1/admin/marketplaces/IT/return-policy', policy)).statusCode).toBe(403);
    expect(
      (await admin.put('/api/v1/admin/marketplaces/IT/return-policy', { ...policy, windowDays: 0 }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await admin.put('/api/v1/admin/marketplaces/IT/return-policy', {
          ...policy,
          holidayExtension: { shippedFrom: '13-01', shippedTo: '12-31', until: '01-31' },
        })
      ).statusCode,
    ).toBe(400);
    expect((await admin.put('/api/v1/admin/marketplaces/ZZ/return-policy', policy)).statusCode).toBe(404);
    expect((await admin.put('/api/v1/admin/marketplaces/IT/return-policy', policy)).json()).toEqual(policy);
    // Effective-dated (DESIGN rule 7): a policy set for next year leaves today's alone.
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await admin.put('/api/v1/admin/marketplaces/IT/return-policy', {
      ...policy,
      windowDays: 60,
      effectiveFrom: nextYear,
    });
    expect((await agent.get('/api/v1/marketplaces/IT/return-policy')).json().windowDays).toBe(30);
    expect((await agent.get(`/api/v1/marketplaces/IT/return-policy?at=${nextYear}`)).json().windowDays).toBe(
      60,
    );
    const n = await caseFor(buyer, 'O-R-PC');
    const res = await ask(buyer, n, 'return-pc-1', {});
    expect(res.json().error.details[0].code).toBe('outside_return_window'); // delivered 20 days ago, 14-day window
  });
});

describe('idempotency keys of returns', () => {
  let n: string;
  it('give another buyer sending the same key its own return, never the first buyer’s', async () => {
    n = await caseFor(buyer, 'O-R-K1');
    const mine = await ask(buyer, n, 'shared-return-1', {});
    const theirs = await ask(otherBuyer, await caseFor(otherBuyer, 'O-R-K2'), 'shared-return-1', {});
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json()).toMatchObject({ authorisation: 'authorised', replayed: false });
    expect(theirs.json().returnId).not.toBe(mine.json().returnId);
    expect(await returnsOf('O-R-K2')).toBe(1);
  });

  it('refuse the same key with other lines, another reason or another case, and replay the same request', async () => {
    const replay = await ask(buyer, n, 'shared-return-1', {});
    expect(replay.json()).toMatchObject({ replayed: true, returnId: expect.stringContaining('RMA-') });
    for (const body of [
      { lines: [{ lineNo: 1, units: 2 }] },
      { reason: 'defective' },
      { exceptionNote: 'Nothing else' },
    ]) {
      const res = await ask(buyer, n, 'shared-return-1', body);
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('idempotency_key_reused');
    }
    const otherCase = await ask(buyer, await caseFor(buyer, 'O-R-K3'), 'shared-return-1', {});
    expect(errorCode(otherCase)).toBe('idempotency_key_reused');
    expect([await returnsOf('O-R-K1'), await returnsOf('O-R-K3')]).toEqual([1, 0]);
  });

  it('authorise one return for the same request sent twice at once', async () => {
    const k3 = await caseFor(buyer, 'O-R-K3');
    const replies = await Promise.all([
      ask(buyer, k3, 'burst-return-1', {}),
      ask(buyer, k3, 'burst-return-1', {}),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(new Set(replies.map((r) => r.json().returnId)).size).toBe(1);
    expect(await returnsOf('O-R-K3')).toBe(1);
  });
});
