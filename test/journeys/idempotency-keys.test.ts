// The two scenarios of issue 14, item 5, over HTTP: idempotency keys were global. A buyer who sent
// another buyer's key received that buyer's case (closed, with the supervisor's name) and its own
// message was lost; a concession sent on case B with case A's key answered "issued" for A and did
// nothing on B. A key now belongs to its caller and its operation, and to the request first sent
// with it: another caller's key is simply another key, the same key with another request is refused.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { sellerBalances } from '../../src/server/modules/ledger';
import { enrol } from '../../src/server/modules/programs';
import { errorCode, type TestClient, testApp } from '../helpers/app';
import { order, twoSellers } from '../helpers/fixtures';

const t = await testApp();
let buyerA: TestClient;
let buyerB: TestClient;
let agent: TestClient;
let supervisor: TestClient;
let sellerId: string;

const delivered = (id: string, buyerId: string) => [
  order(id, 'S-A', buyerId, 'P-A'),
  {
    type: 'shipment',
    externalId: `SH-${id}`,
    orderExternalId: id,
    carrier: 'BRT',
    trackingNumber: `T-${id}`,
    shippedAt: '2026-03-02T15:00:00Z',
    events: [{ code: 'delivered', occurredAt: '2026-03-05T10:00:00Z' }],
  },
];
const contact = (client: TestClient, orderId: string, message: string, key: string) =>
  client.post(
    '/api/v1/contacts',
    { marketplace: 'IT', channel: 'chat', topic: 'damaged_or_wrong', orderId, message },
    { 'idempotency-key': key },
  );
const refund = (caseNumber: string, key: string) =>
  agent.post(
    `/api/v1/cases/${caseNumber}/concessions`,
    { action: 'returnless_refund', reason: 'defective_or_damaged', lines: [{ lineNo: 1, amount: 1999 }] },
    { 'idempotency-key': key },
  );
const concessionsOn = async (caseNumber: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from concession k join cs_case c on c.id = k.case_id
      where c.case_number = ${caseNumber}`.execute(t.db)
  ).rows[0]!.n;
const balance = async () => (await sellerBalances(t.db, sellerId))[0]?.balance ?? 0n;

beforeAll(async () => {
  await t.seed([...twoSellers(), ...delivered('O-J1', 'B-1'), ...delivered('O-J2', 'B-2')]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  const admin = await t.user('admin');
  agent = await t.user('agent');
  supervisor = await t.user('supervisor');
  await admin.put(`/api/v1/admin/agents/${(await agent.get('/api/v1/auth/session')).json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
  });
  buyerA = await t.buyerToken('B-1');
  buyerB = await t.buyerToken('B-2');
});

describe('idempotency keys belong to their caller and their request (issue 14, item 5)', () => {
  let caseA: string;
  let caseB: string;

  it('a buyer sending another buyer’s key gets its own case, and its message is kept', async () => {
    caseA = (await contact(buyerA, 'O-J1', 'Il vaso è arrivato rotto', 'my-retry-key-1')).json().case
      .caseNumber;
    await supervisor.post(`/api/v1/cases/${caseA}/resolution`, { note: 'Refunded' });
    expect((await supervisor.post(`/api/v1/cases/${caseA}/closure`)).json().status).toBe('closed');

    const res = await contact(buyerB, 'O-J2', 'Anche il mio è rotto', 'my-retry-key-1');
    expect(res.statusCode).toBe(200);
    caseB = res.json().case.caseNumber;
    expect(caseB).not.toBe(caseA);
    expect(res.json().case.status).toBe('new');
    expect(res.body).not.toContain(caseA);
    const own = (await buyerB.get(`/api/v1/cases/${caseB}`)).json();
    expect(own.messages.map((m: { body: string }) => m.body)).toEqual(['Anche il mio è rotto']);
    const other = (await buyerA.get(`/api/v1/cases/${caseA}`)).json();
    expect(other).toMatchObject({ status: 'closed' });
    expect(other.messages.map((m: { body: string }) => m.body)).toEqual(['Il vaso è arrivato rotto']);
  });

  it('a concession on case B with case A’s key is refused and does nothing; a new key issues it on B', async () => {
    const onA = await refund(caseA, 'refund-key-A');
    expect(onA.json()).toMatchObject({ status: 'issued', replayed: false });
    const before = await balance();

    const reused = await refund(caseB, 'refund-key-A');
    expect(reused.statusCode).toBe(422);
    expect(errorCode(reused)).toBe('idempotency_key_reused');
    expect(await concessionsOn(caseB)).toBe(0);
    expect(await balance()).toBe(before);

    const onB = await refund(caseB, 'refund-key-B');
    expect(onB.json()).toMatchObject({ status: 'issued', replayed: false });
    expect(await concessionsOn(caseB)).toBe(1);
    expect(await balance()).toBe(before - 1999n);
    expect((await refund(caseA, 'refund-key-A')).json()).toMatchObject({ id: onA.json().id, replayed: true });
  });
});
