import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { buildApp } from '../../main/app';
import { loadConfig } from '../../platform/config';
import { publishEvent } from '../../platform/events';
import { createLogger } from '../../platform/log';
import { fireDueTimers } from '../../platform/timers';
import { enrol } from '../programs';
import {
  deliverDueWebhooks,
  isInternalAddress,
  MAX_ATTEMPTS,
  retryDelayMs,
  signWebhook,
  verifyWebhook,
  webhookTimerHandlers,
} from './webhooks';

// The receivers below listen on loopback, which only the development setting lets webhooks reach.
const t = await testApp({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' });
let admin: TestClient;
let secret: string;
let subscriptionId: string;
const handlers = { ...webhookTimerHandlers, notify_seller: async () => {} };
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answer = 500;
// The operator's commerce platform: a real HTTP server on loopback.
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.statusCode = answer;
    res.end();
  });
});
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000);
/** Events published by then fan out (timer), then due deliveries go out (the deliverer). */
const deliver = async (at: Date, targets = { allowPrivate: true }) => {
  await fireDueTimers(t.db, handlers, at);
  while ((await deliverDueWebhooks(t.db, at, targets)) > 0);
};
const deliveries = async (id = subscriptionId) =>
  (await admin.get(`/api/v1/admin/webhooks/${id}/deliveries`)).json();

beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  await t.seed([
    ...twoSellers(),
    order('O-W1', 'S-A', 'B-1', 'P-A'),
    {
      type: 'shipment',
      externalId: 'SH-W1',
      orderExternalId: 'O-W1',
      carrier: 'BRT',
      trackingNumber: 'TW1',
      shippedAt: '2026-03-02T15:00:00Z',
      events: [{ code: 'delivered', occurredAt: '2026-03-05T10:00:00Z' }],
    },
  ]);
  const sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  admin = await t.user('admin');
  const sub = await admin.post('/api/v1/admin/webhooks', {
    url,
    eventTypes: ['concession.decided', 'ledger.posted', 'claim.updated'],
    marketplace: 'IT',
  });
  expect(sub.statusCode).toBe(201);
  ({ id: subscriptionId, secret } = sub.json());
  await admin.post('/api/v1/admin/webhooks', { url, eventTypes: ['ledger.posted'], marketplace: 'DE' });
});
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe('signed webhooks (N2)', () => {
  it('sends a decision and its charge, signed, and retries a failure with backoff', async () => {
    const buyer = await t.buyerToken('B-1');
    const supervisor = await t.user('supervisor');
    const contact = await buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'damaged_or_wrong',
      orderId: 'O-W1',
      message: 'rotto',
    });
    const granted = await supervisor.post(
      `/api/v1/cases/${contact.json().case.caseNumber}/concessions`,
      { action: 'returnless_refund', reason: 'defective_or_damaged', lines: [{ lineNo: 1, amount: 1999 }] },
      { 'idempotency-key': 'webhook-grant-1' },
    );
    expect(granted.json().status).toBe('issued');

    await deliver(inSeconds(1));
    expect(received).toHaveLength(2); // concession.decided + ledger.posted, both answered 500
    let list = await deliveries();
    expect(list.map((d: { type: string }) => d.type).sort()).toEqual(['concession.decided', 'ledger.posted']);
    expect(
      list.every(
        (d: { status: string; attempts: number; lastStatus: number }) =>
          d.status === 'pending' && d.attempts === 1 && d.lastStatus === 500,
      ),
    ).toBe(true);

    answer = 200;
    await deliver(inSeconds(20));
    expect(received).toHaveLength(2); // not before the 30 s backoff
    await deliver(inSeconds(32));
    expect(received).toHaveLength(4);
    list = await deliveries();
    expect(
      list.every((d: { status: string; attempts: number }) => d.status === 'delivered' && d.attempts === 2),
    ).toBe(true);

    const last = received.at(-1)!;
    const body = JSON.parse(last.body);
    expect(last.headers['onbehalf-delivery']).toBe(body.id);
    const header = {
      timestamp: String(last.headers['onbehalf-timestamp']),
      signature: String(last.headers['onbehalf-signature']),
    };
    const sentAt = new Date(Number(header.timestamp) * 1000);
    expect(verifyWebhook(secret, header, last.body, sentAt)).toBe(true);
    expect(verifyWebhook(secret, header, last.body.replace('1999', '9999'), sentAt)).toBe(false);
    expect(verifyWebhook('whsec_wrong', header, last.body, sentAt)).toBe(false);
    expect(verifyWebhook(secret, header, last.body, new Date(sentAt.getTime() + 600_000))).toBe(false); // a replay later
    const charge = received.map((r) => JSON.parse(r.body)).find((b) => b.type === 'ledger.posted');
    expect(charge).toMatchObject({ marketplace: 'IT', data: { decision: { kind: 'concession' } } });
    expect(charge.data.postings).toContainEqual({ account: 'seller', amount: -1999, currency: 'EUR' });
  });

  it('delivers an event once per subscription, only to subscriptions that want it', async () => {
    const before = received.length;
    const event = {
      type: 'claim.updated',
      key: 'claim:test-once',
      sellerId: null,
      marketplaceId: 'IT',
      data: { status: 'granted' },
      at: new Date(),
    };
    await publishEvent(t.db, event);
    await deliver(inSeconds(60));
    await publishEvent(t.db, event);
    await deliver(inSeconds(120));
    expect(received.length - before).toBe(1);
    await publishEvent(t.db, { ...event, key: 'claim:test-de', marketplaceId: 'DE' });
    await deliver(inSeconds(180));
    expect(received.length - before).toBe(1);
  });

  it('gives up after the last attempt, and an operator can send it again', async () => {
    answer = 503;
    await publishEvent(t.db, {
      type: 'claim.updated',
      key: 'claim:test-fail',
      sellerId: null,
      marketplaceId: 'IT',
      data: {},
      at: new Date(),
    });
    let clock = Date.now() + 1000;
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      await deliver(new Date(clock));
      clock += retryDelayMs(i) + 1000;
    }
    const failed = (await deliveries()).find((d: { eventKey: string }) => d.eventKey === 'claim:test-fail');
    expect(failed).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      lastStatus: 503,
      lastError: 'HTTP 503',
    });
    await deliver(new Date(clock + 86_400_000));
    expect((await deliveries()).find((d: { id: string }) => d.id === failed.id).attempts).toBe(MAX_ATTEMPTS);
    answer = 204;
    expect(
      (await admin.post(`/api/v1/admin/webhooks/${subscriptionId}/deliveries/${failed.id}/retry`)).statusCode,
    ).toBe(204);
    await deliver(inSeconds(1));
    expect((await deliveries()).find((d: { id: string }) => d.id === failed.id).status).toBe('delivered');
  });

  it('never makes the timer sweeper wait for an endpoint: a hanging one leaves SLA clocks and other timers alone', async () => {
    let calls = 0;
    const hanging = createServer(() => {
      calls++; // accepts, never answers
    });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const sub = await admin.post('/api/v1/admin/webhooks', {
      url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`,
      eventTypes: ['claim.updated'],
    });
    await publishEvent(t.db, {
      type: 'claim.updated',
      key: 'claim:test-hang',
      sellerId: null,
      marketplaceId: 'IT',
      data: {},
      at: new Date(),
    });
    await fireDueTimers(t.db, handlers, inSeconds(1));
    expect(calls).toBe(0); // the timers only stored the event and its deliveries; the deliverer calls out
    expect((await deliveries(sub.json().id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    await admin.delete(`/api/v1/admin/webhooks/${sub.json().id}`);
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
  });

  it('backoff doubles from 30 s up to 6 h', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(6 * 3_600_000);
    expect(signWebhook('s', 1, 'b')).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('refuses bad subscriptions and other roles; never shows secrets', async () => {
    expect(
      (
        await admin.post('/api/v1/admin/webhooks', {
          url: 'ftp://x.example/h',
          eventTypes: ['ledger.posted'],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (
        await admin.post('/api/v1/admin/webhooks', {
          url: 'https://x.example/h',
          eventTypes: ['orders.deleted'],
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await admin.post('/api/v1/admin/webhooks', { url: 'https://x.example/h', eventTypes: [] })).statusCode,
    ).toBe(400);
    const agent = await t.user('agent');
    expect((await agent.get('/api/v1/admin/webhooks')).statusCode).toBe(403);
    expect(JSON.stringify((await admin.get('/api/v1/admin/webhooks')).json())).not.toContain(secret);
    expect(
      (await admin.get('/api/v1/admin/webhooks/00000000-0000-4000-8000-000000000000/deliveries')).statusCode,
    ).toBe(404);
    expect((await admin.delete(`/api/v1/admin/webhooks/${subscriptionId}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/v1/admin/webhooks/${subscriptionId}`)).statusCode).toBe(404);
  });
});

describe('webhook targets: no loopback, private or link-local endpoints (unless allowed for development)', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['10.20.30.40', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd12:3456::1', true],
    ['fc00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:a9fe:a9fe', true],
    ['64:ff9b::7f00:1', true], // NAT64 of 127.0.0.1
    ['2002:7f00:1::', true], // 6to4 of 127.0.0.1
    ['2001:0:4136:e378::1', true], // Teredo
    ['93.184.215.14', false],
    ['172.32.0.1', false],
    ['2a00:1450:4001:82b::200e', false],
    ['::ffff:93.184.215.14', false],
  ])('%s is internal: %s', (address, internal) => {
    expect(isInternalAddress(address)).toBe(internal);
  });

  it('refuses such subscriptions with 422 webhook_target_not_allowed, by address or by name', async () => {
    const strict = await buildApp(
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOAD_DEMO: 'false' }),
      t.db,
      createLogger('silent'),
    );
    const subscribe = (url: string) =>
      strict.inject({
        method: 'POST',
        url: '/api/v1/admin/webhooks',
        headers: admin.headers,
        payload: { url, eventTypes: ['claim.updated'] },
      });
    try {
      const before = (await admin.get('/api/v1/admin/webhooks')).json().length;
      for (const url of [
        'http://127.0.0.1:8080/hooks',
        'http://[::1]/',
        'http://10.0.0.5/',
        'http://172.16.0.1/',
        'http://192.168.0.10/',
        'http://169.254.169.254/latest/meta-data',
        'http://[fe80::1]/',
        'http://[fd00::1]/',
        'http://0.0.0.0:3000/',
        'http://[::ffff:127.0.0.1]/',
        'http://2130706433/', // 127.0.0.1 written as a number
        'http://localhost:3000/', // a name that resolves to loopback
        'https://no-such-host.invalid/',
      ]) {
        const res = await subscribe(url);
        expect([url, res.statusCode, errorCode(res)]).toEqual([url, 422, 'webhook_target_not_allowed']);
        expect(res.json().error.details[0].path).toBe('body.url');
      }
      expect((await subscribe('ftp://93.184.215.14/h')).statusCode).toBe(400);
      expect((await admin.get('/api/v1/admin/webhooks')).json()).toHaveLength(before);
      // A public address is fine.
      const publicTarget = await subscribe('https://93.184.215.14/hooks');
      expect(publicTarget.statusCode).toBe(201);
      await admin.delete(`/api/v1/admin/webhooks/${publicTarget.json().id}`);
    } finally {
      await strict.close();
    }
  });

  it('checks the address again at delivery: a target now private is not called, and the error is recorded', async () => {
    const before = received.length;
    answer = 200;
    const url = `http://localhost:${(receiver.address() as AddressInfo).port}/hooks`;
    const sub = await admin.post('/api/v1/admin/webhooks', {
      url,
      eventTypes: ['claim.updated'],
      marketplace: 'FR',
    });
    expect(sub.statusCode).toBe(201);
    await publishEvent(t.db, {
      type: 'claim.updated',
      key: 'claim:test-now-private',
      sellerId: null,
      marketplaceId: 'FR',
      data: {},
      at: new Date(),
    });
    await deliver(inSeconds(1), { allowPrivate: false });
    expect(received.length).toBe(before);
    expect((await deliveries(sub.json().id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: null,
      lastError: expect.stringMatching(/^not sent: localhost resolves to .*loopback/),
    });
  });
});
