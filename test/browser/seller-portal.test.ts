// The seller portal in real Chromium: a seller answers a case-log question, reads the decision and its
// ledger line, downloads the month's CSV, files a claim with a PNG; another seller opening that claim
// sees "not found"; the journey in Italian too; hostile names and texts are shown as text and run no
// script; axe finds no serious violation; a phone-sized screen has no sideways scrolling.
// On the web foundation's harness: the real app with the built pages on a free port, its CSP and all.
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { timerHandlers } from '../../src/server/main/timer-handlers';
import { askSellerAboutProduct } from '../../src/server/modules/seller-inbox';
import { createMailer } from '../../src/server/platform/mail';
import { fireDueTimers } from '../../src/server/platform/timers';
import { buyer, marketplaces, order, product, seller } from '../helpers/fixtures';
import {
  artifactsDir,
  BROWSER_PASSWORD,
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  startBrowserApp,
} from './harness';
import { expectWhollyIn } from './translated';

const PORTAL_NAMESPACES = [
  'codes',
  'shared',
  'ledger',
  'programs',
  'seller-inbox',
  'claims',
  'notifications',
] as const;

const HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
// A file name cannot hold a slash, so the hostile one has none.
const HOSTILE_FILE = `<img src=x onerror="window.__pwned=3">.png`;
const BUYER_SECRET = 'BUYER-TO-CS-walrus-3141';
const AGENT_SECRET = 'CS-TO-BUYER-narwhal-2718';
const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
// The smallest valid PNG (1×1), as a seller's photo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let b: BrowserApp;
let base = '';
let browser: Browser;
let caseNumber = '';

type Answer = { statusCode: number; body: string; json: () => any };
type Client = {
  get: (url: string) => Promise<Answer>;
  post: (url: string, body?: unknown, headers?: Record<string, string>) => Promise<Answer>;
  put: (url: string, body?: unknown) => Promise<Answer>;
};
function client(headers: Record<string, string>): Client {
  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    extra: Record<string, string> = {},
  ) =>
    b.app.inject({
      method,
      url,
      headers: { ...headers, ...extra },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  return {
    get: (url) => call('GET', url),
    post: (url, body, h) => call('POST', url, body ?? {}, h),
    put: (url, body) => call('PUT', url, body),
  };
}
/** The API as a signed-in user (for the steps that are not the seller's: agents, reviewers). */
async function apiAs(email: string): Promise<Client> {
  const res = await b.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: BROWSER_PASSWORD },
  });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'onbehalf_session')!;
  return client({ cookie: `onbehalf_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken });
}
const staff = async (role: 'admin' | 'agent' | 'supervisor' | 'claims_reviewer') => apiAs(await b.user(role));
async function buyerApi(buyerExternalId: string) {
  const iat = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(buyerExternalId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 300)
    .sign(new TextEncoder().encode(b.config.buyerTokenSecret));
  return client({ authorization: `Bearer ${token}` });
}

async function signedIn(email: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const login = await context.request.post(`${base}/api/v1/auth/login`, {
    data: { email, password: BROWSER_PASSWORD },
  });
  expect(login.status()).toBe(200);
  return context;
}

async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}${path}`);
  await page.waitForSelector('h1');
  await page.waitForFunction(() => !document.querySelector('[aria-live="polite"]'));
  return Object.assign(page, { errors });
}

async function shot(page: Page, name: string) {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `seller-${name}.png`), fullPage: true });
}

async function createSellerUser(sellerExternalId: string) {
  const sellerId = (
    await sql<{ id: string }>`select id from seller where external_id = ${sellerExternalId}`.execute(b.db)
  ).rows[0]!.id;
  return b.user('seller', { sellerId, displayName: `Seller ${sellerExternalId}` });
}

let sellerEmail = '';
let otherSellerEmail = '';
let individualSellerEmail = '';

beforeAll(async () => {
  // The seller signs in once per step: more than the default 10 a minute for one address.
  b = await startBrowserApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '100' } });
  await b.seed([
    ...marketplaces(),
    seller('S-P', { name: `Lamps ${HOSTILE}` }),
    seller('S-Q'),
    seller('S-R', { accountType: 'individual' }),
    buyer('B-P'),
    product('P-P', 'S-P', { category: 'home_lighting' }),
    order('O-P', 'S-P', 'B-P', 'P-P', {
      orderedAt: ago(6 * DAY),
      promisedDeliveryDate: ago(1 * DAY).slice(0, 10),
      lines: [{ lineNo: 1, productExternalId: 'P-P', units: 1, unitPrice: 4990 }],
      itemsTotal: 4990,
      shippingCharge: 0,
      orderTotal: 4990,
    }),
    {
      type: 'shipment',
      externalId: 'SH-P',
      orderExternalId: 'O-P',
      carrier: 'BRT',
      trackingNumber: `BRT-${HOSTILE}`,
      shippedAt: ago(4 * DAY),
      events: [
        { code: 'picked_up', occurredAt: ago(4 * DAY) },
        { code: 'delivered', occurredAt: ago(2 * DAY), location: 'Roma' },
      ],
    },
  ]);
  const admin = await staff('admin');
  sellerEmail = await createSellerUser('S-P');
  otherSellerEmail = await createSellerUser('S-Q');
  individualSellerEmail = await createSellerUser('S-R');
  const sellerApi = await apiAs(sellerEmail);
  expect(
    (await sellerApi.post('/api/v1/sellers/S-P/services/managed-cs/enrolments', { marketplace: 'IT' }))
      .statusCode,
  ).toBe(200);
  const agent = await staff('agent');
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id;
  await admin.put(`/api/v1/admin/agents/${agentId}`, { marketplaces: ['IT'], languages: ['it'] });

  // A buyer writes to customer service, the agent answers the buyer (K5: the seller must never see
  // either), asks the seller a question with hostile text in it, and refunds without a return.
  const buyerClient = await buyerApi('B-P');
  const contact = await buyerClient.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'damaged_or_wrong',
    orderId: 'O-P',
    message: BUYER_SECRET,
  });
  expect(contact.json().handler).toBe('marketplace_cs');
  caseNumber = contact.json().case.caseNumber;
  expect(
    (await agent.post(`/api/v1/cases/${caseNumber}/replies`, { message: AGENT_SECRET })).statusCode,
  ).toBe(200);
  expect(
    (
      await agent.post(`/api/v1/cases/${caseNumber}/seller-requests`, {
        question: `Was the lamp packed in foam? ${HOSTILE}`,
      })
    ).statusCode,
  ).toBe(200);
  const refund = await agent.post(
    `/api/v1/cases/${caseNumber}/concessions`,
    { action: 'returnless_refund', reason: 'defective_or_damaged', lines: [{ lineNo: 1, amount: 4990 }] },
    { 'idempotency-key': 'portal-refund-1' },
  );
  expect(refund.json()).toMatchObject({ status: 'issued' });

  const invoice = await buyerClient.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'email',
    topic: 'invoice',
    orderId: 'O-P',
    message: `Could I have an invoice? ${HOSTILE}`,
  });
  expect(invoice.json().handler).toBe('seller');
  await fireDueTimers(
    b.db,
    timerHandlers(b.config, createMailer({ outboxDir: join(tmpdir(), 'portal-outbox') })),
    new Date(),
  );

  // The chat assistant could not answer a product question from the page, so it asked the seller (K3).
  const productId = (
    await sql<{ id: string }>`select id from product where external_id = 'P-P'`.execute(b.db)
  ).rows[0]!.id;
  await b.db.transaction().execute((tx) =>
    askSellerAboutProduct(tx, {
      productId,
      marketplaceId: 'IT',
      language: 'it',
      question: 'Is the bulb included?',
      conversationId: null,
      at: new Date(),
    }),
  );

  base = b.base;
  browser = await launchBrowser();
}, 180_000);

afterAll(() => browser?.close());

/** Nothing customer service and the buyer wrote to each other is on the page (K5). */
async function expectNoCsBuyerMessages(page: Page) {
  const text = await page.content();
  expect(text).not.toContain(BUYER_SECRET);
  expect(text).not.toContain(AGENT_SECRET);
}

describeBrowser('the seller portal in Chromium', () => {
  let claimId = '';

  it('shows the services: enrolled in IT on a trial, with the description and enrol buttons elsewhere', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller');
    await page.waitForSelector('tr[data-marketplace="IT"]');
    const it = await page.textContent('tr[data-marketplace="IT"]');
    expect(it).toMatch(/Trial until|Active/);
    expect(await page.textContent('main')).toContain("The marketplace's customer service answers");
    expect(await page.locator('button', { hasText: 'Enrol in DE' }).count()).toBe(1);
    await expectAccessible(page);
    await expectNoCsBuyerMessages(page);
    await shot(page, 'services');
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('answers the case-log question; the hostile question is shown as text and runs nothing', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/case-log');
    const card = page.locator('article', { hasText: `Case ${caseNumber}` });
    await card.waitFor();
    expect(await card.locator('blockquote').textContent()).toBe(`Was the lamp packed in foam? ${HOSTILE}`);
    expect(await card.textContent()).toContain('Waiting for your answer');
    await expectAccessible(page);
    await shot(page, 'case-log');
    await card.getByLabel('Your answer').fill('Yes, in 3 cm of foam.');
    await card.getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('Your answer was sent to customer service.').waitFor();
    await page
      .locator('article', { hasText: 'Yes, in 3 cm of foam.' })
      .getByText('Answered', { exact: true })
      .waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectNoCsBuyerMessages(page);
    await shot(page, 'case-log-answered');
    const events = (await (await staff('supervisor')).get(`/api/v1/cases/${caseNumber}`)).json().events;
    expect(events.at(-1)).toMatchObject({
      kind: 'seller_answered',
      data: { answer: 'Yes, in 3 cm of foam.' },
    });
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('reads the decision with its reason, rule and carrier-claim package, and its ledger line and CSV', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/decisions');
    const decision = page.locator('article', { hasText: 'Refund without return' });
    await decision.waitFor();
    const text = (await decision.textContent()) ?? '';
    expect(text).toContain('Order O-P');
    expect(text).toContain('€49.90');
    expect(text).toContain('Defective or damaged');
    expect(text).toContain('Claim from the carrier');
    expect(text).toContain(`BRT-${HOSTILE}`);
    // The rule and the carrier's scans in words, never as codes.
    expect(text).toContain('the seller’s fault: no need to send it back');
    expect(text).toContain('Picked up');
    expect(text).not.toMatch(/seller_fault_returnless|picked_up/);
    await expectAccessible(page);
    await expectNoCsBuyerMessages(page);
    await shot(page, 'decisions');

    const ledger = await open(context, '/seller/ledger');
    await ledger.getByText('Closing balance').waitFor();
    const table = (await ledger.locator('table').last().textContent()) ?? '';
    expect(table).toContain('-€49.90');
    expect(table).toContain('Refund or concession'); // the decision's kind in words
    const csvLink = ledger.getByRole('link', { name: /Download .* as CSV/ });
    const csv = await context.request.get(`${base}${await csvLink.getAttribute('href')}`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await csv.text()).toContain(',IT,-49.90,EUR,');
    await expectAccessible(ledger);
    await shot(ledger, 'ledger');
    expect([...page.errors, ...ledger.errors]).toEqual([]);
    await context.close();
  });

  it('files a claim on that refund with a PNG whose name is hostile, and sees it', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/decisions');
    await page.getByRole('link', { name: 'File a reimbursement claim for order O-P' }).click();
    await page.waitForURL(/\/seller\/claims\?order=O-P/);
    await page.getByLabel('Order number').waitFor();
    expect(await page.getByLabel('Order number').inputValue()).toBe('O-P');
    await page.getByLabel('Reason').selectOption('delivered_not_received_with_proof');
    await page.getByRole('button', { name: 'Check eligibility' }).click();
    await page.getByText(/This refund can be claimed|This refund cannot be claimed/).waitFor();
    await shot(page, 'claim-eligibility');
    expect(await page.getByText('This refund can be claimed').count()).toBe(1);
    await page.getByLabel('What happened').fill(`The buyer got it; the courier has a photo. ${HOSTILE}`);
    await page
      .getByLabel(/Evidence/)
      .setInputFiles({ name: HOSTILE_FILE, mimeType: 'image/png', buffer: PNG });
    await page.getByRole('button', { name: 'File the claim' }).click();
    await page.getByText('Your claim was filed.').waitFor();
    await expectAccessible(page);
    await shot(page, 'claim-filed');
    await page.getByRole('link', { name: 'Claim for order O-P' }).first().click();
    await page.waitForURL(/\/seller\/claims\/[0-9a-f-]{36}$/);
    claimId = page.url().split('/').at(-1)!;
    await page.getByText(`Download ${HOSTILE_FILE}`).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('main')).toContain(`The buyer got it; the courier has a photo. ${HOSTILE}`);
    await expectAccessible(page);
    await shot(page, 'claim');
    const stored = (await (await apiAs(sellerEmail)).get(`/api/v1/seller/claims/${claimId}`)).json();
    expect(stored.evidence).toMatchObject([
      { filename: HOSTILE_FILE, contentType: 'image/png', sizeBytes: PNG.length },
    ]);
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('another seller opening that claim sees "not found"', async () => {
    const context = await signedIn(otherSellerEmail);
    const page = await open(context, `/seller/claims/${claimId}`);
    await page.getByText('Claim not found.').waitFor();
    expect(await page.textContent('main')).not.toContain('O-P');
    await shot(page, 'claim-of-another-seller');
    await context.close();
  });

  it('someone not signed in is sent to sign in, and sees nothing of the seller', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/seller/ledger');
    await page.waitForURL(/\/signin\?next=%2Fseller%2Fledger$/);
    expect(await page.textContent('body')).not.toContain('49.90');
    await context.close();
  });

  it('the same journey in Italian on a phone-sized screen, without sideways scrolling', async () => {
    const context = await signedIn(sellerEmail, { width: 390, height: 844 });
    const pages: [string, string][] = [
      ['/seller?lang=it', 'I tuoi servizi'],
      ['/seller/case-log?lang=it', 'Registro casi'],
      ['/seller/decisions?lang=it', 'Decisioni sui tuoi ordini'],
      ['/seller/ledger?lang=it', 'Estratto conto'],
      [`/seller/claims/${claimId}?lang=it`, 'Richiesta per l’ordine O-P'],
      ['/seller/notifications?lang=it', 'Notifiche'],
    ];
    for (const [path, title] of pages) {
      const page = await open(context, path);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.getAttribute('html', 'lang')).toBe('it');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await expectAccessible(page);
      await expectNoCsBuyerMessages(page);
      // No code on screen (a rule, a carrier scan, a ledger line's decision), no English left.
      await expectWhollyIn(page, 'it', PORTAL_NAMESPACES);
      await shot(page, `it-phone-${path.split('?')[0]!.replaceAll('/', '-').slice(1)}`);
      expect(page.errors).toEqual([]);
      await page.close();
    }
    const decisions = await open(context, '/seller/decisions?lang=it');
    const text = (await decisions.locator('article', { hasText: 'Rimborso senza reso' }).textContent()) ?? '';
    expect(text).toContain('49,90\u00a0€');
    expect(text).toContain('Difettoso o danneggiato');
    const ledger = await open(context, '/seller/ledger?lang=it');
    await ledger.getByText('Saldo finale').waitFor();
    expect(await ledger.locator('table').last().textContent()).toContain('-49,90\u00a0€');
    await context.close();
  });

  it('answers a buyer who asked for an invoice (the seller’s own thread), the buyer’s text shown as text', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/case-log');
    const thread = page.locator('article', { hasText: 'Invoice' });
    await thread.waitFor();
    expect(await thread.textContent()).toContain(`Could I have an invoice? ${HOSTILE}`);
    expect(await thread.textContent()).toContain('Invoices and customisation stay with you');
    await thread.getByLabel('Your reply').fill('Attached to your order page within the hour.');
    await thread.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Your reply was sent to the buyer.').waitFor();
    await page.getByText('Attached to your order page within the hour.').waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectNoCsBuyerMessages(page);
    await expectAccessible(page);
    await shot(page, 'buyer-thread');
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('replies to a reviewer’s question with another PNG, then appeals the denial once', async () => {
    const reviewer = await staff('claims_reviewer');
    expect(
      (
        await reviewer.post(`/api/v1/claims/${claimId}/information-request`, {
          question: 'Send the courier photo.',
        })
      ).statusCode,
    ).toBe(200);
    const context = await signedIn(sellerEmail);
    const page = await open(context, `/seller/claims/${claimId}`);
    await page.getByText('Waiting for your reply').waitFor();
    expect(await page.textContent('main')).toContain('Send the courier photo.');
    await page.getByLabel('Your reply').fill('Here it is.');
    await page.getByLabel(/Evidence \(photos/).setInputFiles({
      name: 'courier.png',
      mimeType: 'image/png',
      buffer: Buffer.concat([PNG, Buffer.from('courier')]),
    });
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Download courier.png').waitFor();
    await shot(page, 'claim-replied');

    const denied = await reviewer.post(
      `/api/v1/claims/${claimId}/decision`,
      { outcome: 'deny', denialReason: 'evidence_insufficient', note: 'The photo shows another door.' },
      { 'idempotency-key': 'portal-claim-deny-1' },
    );
    expect(denied.json().claim.status).toBe('denied');
    await page.reload();
    await page.getByText('The evidence was not enough.').waitFor();
    await page.getByLabel('Why the decision should change').fill('It is the back door of the same house.');
    await page.getByRole('button', { name: 'Appeal' }).click();
    // The form's own "filed" notice goes with the form once the claim reloads as appealed: wait for that state.
    await page.getByText('You appealed').waitFor();
    expect(await page.getByRole('button', { name: 'Appeal' }).count()).toBe(0); // once only
    await expectAccessible(page);
    await shot(page, 'claim-appealed');
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('a claims reviewer reads the appeal with its facts and evidence and grants it in part, in the browser', async () => {
    const reviewerEmail = await b.user('claims_reviewer', { displayName: 'Paul Reviewer' });
    const context = await signedIn(reviewerEmail);
    const page = await open(context, '/claims');
    await page.getByRole('link', { name: 'O-P' }).click();
    await page.waitForURL(new RegExp(`/claims/${claimId}$`));
    await page.getByRole('heading', { name: 'Claim for order O-P' }).waitFor();
    const main = (await page.textContent('main')) ?? '';
    expect(main).toContain('Refunded by the marketplace');
    expect(main).toContain('The seller appealed');
    // The hostile file name is text, and no script ran.
    await page.getByRole('link', { name: `Download ${HOSTILE_FILE}` }).waitFor();
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectAccessible(page);
    await shot(page, 'reviewer-claim');

    await page.getByLabel('Decision').selectOption('partial');
    await page.getByLabel('Amount granted (EUR)').fill('1.50');
    await page.getByLabel('Note to the seller').fill('Half of the shipping, on the courier photo.');
    await page.getByRole('button', { name: 'Record the decision' }).dblclick();
    await page.getByText('Granted in part').first().waitFor();
    const stored = (await (await apiAs(reviewerEmail)).get(`/api/v1/claims/${claimId}`)).json();
    expect(stored).toMatchObject({ status: 'partially_granted', grantedAmount: 150 });
    // Pressed twice, decided once: one decision event, one reimbursement.
    expect(stored.events.filter((e: { kind: string }) => e.kind === 'partially_granted')).toHaveLength(1);
    const reimbursements = await sql<{ decision_kind: string }>`select decision_kind from ledger_batch
      where decision_id = ${claimId}`.execute(b.db);
    expect(reimbursements.rows).toHaveLength(1);
    await page.goto(`${base}/claims`);
    await page.getByText('No claim is waiting for a decision.').waitFor();
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('refuses to enrol an individual account, with the reason in words', async () => {
    const context = await signedIn(individualSellerEmail);
    const page = await open(context, '/seller?lang=fr');
    await page.getByText('Le service exige un compte vendeur professionnel.').first().waitFor();
    await page.getByRole('button', { name: 'S’inscrire sur IT' }).click();
    await page.getByRole('alert').getByText('Le service exige un compte vendeur professionnel.').waitFor();
    expect(await page.locator('tr[data-marketplace="IT"]').textContent()).toContain('Non inscrit');
    await expectAccessible(page);
    await shot(page, 'fr-enrol-refused');
    expect(page.errors).toEqual([]);
    await context.close();
  });

  it('answers the assistant’s product question, then changes and withdraws the product answer', async () => {
    const context = await signedIn(sellerEmail);
    const log = await open(context, '/seller/case-log');
    const card = log.locator('article', { hasText: 'Product question · P-P' });
    await card.waitFor();
    await card.getByLabel('Your answer').fill('Yes, an E27 bulb is in the box.');
    await card.getByRole('button', { name: 'Send answer' }).click();
    await log.getByText(/It is kept with the product/).waitFor();

    const page = await open(context, '/seller/product-answers');
    const answer = page.locator('article', { hasText: 'Is the bulb included?' });
    await answer.waitFor();
    expect(await answer.getByLabel('Answer').inputValue()).toBe('Yes, an E27 bulb is in the box.');
    await expectAccessible(page);
    await answer.getByLabel('Answer').fill('Yes, an E27 LED bulb is in the box.');
    await answer.getByRole('button', { name: 'Save the answer' }).click();
    await page.getByText('Saved.').waitFor();
    const sellerApi = await apiAs(sellerEmail);
    expect((await sellerApi.get('/api/v1/seller/product-answers')).json()[0]).toMatchObject({
      answer: 'Yes, an E27 LED bulb is in the box.',
      status: 'active',
    });
    await answer.getByRole('button', { name: 'Withdraw' }).click();
    await page.getByText('Withdrawn: the assistant no longer gives this answer.').waitFor();
    await answer.getByText('Withdrawn', { exact: false }).first().waitFor();
    expect((await sellerApi.get('/api/v1/seller/product-answers')).json()[0].status).toBe('withdrawn');
    await shot(page, 'product-answers');
    expect([...log.errors, ...page.errors]).toEqual([]);
    await context.close();
  });

  it('switches preferences and reads notifications', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/notifications');
    const box = page.getByLabel('E-mail for Returns and claims');
    await box.waitFor();
    const before = await box.isChecked();
    await box.click();
    await page.getByText('Saved.').waitFor();
    const prefs = (await (await apiAs(sellerEmail)).get('/api/v1/seller/notification-preferences')).json();
    expect(prefs.find((p: { category: string }) => p.category === 'returns_and_claims').email).toBe(!before);
    await expectAccessible(page);
    await shot(page, 'notifications');
    expect(page.errors).toEqual([]);
    await context.close();
  });
});
