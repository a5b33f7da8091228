// The seller portal in real Chromium: a seller answers a case-log question, reads the decision and its
// ledger line, downloads the month's CSV, files a claim with a PNG; another seller opening that claim
// sees "not found"; the journey in Italian too; hostile names and texts are shown as text and run no
// script; axe finds no serious violation; a phone-sized screen has no sideways scrolling.
//
// Until the web foundation lands, this file builds the portal's own mount (portal-standalone.tsx) with
// Vite and serves it beside a listening app (the API proxied on the same origin, with a strict CSP);
// with the foundation it moves onto the foundation's harness and build.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { sql } from 'kysely';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timerHandlers } from '../../src/server/main/timer-handlers';
import { createMailer } from '../../src/server/platform/mail';
import { fireDueTimers } from '../../src/server/platform/timers';
import { TEST_PASSWORD, type TestClient, testApp } from '../helpers/app';
import { listeningApp } from '../helpers/chat-client';
import { buyer, marketplaces, order, product, seller } from '../helpers/fixtures';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`Chromium is missing at ${CHROMIUM}`);
if (!haveChromium) console.warn(`Skipping the seller portal's browser test: no Chromium at ${CHROMIUM}`);

const ROOT = resolve(import.meta.dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
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

const t = await testApp();
let buildDir = '';
let portal: Server;
let base = '';
let browser: Browser;
let caseNumber = '';

/** Vite builds the portal's mount into a temporary folder: /assets/portal.js and /assets/portal.css. */
async function buildPortal() {
  const { build } = await import('vite');
  const react = (await import('@vitejs/plugin-react')).default;
  buildDir = await mkdtemp(join(tmpdir(), 'onbehalf-portal-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    plugins: [react()],
    build: {
      outDir: join(buildDir, 'assets'),
      emptyOutDir: true,
      target: 'es2022',
      cssCodeSplit: false,
      rollupOptions: {
        input: join(ROOT, 'src/web/modules/programs/portal-standalone.tsx'),
        output: { entryFileNames: 'portal.js', assetFileNames: 'portal[extname]' },
      },
    },
  });
  await writeFile(
    join(buildDir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>Seller portal</title><link rel="stylesheet" href="/assets/portal.css">' +
      '<script type="module" src="/assets/portal.js"></script></head><body><div id="root"></div></body></html>',
  );
}

/** Pages and assets from the build; /api/* to the listening app, so cookies are same-origin. */
function servePortal(apiPort: number) {
  const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' };
  return createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = httpRequest(
        { host: '127.0.0.1', port: apiPort, path: url, method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
      return;
    }
    const asset = url.startsWith('/assets/') ? join(buildDir, url.split('?')[0]!) : null;
    const file = asset && existsSync(asset) ? asset : join(buildDir, 'index.html');
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'text/html; charset=utf-8',
      // The CSP the foundation serves: no inline script, nothing from elsewhere.
      'content-security-policy': "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'",
    });
    res.end(await readFile(file));
  });
}

async function signedIn(email: string, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const login = await context.request.post(`${base}/api/v1/auth/login`, {
    data: { email, password: TEST_PASSWORD },
  });
  expect(login.status()).toBe(200);
  return context;
}

async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}${path}`);
  await page.waitForSelector('h1');
  await page.waitForFunction(() => !document.querySelector('[aria-live="polite"]'));
  return Object.assign(page, { errors });
}

/** axe-core in the page: no serious or critical violation. */
async function expectAccessible(page: Page) {
  const source = await readFile(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${source}\n;undefined`);
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is the script just evaluated
    const r = await (window as any).axe.run(document);
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v: { id: string; nodes: { html: string }[] }) =>
          `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`,
      );
  });
  expect(violations).toEqual([]);
}

async function shot(page: Page, name: string) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `seller-${name}.png`), fullPage: true });
}

async function createSellerUser(admin: TestClient, sellerExternalId: string) {
  const sellerId = (
    await sql<{ id: string }>`select id from seller where external_id = ${sellerExternalId}`.execute(t.db)
  ).rows[0]!.id;
  const email = `${sellerExternalId.toLowerCase()}-${Math.random().toString(36).slice(2)}@portal.example`;
  const r = await admin.post('/api/v1/admin/users', {
    email,
    displayName: `Seller ${sellerExternalId}`,
    password: TEST_PASSWORD,
    role: 'seller',
    sellerId,
  });
  expect(r.statusCode).toBe(201);
  return email;
}

let sellerEmail = '';
let otherSellerEmail = '';
let individualSellerEmail = '';

beforeAll(async () => {
  if (!haveChromium) return;
  await t.seed([
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
  const admin = await t.user('admin');
  sellerEmail = await createSellerUser(admin, 'S-P');
  otherSellerEmail = await createSellerUser(admin, 'S-Q');
  individualSellerEmail = await createSellerUser(admin, 'S-R');
  const sellerApi = await t.login(sellerEmail);
  expect(
    (await sellerApi.post('/api/v1/sellers/S-P/services/managed-cs/enrolments', { marketplace: 'IT' }))
      .statusCode,
  ).toBe(200);
  const agent = await t.user('agent');
  const agentId = (await agent.get('/api/v1/auth/session')).json().user.id;
  await admin.put(`/api/v1/admin/agents/${agentId}`, { marketplaces: ['IT'], languages: ['it'] });

  // A buyer writes to customer service, the agent answers the buyer (K5: the seller must never see
  // either), asks the seller a question with hostile text in it, and refunds without a return.
  const buyerClient = await t.buyerToken('B-P');
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
    t.db,
    timerHandlers(t.config, createMailer({ outboxDir: join(tmpdir(), 'portal-outbox') })),
    new Date(),
  );

  const api = await listeningApp(t.database);
  afterAll(() => api.app.close());
  await buildPortal();
  portal = servePortal(api.port);
  await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (portal ? portal.close(() => r()) : r()));
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

/** Nothing customer service and the buyer wrote to each other is on the page (K5). */
async function expectNoCsBuyerMessages(page: Page) {
  const text = await page.content();
  expect(text).not.toContain(BUYER_SECRET);
  expect(text).not.toContain(AGENT_SECRET);
}

describe.skipIf(!haveChromium)('the seller portal in Chromium', () => {
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
    const events = (await (await t.user('supervisor')).get(`/api/v1/cases/${caseNumber}`)).json().events;
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
    await expectAccessible(page);
    await expectNoCsBuyerMessages(page);
    await shot(page, 'decisions');

    const ledger = await open(context, '/seller/ledger');
    await ledger.getByText('Closing balance').waitFor();
    const table = (await ledger.locator('table').last().textContent()) ?? '';
    expect(table).toContain('-€49.90');
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
    const stored = (await (await t.login(sellerEmail)).get(`/api/v1/seller/claims/${claimId}`)).json();
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

  it('someone not signed in is asked to sign in, and sees nothing of the seller', async () => {
    const context = await browser.newContext();
    const page = await open(context, '/seller/ledger');
    await page.getByText('Please sign in again.').waitFor();
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(
      '/signin?next=%2Fseller%2Fledger',
    );
    expect(await page.textContent('main')).not.toContain('49.90');
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
    const reviewer = await t.user('claims_reviewer');
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
    await page.getByText('Your appeal was filed.').waitFor();
    await page.getByText('You appealed').waitFor();
    expect(await page.getByRole('button', { name: 'Appeal' }).count()).toBe(0); // once only
    await expectAccessible(page);
    await shot(page, 'claim-appealed');
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

  it('switches preferences and reads notifications', async () => {
    const context = await signedIn(sellerEmail);
    const page = await open(context, '/seller/notifications');
    const box = page.getByLabel('E-mail for Returns and claims');
    await box.waitFor();
    const before = await box.isChecked();
    await box.click();
    await page.getByText('Saved.').waitFor();
    const prefs = (await (await t.login(sellerEmail)).get('/api/v1/seller/notification-preferences')).json();
    expect(prefs.find((p: { category: string }) => p.category === 'returns_and_claims').email).toBe(!before);
    await expectAccessible(page);
    await shot(page, 'notifications');
    expect(page.errors).toEqual([]);
    await context.close();
  });
});
