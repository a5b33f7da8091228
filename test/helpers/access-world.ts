// A seeded world for the access matrix and the fuzz: two sellers and two buyers, each owning real
// resources (cases, a chat, a return, a concession, a claim with evidence, notifications, webhook
// deliveries), and one client per principal. "Alpha" owns what the matrix asks for; "beta" is the
// other buyer and the other seller, who must find none of it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, expect } from 'vitest';
import { timerHandlers } from '../../src/server/main/timer-handlers';
import { hashPassword, insertUser } from '../../src/server/modules/identity';
import { deliverDueWebhooks } from '../../src/server/modules/notifications';
import { createMailer } from '../../src/server/platform/mail';
import { fireDueTimers } from '../../src/server/platform/timers';
import { TEST_PASSWORD, type TestClient, testApp } from './app';
import { ChatClient, listeningApp } from './chat-client';
import { buyer, marketplaces, order, product, seller } from './fixtures';
import { captureSmtp } from './smtp';

export const principals = [
  'anonymous',
  'buyer',
  'otherBuyer',
  'seller',
  'otherSeller',
  'agent',
  'supervisor',
  'reviewer',
  'admin',
  'integrationKey',
  'telephonyKey',
] as const;
export type PrincipalName = (typeof principals)[number];

/**
 * Texts of conversations between the marketplace's people and alpha's buyer (K5): no seller may ever
 * receive one, by any route, notification, e-mail or webhook.
 */
export const csBuyerTexts = {
  caseMessage: 'Kettle-ZQX1 arrived dented, please help',
  agentReply: 'Agent-ZQX2: we are sorry, a refund is on its way',
  chatMessage: 'Chat-ZQX3 where is my parcel please',
  chatReply: 'Chat-ZQX4 your parcel left yesterday',
  emailCase: 'Email-ZQX5 I never got my invoice copy',
} as const;

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export type AccessWorld = Awaited<ReturnType<typeof accessWorld>>;

export async function accessWorld() {
  const t = await testApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
  const mail = await captureSmtp();
  const handlers = timerHandlers(t.config, createMailer({ smtpUrl: mail.url, outboxDir: '/nonexistent' }));
  const hooks: string[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      hooks.push(body);
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const live = await listeningApp(t.database);
  afterAll(async () => {
    await live.app.close();
    await mail.close();
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  /** Fires every due timer and delivers every due webhook, now. */
  async function settle(at = new Date()) {
    await fireDueTimers(t.db, handlers, at, undefined, 5_000);
    while ((await deliverDueWebhooks(t.db, at, { allowPrivate: true })) > 0);
  }

  const lamp = (units = 1, unitPrice = 14900) => ({
    lines: [{ lineNo: 1, productExternalId: 'P-ALPHA', units, unitPrice }],
    itemsTotal: units * unitPrice,
    shippingCharge: 500,
    orderTotal: units * unitPrice + 500,
  });
  await t.seed([
    ...marketplaces(),
    seller('S-ALPHA', { defaultEmail: 'alpha@sellers.example' }),
    seller('S-BETA', { defaultEmail: 'beta@sellers.example' }),
    buyer('B-ALPHA', { phone: '+393331234567' }),
    buyer('B-BETA'),
    product('P-ALPHA', 'S-ALPHA'),
    product('P-BETA', 'S-BETA'),
    order('O-ALPHA', 'S-ALPHA', 'B-ALPHA', 'P-ALPHA', {
      fulfilmentChannel: 'premium_seller',
      orderedAt: ago(6 * DAY),
      promisedDeliveryDate: ago(DAY).slice(0, 10),
      ...lamp(),
    }),
    order('O-ALPHA-2', 'S-ALPHA', 'B-ALPHA', 'P-ALPHA', {
      orderedAt: ago(8 * DAY),
      promisedDeliveryDate: ago(5 * DAY).slice(0, 10),
      ...lamp(2, 1999),
    }),
    order('O-ALPHA-3', 'S-ALPHA', 'B-ALPHA', 'P-ALPHA', {
      orderedAt: ago(9 * DAY),
      promisedDeliveryDate: ago(5 * DAY).slice(0, 10),
      ...lamp(1, 2500),
    }),
    order('O-BETA', 'S-BETA', 'B-BETA', 'P-BETA', {
      orderedAt: ago(6 * DAY),
      promisedDeliveryDate: ago(2 * DAY).slice(0, 10),
    }),
    {
      type: 'shipment',
      externalId: 'SH-ALPHA',
      orderExternalId: 'O-ALPHA',
      carrier: 'BRT',
      trackingNumber: 'BRT-ALPHA',
      shippedAt: ago(4 * DAY),
      events: [
        { code: 'picked_up', occurredAt: ago(4 * DAY) },
        { code: 'delivered', occurredAt: ago(2 * DAY) },
      ],
    },
    {
      type: 'shipment',
      externalId: 'SH-ALPHA-2',
      orderExternalId: 'O-ALPHA-2',
      carrier: 'SDA',
      trackingNumber: 'SDA-ALPHA',
      shippedAt: ago(7 * DAY),
      events: [
        { code: 'picked_up', occurredAt: ago(7 * DAY) },
        { code: 'delivered', occurredAt: ago(5 * DAY) },
      ],
    },
  ]);
  const idOf = async (table: 'seller' | 'buyer', externalId: string) =>
    (
      await sql<{ id: string }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(
        t.db,
      )
    ).rows[0]!.id;
  const userIdOf = async (client: TestClient) =>
    (await client.get('/api/v1/auth/session')).json().user.id as string;

  const admin = await t.user('admin');
  const clients: Record<PrincipalName, TestClient> = {
    anonymous: t.anonymous(),
    buyer: await t.buyerToken('B-ALPHA', { ttlSeconds: 900 }),
    otherBuyer: await t.buyerToken('B-BETA', { ttlSeconds: 900 }),
    seller: await t.user('seller', { sellerExternalId: 'S-ALPHA' }),
    otherSeller: await t.user('seller', { sellerExternalId: 'S-BETA' }),
    agent: await t.user('agent'),
    supervisor: await t.user('supervisor'),
    reviewer: await t.user('claims_reviewer'),
    admin,
    integrationKey: await t.apiKey(['integration:write', 'integration:read']),
    telephonyKey: await t.apiKey(['telephony']),
  };
  // A user whose only use is to sign in (the login row of the matrix).
  const loginEmail = 'matrix-login@test.example';
  await insertUser(t.db, {
    email: loginEmail,
    display_name: 'Matrix Login',
    password_hash: await hashPassword(TEST_PASSWORD),
    role: 'agent',
    seller_id: null,
    buyer_id: null,
    languages: ['en'],
  });
  // Session users for the socket (a buyer signed in on the service's own pages, too).
  const buyerSession = await t.user('buyer', { buyerExternalId: 'B-ALPHA' });

  const ok = <R extends { statusCode: number; body: string }>(res: R, what: string): R => {
    expect(res.statusCode, `${what}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  for (const s of ['S-ALPHA', 'S-BETA'])
    ok(
      await admin.post(`/api/v1/sellers/${s}/services/managed-cs/enrolments`, { marketplace: 'IT' }),
      `enrol ${s}`,
    );
  ok(await admin.put('/api/v1/admin/sellers/S-ALPHA/premium/IT', { member: true }), 'premium');
  const agentId = await userIdOf(clients.agent);
  const supervisorId = await userIdOf(clients.supervisor);
  ok(
    await admin.put(`/api/v1/admin/agents/${agentId}`, {
      marketplaces: ['IT'],
      languages: ['it', 'en'],
      capacity: 50,
      premium: true,
    }),
    'agent profile',
  );
  ok(
    await admin.put(`/api/v1/admin/agents/${supervisorId}`, {
      marketplaces: ['IT'],
      languages: ['it', 'en'],
    }),
    'supervisor profile',
  );
  ok(
    await admin.put('/api/v1/admin/marketplaces/IT/approval-limits', { agent: 20000, supervisor: 100000 }),
    'limits',
  );
  const hook = ok(
    await admin.post('/api/v1/admin/webhooks', {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      eventTypes: ['return.authorised', 'concession.decided', 'ledger.posted', 'claim.updated'],
    }),
    'webhook',
  ).json();
  const spareKey = ok(
    await admin.post('/api/v1/admin/api-keys', { name: 'spare', scopes: ['integration:read'] }),
    'spare key',
  ).json();

  // Alpha's case, with the buyer's words and the agent's answer.
  const contact = ok(
    await clients.buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'damaged_or_wrong',
      orderId: 'O-ALPHA',
      message: csBuyerTexts.caseMessage,
    }),
    'contact',
  ).json();
  const caseNumber = contact.case.caseNumber as string;
  ok(
    await clients.agent.post(`/api/v1/cases/${caseNumber}/replies`, { message: csBuyerTexts.agentReply }),
    'reply',
  );
  ok(
    await clients.agent.post(`/api/v1/cases/${caseNumber}/seller-requests`, {
      question: 'Which colour was shipped?',
    }),
    'seller request',
  );
  // A refund issued (within the agent's limit) and one waiting for a supervisor.
  ok(
    await clients.agent.post(
      `/api/v1/cases/${caseNumber}/concessions`,
      {
        action: 'returnless_refund',
        reason: 'defective_or_damaged',
        lines: [{ lineNo: 1, amount: 5000 }],
      },
      { 'idempotency-key': 'world-refund-1' },
    ),
    'issued concession',
  );
  const pending = ok(
    await clients.agent.post(
      `/api/v1/cases/${caseNumber}/concessions`,
      {
        action: 'returnless_refund',
        reason: 'defective_or_damaged',
        lines: [{ lineNo: 1, amount: 9900 }],
        shipping: 500,
      },
      { 'idempotency-key': 'world-refund-2' },
    ),
    'pending concession',
  ).json();

  // A second case, with a return the seller has to receive and refund.
  const returnCase = ok(
    await clients.buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'return',
      orderId: 'O-ALPHA-2',
      message: csBuyerTexts.caseMessage,
    }),
    'return contact',
  ).json().case.caseNumber as string;
  const authorised = ok(
    await clients.buyer.post(
      `/api/v1/cases/${returnCase}/returns`,
      { reason: 'no_longer_needed', lines: [{ lineNo: 1, units: 1 }] },
      { 'idempotency-key': 'world-return-1' },
    ),
    'return',
  ).json();
  // A third case, settled, so the bot has a suggestion to learn from.
  const settled = ok(
    await clients.buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'email',
      topic: 'other',
      orderId: 'O-ALPHA-3',
      message: csBuyerTexts.emailCase,
    }),
    'settled contact',
  ).json().case.caseNumber as string;
  ok(await clients.agent.post(`/api/v1/cases/${settled}/resolution`, { note: 'done' }), 'resolve');
  // A question for the seller, answered by the seller (buyer–seller messaging, allowed).
  ok(
    await clients.buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'invoice',
      orderId: 'O-ALPHA-3',
      message: 'Could I have an invoice for my company?',
    }),
    'seller contact',
  );
  await settle();

  // The seller claims the refund back, with a photo.
  const photo = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
  const claim = ok(
    await clients.seller.post(
      '/api/v1/seller/claims',
      {
        orderExternalId: 'O-ALPHA',
        reason: 'other',
        amount: 5000,
        description: 'The lamp left our warehouse intact',
        evidence: [
          { filename: 'packed.jpg', contentType: 'image/jpeg', dataBase64: photo.toString('base64') },
        ],
      },
      { 'idempotency-key': 'world-claim-1' },
    ),
    'claim',
  ).json();
  await settle();

  // Alpha's chat: the buyer writes, asks for a person, the agent answers.
  const buyerToken = clients.buyer.headers.authorization!.slice('Bearer '.length);
  const chat = await ChatClient.connect(live.port);
  chat.send({ type: 'hello', token: buyerToken });
  await chat.next('welcome');
  chat.send({ type: 'start', marketplace: 'IT', language: 'it', orderId: 'O-ALPHA-2' });
  const joined = await chat.next('joined');
  const conversationId = joined.conversation.id;
  chat.send({ type: 'message', clientMessageId: 'w1', text: csBuyerTexts.chatMessage });
  await chat.next('ack');
  chat.send({ type: 'handoff' });
  await chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
  const agentSocket = await ChatClient.connect(live.port, clients.agent.headers);
  agentSocket.send({ type: 'hello' });
  await agentSocket.next('welcome');
  agentSocket.send({ type: 'message', clientMessageId: 'a1', conversationId, text: csBuyerTexts.chatReply });
  await agentSocket.next('ack');
  chat.close();
  agentSocket.close();
  await settle();

  const one = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(t.db)).rows[0];
  const sellerAlpha = await idOf('seller', 'S-ALPHA');
  const threadRow = await one<{ id: string }>(
    sql`select id from buyer_seller_thread where seller_id = ${sellerAlpha} limit 1`,
  );
  const caseLogRow = await one<{ id: string }>(
    sql`select id from case_log_request where seller_id = ${sellerAlpha} limit 1`,
  );
  const notificationRow = await one<{ id: string }>(
    sql`select id from notification where seller_id = ${sellerAlpha} limit 1`,
  );
  const deliveryRow = await one<{ id: string }>(
    sql`select id from webhook_delivery where subscription_id = ${hook.id} limit 1`,
  );
  // One delivery that gave up, for the admin's retry (reaching that state takes days of backoff).
  if (deliveryRow)
    await sql`update webhook_delivery set status = 'failed' where id = ${deliveryRow.id}::uuid`.execute(t.db);
  const suggestionRow = await one<{ id: string }>(sql`select id::text from bot_suggestion limit 1`);

  const refs = {
    caseNumber,
    returnCase,
    settledCase: settled,
    conversationId,
    returnRef: String(authorised.returnId),
    concessionId: String(pending.id),
    claimId: String(claim.id),
    evidenceId: String(claim.evidence?.[0]?.id ?? ''),
    threadId: threadRow?.id ?? '',
    caseLogId: caseLogRow?.id ?? '',
    notificationId: notificationRow?.id ?? '',
    webhookId: String(hook.id),
    deliveryId: deliveryRow?.id ?? '',
    apiKeyId: String(spareKey.id),
    suggestionId: suggestionRow?.id ?? '',
    agentId,
    sellerAlpha,
    month: new Date().toISOString().slice(0, 7),
  };
  for (const [name, value] of Object.entries(refs)) expect(value, `world: ${name}`).toBeTruthy();

  return { t, clients, buyerSession, loginEmail, refs, mail, hooks, settle, live, buyerToken };
}
