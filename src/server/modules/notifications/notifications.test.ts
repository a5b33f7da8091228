import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { twoSellers } from '../../../../test/helpers/fixtures';
import { createMailer, listOutbox } from '../../platform/mail';
import { tokenOf, verifyReplyToken } from '../../platform/reply-token';
import { fireDueTimers } from '../../platform/timers';
import { slaTimerHandlers } from '../cases';
import { enrol } from '../programs';
import { caseLogTimerHandlers, messagingTimerHandlers } from '../seller-inbox';
import { notificationTimerHandlers } from './notify';

const dataDir = mkdtempSync(join(tmpdir(), 'onbehalf-notify-'));
const t = await testApp({ DATA_DIR: dataDir });
const mailer = createMailer({ outboxDir: t.config.outboxDir });
const handlers = {
  ...slaTimerHandlers,
  ...caseLogTimerHandlers,
  ...messagingTimerHandlers,
  ...notificationTimerHandlers(mailer, {
    from: t.config.mailFrom,
    domain: t.config.mailDomain,
    replyTokenSecret: t.config.replyTokenSecret,
  }),
};
let agent: TestClient;
let sellerA: TestClient;
let admin: TestClient;
let caseNumber: string;

beforeAll(async () => {
  await t.seed(twoSellers());
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  admin = await t.user('admin');
  agent = await t.user('agent');
  await admin.put(`/api/v1/admin/agents/${(await agent.get('/api/v1/auth/session')).json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
  });
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
  const buyer = await t.buyerToken('B-1');
  const opened = await buyer.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'product_question',
    orderId: 'O-A',
    message: 'È senza BPA?',
  });
  caseNumber = opened.json().case.caseNumber;
});

const ask = async (question: string) => {
  await agent.post(`/api/v1/cases/${caseNumber}/seller-requests`, { question });
  await fireDueTimers(t.db, handlers, new Date());
};
const answerOpenRequest = async () => {
  const open = (await sellerA.get('/api/v1/seller/case-log'))
    .json()
    .find((r: { status: string }) => r.status === 'open');
  await sellerA.post(`/api/v1/seller/case-log/${open.id}/answer`, { answer: 'ok' });
};

describe('seller notifications', () => {
  it('tells the seller when its free trial ends — a durable timer, cancelled by a withdrawal', async () => {
    await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/enrolments', { marketplace: 'FR' });
    const sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
    await sellerB.post('/api/v1/sellers/S-B/services/managed-cs/enrolments', { marketplace: 'FR' });
    await sellerB.post('/api/v1/sellers/S-B/services/managed-cs/withdrawals', { marketplace: 'FR' });
    await fireDueTimers(t.db, handlers, new Date(Date.now() + 29 * 86_400_000));
    const subjects = async (c: TestClient) =>
      (await c.get('/api/v1/seller/notifications')).json().map((n: { subject: string }) => n.subject);
    expect(await subjects(sellerA)).not.toContain('La tua prova gratuita su FR è terminata');
    await fireDueTimers(t.db, handlers, new Date(Date.now() + 31 * 86_400_000));
    expect(await subjects(sellerA)).toContain('La tua prova gratuita su FR è terminata');
    expect(await subjects(sellerB)).toEqual([]);
  });

  it('e-mails the seller in its language with a signed reply-to, and shows it in the app', async () => {
    await ask('Il bollitore è senza BPA?');
    const mails = await Promise.all((await listOutbox(t.config.outboxDir)).map((m) => simpleParser(m.raw)));
    const parsed = mails.find((m) => m.subject?.startsWith(`[${caseNumber}]`))!;
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe('s-a@sellers.example');
    expect(parsed.subject).toBe(`[${caseNumber}] Il servizio clienti ha una domanda su un ordine`); // S-A writes Italian
    expect(parsed.text).toContain('Il bollitore è senza BPA?');
    const replyTo = parsed.replyTo && 'text' in parsed.replyTo ? parsed.replyTo.text : '';
    expect(verifyReplyToken(t.config.replyTokenSecret, tokenOf(replyTo)!)).toMatchObject({ kind: 'caselog' });
    const inApp = (await sellerA.get('/api/v1/seller/notifications'))
      .json()
      .find((n: { category: string }) => n.category === 'case_log');
    expect(inApp).toMatchObject({ category: 'case_log', readAt: null });
    expect((await sellerA.post(`/api/v1/seller/notifications/${inApp.id}/read`)).statusCode).toBe(204);
    expect((await admin.get('/api/v1/admin/outbox')).json().length).toBeGreaterThan(0);
    await answerOpenRequest();
  });

  it('respects the preferences of every category', async () => {
    const prefs = (
      await sellerA.put('/api/v1/seller/notification-preferences/case_log', { email: false, inApp: true })
    ).json();
    expect(prefs.find((p: { category: string }) => p.category === 'case_log')).toEqual({
      category: 'case_log',
      email: false,
      inApp: true,
    });
    expect(prefs.find((p: { category: string }) => p.category === 'returns_and_claims')).toEqual({
      category: 'returns_and_claims',
      email: true,
      inApp: true,
    });
    const mailsBefore = (await listOutbox(t.config.outboxDir)).length;
    const inAppBefore = (await sellerA.get('/api/v1/seller/notifications')).json().length;
    await ask('Seconda domanda');
    expect((await listOutbox(t.config.outboxDir)).length).toBe(mailsBefore); // no e-mail
    expect((await sellerA.get('/api/v1/seller/notifications')).json().length).toBe(inAppBefore + 1);
    await answerOpenRequest();

    await sellerA.put('/api/v1/seller/notification-preferences/case_log', { email: false, inApp: false });
    await ask('Terza domanda');
    expect((await listOutbox(t.config.outboxDir)).length).toBe(mailsBefore);
    expect((await sellerA.get('/api/v1/seller/notifications')).json().length).toBe(inAppBefore + 1);
  });

  it('rejects an unknown category and other sellers’ notifications', async () => {
    expect(
      (await sellerA.put('/api/v1/seller/notification-preferences/spam', { email: true, inApp: true }))
        .statusCode,
    ).toBe(400);
    const sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
    const mine = (await sellerA.get('/api/v1/seller/notifications')).json();
    expect((await sellerB.post(`/api/v1/seller/notifications/${mine[0].id}/read`)).statusCode).toBe(404);
    expect((await agent.get('/api/v1/admin/outbox')).statusCode).toBe(403);
  });
});
