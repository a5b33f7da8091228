// The journey of issue 4, over HTTP with real SMTP and a real webhook receiver: a premium
// seller-fulfilled order arrives damaged; the agent's returnless refund is above the agent's limit
// and a supervisor approves it; the seller is charged and sees the decision with its reason and a
// carrier-claim package. A second order's return reaches the seller, who does not refund within 2
// business days, so the marketplace refunds and charges; the seller claims it back and a reviewer
// grants the claim. The ledger balances after every step.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerHandlers } from '../../src/server/main/timer-handlers';
import { sellerBalances, unbalancedBatches } from '../../src/server/modules/ledger';
import { deliverDueWebhooks, verifyWebhook } from '../../src/server/modules/notifications';
import { createMailer } from '../../src/server/platform/mail';
import { fireDueTimers, scheduleTimer } from '../../src/server/platform/timers';
import { type TestClient, testApp } from '../helpers/app';
import { buyer, marketplaces, order, product, seller } from '../helpers/fixtures';
import { captureSmtp } from '../helpers/smtp';

const t = await testApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }); // its receiver is on loopback
const world = await captureSmtp();
const handlers = timerHandlers(t.config, createMailer({ smtpUrl: world.url, outboxDir: '/nonexistent' }));
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    hooks.push({ headers: req.headers, body });
    res.end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
afterAll(async () => {
  await world.close();
  await new Promise<void>((r) => receiver.close(() => r()));
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const fireAt = (at: Date) => fireDueTimers(t.db, handlers, at, undefined, 5_000);

let sellerUser: TestClient;
let agent: TestClient;
let supervisor: TestClient;
let reviewer: TestClient;
let buyerClient: TestClient;
let integration: TestClient;
let sellerId: string;
let webhookSecret: string;

const balance = async () =>
  (await sellerBalances(t.db, sellerId)).find((b) => b.marketplace_id === 'IT')?.balance ?? 0n;
/** The whole ledger balances: every batch and every currency sums to zero. */
async function ledgerBalances() {
  expect(await unbalancedBatches(t.db)).toEqual([]);
  const totals = await sql<{
    currency: string;
    total: string;
  }>`select currency, sum(amount)::text as total from ledger_posting group by currency`.execute(t.db);
  for (const r of totals.rows) expect(r.total).toBe('0');
}

beforeAll(async () => {
  await t.seed([
    ...marketplaces(),
    seller('S-M', { defaultEmail: 'orders@lamps.example' }),
    buyer('B-M'),
    product('P-LAMP', 'S-M', { category: 'home_lighting' }),
    order('O-PREMIUM', 'S-M', 'B-M', 'P-LAMP', {
      fulfilmentChannel: 'premium_seller',
      orderedAt: ago(6 * DAY),
      promisedDeliveryDate: ago(1 * DAY).slice(0, 10),
      lines: [{ lineNo: 1, productExternalId: 'P-LAMP', units: 1, unitPrice: 14900 }],
      itemsTotal: 14900,
      shippingCharge: 500,
      orderTotal: 15400,
    }),
    {
      type: 'shipment',
      externalId: 'SH-PREMIUM',
      orderExternalId: 'O-PREMIUM',
      carrier: 'BRT',
      trackingNumber: 'BRT-000123',
      shippedAt: ago(4 * DAY),
      events: [
        { code: 'picked_up', occurredAt: ago(4 * DAY - HOUR), location: 'Milano' },
        { code: 'damaged', occurredAt: ago(3 * DAY), location: 'Bologna hub' },
        { code: 'delivered', occurredAt: ago(2 * DAY), location: 'Roma' },
      ],
    },
    order('O-RETURN', 'S-M', 'B-M', 'P-LAMP', {
      orderedAt: ago(15 * DAY),
      promisedDeliveryDate: ago(10 * DAY).slice(0, 10),
      lines: [{ lineNo: 1, productExternalId: 'P-LAMP', units: 1, unitPrice: 5990 }],
      itemsTotal: 5990,
      shippingCharge: 0,
      orderTotal: 5990,
    }),
    {
      type: 'shipment',
      externalId: 'SH-RETURN',
      orderExternalId: 'O-RETURN',
      carrier: 'SDA',
      trackingNumber: 'SDA-777',
      shippedAt: ago(13 * DAY),
      events: [
        { code: 'picked_up', occurredAt: ago(13 * DAY) },
        { code: 'delivered', occurredAt: ago(11 * DAY) },
      ],
    },
  ]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-M'`.execute(t.db))
    .rows[0]!.id;
  const admin = await t.user('admin');
  sellerUser = await t.user('seller', { sellerExternalId: 'S-M' });
  agent = await t.user('agent');
  supervisor = await t.user('supervisor');
  reviewer = await t.user('claims_reviewer');
  buyerClient = await t.buyerToken('B-M');
  integration = await t.apiKey();

  expect(
    (await sellerUser.post('/api/v1/sellers/S-M/services/managed-cs/enrolments', { marketplace: 'IT' }))
      .statusCode,
  ).toBe(200);
  expect((await admin.put('/api/v1/admin/sellers/S-M/premium/IT', { member: true })).statusCode).toBe(204);
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id;
  await admin.put(`/api/v1/admin/agents/${agentId}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    premium: true,
  });
  await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', { agent: 10000, supervisor: 100000 });
  const hook = await admin.post('/api/v1/admin/webhooks', {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/onbehalf`,
    eventTypes: ['return.authorised', 'concession.decided', 'ledger.posted', 'claim.updated'],
  });
  webhookSecret = hook.json().secret;
});

describe('decisions and money: the journey', () => {
  let damagedCase: string;

  it('1. the damaged premium order becomes a case owned by a premium agent, who sees what may be granted', async () => {
    const contact = await buyerClient.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'damaged_or_wrong',
      orderId: 'O-PREMIUM',
      message: 'La lampada è arrivata con il vetro rotto',
    });
    expect(contact.json()).toMatchObject({ handler: 'marketplace_cs', reason: 'premium_seller_fulfilled' });
    damagedCase = contact.json().case.caseNumber;
    const mine = (await agent.get('/api/v1/agent/cases')).json();
    expect(mine.map((c: { caseNumber: string }) => c.caseNumber)).toContain(damagedCase);
    const options = (
      await agent.get(`/api/v1/cases/${damagedCase}/concession-options?reason=defective_or_damaged`)
    ).json();
    expect(options.options.find((o: { action: string }) => o.action === 'returnless_refund')).toMatchObject({
      allowed: true,
      maxAmount: 14900,
    });
  });

  it('2. a returnless refund above the agent’s limit waits for a supervisor; nothing moves until approval', async () => {
    const granted = await agent.post(
      `/api/v1/cases/${damagedCase}/concessions`,
      {
        action: 'returnless_refund',
        reason: 'defective_or_damaged',
        lines: [{ lineNo: 1, amount: 14900 }],
        shipping: 500,
      },
      { 'idempotency-key': 'journey-refund-1' },
    );
    expect(granted.json()).toMatchObject({
      status: 'pending_approval',
      amountItems: 14900,
      amountShipping: 500,
    });
    expect(await balance()).toBe(0n);
    const approved = await supervisor.post(`/api/v1/concessions/${granted.json().id}/approval`, {
      approve: true,
      note: 'Damage documented by the carrier scan',
    });
    expect(approved.json()).toMatchObject({ status: 'issued' });
    expect(await balance()).toBe(-15400n);
    await ledgerBalances();
  });

  it('3. the seller is charged and sees the decision with its reason, rule, facts and a carrier-claim package', async () => {
    await fireAt(new Date());
    const mail = world
      .to('orders@lamps.example')
      .find((m) => m.subject === 'Un rimborso è stato addebitato sul tuo account');
    expect(mail?.text).toContain('154,00\u00a0€'); // the amount as an Italian reader writes it
    expect(mail?.text).toContain('Motivo: l’articolo era difettoso o danneggiato.');
    expect(mail?.text).not.toMatch(/centesimi|defective_or_damaged|15400/);
    const decision = (await sellerUser.get('/api/v1/seller/decisions'))
      .json()
      .find((d: { orderExternalId: string }) => d.orderExternalId === 'O-PREMIUM');
    expect(decision).toMatchObject({
      action: 'returnless_refund',
      reasonCode: 'defective_or_damaged',
      status: 'issued',
      amount: { items: 14900, shipping: 500, currency: 'EUR' },
      facts: { hasValidTracking: true },
      carrierClaim: {
        reason: 'damaged',
        carrier: 'BRT',
        trackingNumber: 'BRT-000123',
        declaredValue: { amount: 15400, currency: 'EUR' },
      },
    });
    expect(decision.rule).toBeTruthy();
    expect(decision.reimbursement.eligibility).toBe('/api/v1/seller/claims/eligibility?order=O-PREMIUM');
    expect(decision.carrierClaim.events.map((e: { code: string }) => e.code)).toEqual([
      'picked_up',
      'damaged',
      'delivered',
    ]);
    expect(JSON.stringify(decision)).not.toContain('vetro rotto');
  });

  let refundedAt: Date;
  it('4. a second order’s return is authorised, reaches the seller, is not refunded in 2 business days: the marketplace refunds and charges', async () => {
    const contact = await buyerClient.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'return',
      orderId: 'O-RETURN',
      message: 'Non mi serve più, vorrei restituirla',
    });
    const ret = await buyerClient.post(
      `/api/v1/cases/${contact.json().case.caseNumber}/returns`,
      { reason: 'no_longer_needed', lines: [{ lineNo: 1, units: 1 }] },
      { 'idempotency-key': 'journey-return-1' },
    );
    expect(ret.json()).toMatchObject({ authorisation: 'authorised' });
    const returnId = ret.json().returnId;
    const arrived = new Date(Date.now() + 60_000); // after the return was authorised: the service sees it arrive
    const events = await integration.post(`/api/v1/integration/returns/${returnId}/events`, {
      events: [
        { code: 'picked_up', occurredAt: new Date(arrived.getTime() - 2 * DAY).toISOString() },
        { code: 'delivered', occurredAt: arrived.toISOString() },
      ],
    });
    expect(events.statusCode).toBeLessThan(300);
    await scheduleTimer(t.db, 'scan_received_returns', 'all', new Date());
    await fireAt(new Date(arrived.getTime() + 60_000));
    const deadline = (
      await sql<{
        due_at: Date;
        status: string;
      }>`select d.due_at, d.status from refund_deadline d join "return" r on r.id = d.return_id where r.external_id = ${returnId}`.execute(
        t.db,
      )
    ).rows[0]!;
    expect(deadline.status).toBe('open');
    expect(deadline.due_at.getTime() - arrived.getTime()).toBeGreaterThanOrEqual(2 * DAY - 2 * HOUR);
    await fireAt(new Date(deadline.due_at.getTime() - 60_000));
    expect(await balance()).toBe(-15400n);
    refundedAt = new Date(deadline.due_at.getTime() + 60_000);
    await fireAt(refundedAt);
    expect(await balance()).toBe(-15400n - 5990n);
    const decision = (await sellerUser.get('/api/v1/seller/decisions'))
      .json()
      .find(
        (d: { orderExternalId: string; action: string }) =>
          d.orderExternalId === 'O-RETURN' && d.action === 'refund_after_return',
      );
    expect(decision).toMatchObject({ rule: 'seller_refund_deadline_passed', amount: { items: 5990 } });
    await ledgerBalances();
  });

  let claimId: string;
  it('5. the seller files a claim on that refund with a photo; it waits for a reviewer', async () => {
    const eligibility = (
      await sellerUser.get('/api/v1/seller/claims/eligibility?order=O-RETURN&reason=returned_different_item')
    ).json();
    expect(eligibility).toMatchObject({ eligible: true, maxAmount: 5990 });
    const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]);
    const filed = await sellerUser.post(
      '/api/v1/seller/claims',
      {
        orderExternalId: 'O-RETURN',
        reason: 'returned_different_item',
        description: 'The box came back with a different, older lamp inside',
        evidence: [
          { filename: 'what-came-back.jpg', contentType: 'image/jpeg', dataBase64: photo.toString('base64') },
        ],
      },
      { 'idempotency-key': 'journey-claim-1' },
    );
    expect(filed.statusCode).toBe(201);
    claimId = filed.json().id;
    expect(filed.json()).toMatchObject({ status: 'under_review', requestedAmount: 5990 });
    expect((await reviewer.get('/api/v1/claims/queue')).json().map((c: { id: string }) => c.id)).toContain(
      claimId,
    );
  });

  it('6. a reviewer grants it; the seller is reimbursed once and the ledger balances', async () => {
    const decide = () =>
      reviewer.post(
        `/api/v1/claims/${claimId}/decision`,
        { outcome: 'grant', note: 'The photo shows a different model than the one sold' },
        { 'idempotency-key': 'journey-claim-decision-1' },
      );
    expect((await decide()).json().claim).toMatchObject({ status: 'granted', grantedAmount: 5990 });
    expect((await decide()).json().replayed).toBe(true);
    expect(await balance()).toBe(-15400n);
    await ledgerBalances();
    expect((await sellerUser.get('/api/v1/sellers/S-M/ledger/balances')).json()).toEqual([
      { marketplace: 'IT', currency: 'EUR', balance: -15400 },
    ]);
    const month = (at: Date) => at.toISOString().slice(0, 7);
    const lines = [];
    for (const m of new Set([month(new Date()), month(refundedAt)])) {
      const statement = (
        await sellerUser.get(`/api/v1/sellers/S-M/ledger/statements/${m}?currency=EUR`)
      ).json();
      lines.push(...statement.lines);
    }
    // The deadline refund was posted on the timers' (future) clock, the claim on the API's: compare as a set.
    const posted = lines.map(
      (l: { amount: number; decision: { kind: string } }) => `${l.decision.kind} ${l.amount}`,
    );
    expect(posted.sort()).toEqual(['claim 5990', 'concession -15400', 'concession -5990']);
  });

  it('7. the operator’s platform heard every step through signed webhooks', async () => {
    await fireAt(new Date(refundedAt.getTime() + 60_000));
    while (
      (await deliverDueWebhooks(t.db, new Date(refundedAt.getTime() + 60_000), { allowPrivate: true })) > 0
    );
    const types = hooks.map((h) => JSON.parse(h.body).type);
    for (const type of ['return.authorised', 'concession.decided', 'ledger.posted', 'claim.updated'])
      expect(types).toContain(type);
    for (const h of hooks) {
      const header = {
        timestamp: String(h.headers['onbehalf-timestamp']),
        signature: String(h.headers['onbehalf-signature']),
      };
      expect(verifyWebhook(webhookSecret, header, h.body, new Date(Number(header.timestamp) * 1000))).toBe(
        true,
      );
    }
    const ids = hooks.map((h) => h.headers['onbehalf-delivery']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('8. every amount in every payload is a JSON integer of minor units, as the OpenAPI document says', async () => {
    const AMOUNT = /amount|total|limit|value|balance|^items$|^shipping$|^agent$|^supervisor$/i;
    /** Every amount field found in `payload`, each with its path; fails on any that is not a JSON integer. */
    const amounts = (payload: unknown, path = '$'): string[] => {
      if (Array.isArray(payload)) return payload.flatMap((v, i) => amounts(v, `${path}[${i}]`));
      if (payload === null || typeof payload !== 'object') {
        // A string of digits is an amount in the wrong shape, whatever its name.
        expect(typeof payload === 'string' && /^-?\d+$/.test(payload), path).toBe(false);
        return [];
      }
      return Object.entries(payload).flatMap(([k, v]) => {
        if (v === null) return []; // no amount (a return authorisation's)
        if (!AMOUNT.test(k) || typeof v === 'object') return amounts(v, `${path}.${k}`);
        expect(Number.isInteger(v), `${path}.${k} = ${JSON.stringify(v)}`).toBe(true);
        return [`${path}.${k}`];
      });
    };
    // A webhook delivery's body for each event type that carries money.
    const bodies = hooks.map((h) => JSON.parse(h.body) as { type: string });
    for (const type of ['concession.decided', 'ledger.posted', 'claim.updated', 'return.authorised']) {
      const found = bodies.filter((b) => b.type === type).flatMap((b) => amounts(b));
      if (type !== 'return.authorised') expect(found.length, type).toBeGreaterThan(0);
    }
    // A claim's facts and history, as the seller and the reviewer see them, and as they are stored.
    const claim = (await reviewer.get(`/api/v1/claims/${claimId}`)).json();
    expect(amounts(claim.facts)).toEqual(expect.arrayContaining(['$.orderValue', '$.refunds[0].items']));
    expect(amounts(claim.events).length).toBeGreaterThan(0);
    amounts((await sellerUser.get(`/api/v1/seller/claims/${claimId}`)).json());
    const stored = await sql<{
      facts: unknown;
    }>`select facts from reimbursement_claim where id = ${claimId}::uuid`.execute(t.db);
    amounts(stored.rows[0]!.facts);
    // The concession options, the limits and the decisions that quote them.
    const options = await agent.get(
      `/api/v1/cases/${damagedCase}/concession-options?reason=defective_or_damaged`,
    );
    expect(amounts(options.json()).length).toBeGreaterThan(0);
    expect(amounts((await agent.get('/api/v1/marketplaces/IT/approval-limits')).json())).toEqual([
      '$.agent',
      '$.supervisor',
    ]);
    expect(amounts((await sellerUser.get('/api/v1/seller/decisions')).json()).length).toBeGreaterThan(0);
    // The limit a concession was decided under, stored in its explanation (the grant's answer sends it).
    const concessions = await sql<{
      explanation: unknown;
    }>`select explanation from concession where case_id is not null`.execute(t.db);
    expect(concessions.rows.flatMap((c) => amounts(c.explanation))).toContain('$.limit');
    const notifications = await sql<{ data: unknown }>`select data from notification`.execute(t.db);
    expect(notifications.rows.flatMap((n) => amounts(n.data)).length).toBeGreaterThan(0);
  });
});
