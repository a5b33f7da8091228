import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { fireDueTimers } from '../../platform/timers';
import { slaTimerHandlers } from '../cases';
import { enrol } from '../programs';
import { caseLogTimerHandlers } from './case-log';
import { messagingTimerHandlers } from './messaging';

const t = await testApp();
const handlers = {
  ...slaTimerHandlers,
  ...caseLogTimerHandlers,
  ...messagingTimerHandlers,
  notify_seller: async () => {},
};
let buyer1: TestClient;
let buyer2: TestClient;
let agent: TestClient;
let sellerA: TestClient;
let sellerB: TestClient;

// Words that only ever appear in conversations between customer service and the buyer (K5).
const BUYER_SECRET = 'BUYER-SAYS-zebra-4711';
const AGENT_SECRET = 'AGENT-SAYS-okapi-0815';

const contact = (client: TestClient, body: Record<string, unknown>) =>
  client.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'product_question',
    message: BUYER_SECRET,
    ...body,
  });

beforeAll(async () => {
  await t.seed([...twoSellers(), order('O-A2', 'S-A', 'B-1', 'P-A')]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  buyer1 = await t.buyerToken('B-1');
  buyer2 = await t.buyerToken('B-2');
  const admin = await t.user('admin');
  agent = await t.user('agent');
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id;
  await admin.put(`/api/v1/admin/agents/${agentId}`, { marketplaces: ['IT'], languages: ['it'] });
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
  sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
});

const caseEvents = async (number: string) => (await agent.get(`/api/v1/cases/${number}`)).json();

describe('seller case log', () => {
  it('asks the seller, stops the SLA clock, and resumes it with the answer the agent then sees', async () => {
    const opened = (await contact(buyer1, { orderId: 'O-A' })).json();
    const number = opened.case.caseNumber;
    await agent.post(`/api/v1/cases/${number}/replies`, { message: AGENT_SECRET });
    await contact(buyer1, { caseNumber: number, message: `${BUYER_SECRET} again` });
    const asked = await agent.post(`/api/v1/cases/${number}/seller-requests`, {
      question: 'Is the kettle BPA free?',
    });
    expect(asked.statusCode).toBe(200);
    expect(Date.parse(asked.json().dueAt) - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect((await caseEvents(number)).status).toBe('waiting_for_seller');

    // While the seller has the question, no SLA timer fires.
    await fireDueTimers(t.db, handlers, new Date(Date.now() + 10 * 3_600_000));
    expect((await caseEvents(number)).events.map((e: { kind: string }) => e.kind)).not.toContain(
      'sla_breached',
    );

    const log = (await sellerA.get('/api/v1/seller/case-log')).json();
    expect(log[0]).toMatchObject({
      caseNumber: number,
      question: 'Is the kettle BPA free?',
      status: 'open',
      order: { externalId: 'O-A' },
    });
    const answered = await sellerA.post(`/api/v1/seller/case-log/${log[0].id}/answer`, {
      answer: 'Yes, BPA free.',
    });
    expect(answered.json().status).toBe('answered');
    const after = await caseEvents(number);
    expect(after.status).toBe('waiting_for_agent');
    expect(after.nextResponseDueAt).not.toBeNull();
    expect(after.events.at(-1)).toMatchObject({
      kind: 'seller_answered',
      data: { answer: 'Yes, BPA free.', via: 'api' },
    });
    expect(
      (await sellerA.post(`/api/v1/seller/case-log/${log[0].id}/answer`, { answer: 'again' })).statusCode,
    ).toBe(409);
  });

  it('returns the case to the agent, to decide on its own judgment, when the seller does not answer in 24 h', async () => {
    const opened = (await contact(buyer1, { orderId: 'O-A2' })).json();
    const number = opened.case.caseNumber;
    await agent.post(`/api/v1/cases/${number}/seller-requests`, { question: 'Which size is the box?' });
    await fireDueTimers(t.db, handlers, new Date(Date.now() + 23 * 3_600_000));
    expect((await caseEvents(number)).status).toBe('waiting_for_seller');
    await fireDueTimers(t.db, handlers, new Date(Date.now() + 25 * 3_600_000));
    const after = await caseEvents(number);
    expect(after.status).toBe('waiting_for_agent');
    expect(after.events.find((e: { kind: string }) => e.kind === 'seller_overdue').data.note).toBe(
      'decide_on_own_judgment',
    );
    const log = (await sellerA.get('/api/v1/seller/case-log')).json();
    expect(log.find((r: { caseNumber: string }) => r.caseNumber === number).status).toBe('overdue');
  });

  it('keeps another seller out of a request', async () => {
    const log = (await sellerA.get('/api/v1/seller/case-log')).json();
    expect((await sellerB.get('/api/v1/seller/case-log')).json()).toEqual([]);
    expect(
      (await sellerB.post(`/api/v1/seller/case-log/${log[0].id}/answer`, { answer: 'mine?' })).statusCode,
    ).toBe(404);
    expect((await agent.get('/api/v1/seller/case-log')).statusCode).toBe(403);
  });
});

describe('buyer–seller messaging', () => {
  it('opens a thread for a contact routed to the seller; the seller answers, the buyer reads, response time is kept', async () => {
    const routed = (
      await contact(buyer2, { orderId: 'O-B', topic: 'order_status', message: 'Dov’è il pacco?' })
    ).json();
    expect(routed).toMatchObject({ handler: 'seller', reason: 'seller_not_enrolled' });
    await fireDueTimers(t.db, handlers, new Date());
    const threads = (await sellerB.get('/api/v1/seller/messages')).json();
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({
      orderExternalId: 'O-B',
      routingReason: 'seller_not_enrolled',
      responseTime: { answered: false },
    });
    expect((await sellerA.get('/api/v1/seller/messages')).json()).toEqual([]);

    expect(
      (await sellerB.post(`/api/v1/seller/messages/${threads[0].id}/replies`, { message: 'Partito ieri!' }))
        .statusCode,
    ).toBe(204);
    const buyerView = (await buyer2.get('/api/v1/buyer/messages')).json();
    expect(buyerView[0].messages.map((m: { author: string }) => m.author)).toEqual(['buyer', 'seller']);
    expect(buyerView[0].responseTime).toMatchObject({ answered: true, withinTarget: true });
    expect((await buyer1.get('/api/v1/buyer/messages')).json()).toEqual([]);
    expect(
      (await sellerA.post(`/api/v1/seller/messages/${threads[0].id}/replies`, { message: 'not mine' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('sellers never see conversations between customer service and buyers (K5)', () => {
  it.each([
    '/api/v1/seller/case-log',
    '/api/v1/seller/messages',
    '/api/v1/sellers/S-A/services',
    '/api/v1/sellers/S-A',
    '/api/v1/orders',
    '/api/v1/orders/O-A',
    // Every other read the seller portal's pages make.
    '/api/v1/seller/decisions',
    '/api/v1/seller/notifications',
    '/api/v1/seller/notification-preferences',
    '/api/v1/seller/claims',
    '/api/v1/sellers/S-A/services/managed-cs/eligibility',
    '/api/v1/sellers/S-A/ledger/balances',
    `/api/v1/sellers/S-A/ledger/statements/${new Date().toISOString().slice(0, 7)}?currency=EUR`,
    `/api/v1/sellers/S-A/ledger/statements/${new Date().toISOString().slice(0, 7)}/csv?currency=EUR`,
  ])('%s', async (url) => {
    const res = await sellerA.get(url);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(BUYER_SECRET);
    expect(res.body).not.toContain(AGENT_SECRET);
  });

  it('and cannot open a case', async () => {
    const number = (await sql<{ case_number: string }>`select case_number from cs_case limit 1`.execute(t.db))
      .rows[0]!.case_number;
    const res = await sellerA.get(`/api/v1/cases/${number}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain(BUYER_SECRET);
  });
});
