// The agent console in a real browser: an agent takes a case from the queue, answers with a saved
// reply, asks the seller (and sees the answer arrive), authorises a return and resolves it — in English
// and in Italian; hostile names and messages are shown as text and run nothing.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { enrol } from '../../src/server/modules/programs';
import { texts } from '../../src/web/modules/cases/texts';
import { buyer, marketplaces, order, twoSellers } from '../helpers/fixtures';
import {
  BROWSER_PASSWORD,
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startBrowserApp,
} from './harness';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

export const HOSTILE_NAME = '<script>window.__pwned=1</script>Zoë';
export const HOSTILE_MESSAGE = 'Il pacco è rotto <img src=x onerror="window.__pwned=2"> aiuto';

/** The API as a signed-in user (cookie + CSRF), through the running app. */
export async function apiAs(t: BrowserApp, email: string) {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: BROWSER_PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === 'onbehalf_session')!;
  const csrf = login.json().csrfToken as string;
  return async (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': csrf, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? null : res.json();
  };
}

export async function consoleWorld() {
  const t = await startBrowserApp();
  await t.seed([
    ...twoSellers(),
    buyer('B-H', { name: HOSTILE_NAME, email: 'zoe@buyers.example' }),
    ...['O-H1', 'O-H2', 'O-H3', 'O-H4'].flatMap((o) => [
      order(o, 'S-A', 'B-H', 'P-A', {
        orderedAt: ago(8 * DAY),
        promisedDeliveryDate: ago(4 * DAY).slice(0, 10),
      }),
      {
        type: 'shipment',
        externalId: `SH-${o}`,
        orderExternalId: o,
        carrier: 'BRT',
        trackingNumber: `BRT-${o}`,
        shippedAt: ago(7 * DAY),
        events: [
          { code: 'picked_up', occurredAt: ago(7 * DAY), location: 'Milano' },
          {
            code: 'delivered',
            occurredAt: ago(5 * DAY),
            location: 'Roma <img src=x onerror="window.__pwned=3">',
          },
        ],
      },
    ]),
  ]);
  await t.seed([{ ...marketplaces().find((m) => m.id === 'IT')!, languages: ['it', 'en'] }]);
  const idOf = async (table: 'seller' | 'buyer', externalId: string) =>
    (
      await sql<{ id: string }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(
        t.db,
      )
    ).rows[0]!.id;
  await t.db
    .transaction()
    .execute(async (tx) => enrol(tx, await idOf('seller', 'S-A'), 'IT', 'seller', new Date('2026-01-01')));
  const emails = {
    agent: await t.user('agent', { displayName: 'Giulia Rossi', languages: ['it', 'en'] }),
    supervisor: await t.user('supervisor', { displayName: 'Marco Bianchi' }),
    seller: await t.user('seller', { sellerId: await idOf('seller', 'S-A') }),
  };
  const userId = async (email: string) =>
    (await sql<{ id: string }>`select id from app_user where email = ${email}`.execute(t.db)).rows[0]!.id;
  const agentId = await userId(emails.agent);
  await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, available)
    values (${agentId}::uuid, '{IT}', '{it,en}', 20, false)`.execute(t.db);
  await sql`insert into agent_profile (user_id, marketplaces, languages, capacity, available)
    values (${await userId(emails.supervisor)}::uuid, '{IT}', '{it,en}', 20, false)`.execute(t.db);
  const supervisorApi = await apiAs(t, emails.supervisor);
  /** A buyer's contact recorded by the supervisor: it waits in the queue (no agent available yet). */
  const openCase = async (orderId: string, message: string, language = 'it') =>
    (
      await supervisorApi('POST', '/api/v1/contacts', {
        marketplace: 'IT',
        channel: 'email',
        topic: 'damaged_or_wrong',
        orderId,
        message,
        language,
      })
    ).case.caseNumber as string;
  const setAvailable = (available: boolean) =>
    sql`update agent_profile set available = ${available} where user_id = ${agentId}::uuid`.execute(t.db);
  return { t, emails, supervisorApi, openCase, setAvailable, sellerApi: await apiAs(t, emails.seller) };
}

describeBrowser('agent console', () => {
  let w: Awaited<ReturnType<typeof consoleWorld>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    w = await consoleWorld();
    browser = await launchBrowser();
    for (const language of ['en', 'it'])
      await w.supervisorApi('POST', '/api/v1/admin/saved-replies', {
        language,
        title: language === 'it' ? 'Reso avviato' : 'Return started',
        body:
          language === 'it'
            ? 'Gentile {{buyerName}}, per l’ordine {{orderNumber}} abbiamo autorizzato il reso.'
            : 'Dear {{buyerName}}, we authorised the return for order {{orderNumber}}.',
      });
  });

  for (const [lang, orderId] of [
    ['en', 'O-H1'],
    ['it', 'O-H2'],
  ] as const)
    it(`takes a case, replies, asks the seller, authorises a return and resolves it (${lang})`, async () => {
      const words = texts[lang];
      await w.setAvailable(false);
      const caseNumber = await w.openCase(orderId, HOSTILE_MESSAGE, lang);
      await w.setAvailable(true);
      const { page, context, problems } = await openPage(browser);
      await signIn(page, w.t.base, w.emails.agent);
      await page.goto(`${w.t.base}/agent?lang=${lang}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(words.agentTitle);
      await expectAccessible(page);
      await screenshot(page, `agent-queue-${lang}`);

      // Take next: the waiting case opens.
      await page.getByRole('button', { name: words.takeNext }).click();
      await page.waitForURL((u) => u.pathname === `/agent/cases/${caseNumber}`);
      await expect
        .poll(() => page.locator('h1').textContent())
        .toBe(words.caseTitle.replace('{{caseNumber}}', caseNumber));
      // The hostile message is text: its tags are shown, not run.
      await expect.poll(() => page.locator('.message-body').first().textContent()).toBe(HOSTILE_MESSAGE);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      await expect.poll(() => page.locator('#order-title').textContent()).toContain(orderId);

      // A saved reply, filled in with the buyer's (hostile) name and the order number.
      await page
        .getByLabel(words.savedReply)
        .selectOption({ label: lang === 'it' ? 'Reso avviato' : 'Return started' });
      await expect.poll(() => page.locator('#reply-text').inputValue()).toContain(HOSTILE_NAME);
      expect(await page.locator('#reply-text').inputValue()).toContain(orderId);
      await page.locator('#reply-title ~ form button[type=submit]').click();
      await expect.poll(() => page.locator('#reply-title ~ [role=status]').textContent()).toBe(words.sent);

      // Ask the seller; the seller answers in their case log; the answer appears in the history.
      await page.locator('#ask-seller-question').fill('Was the parcel insured? <b>bold?</b>');
      await page.locator('#ask-seller-title ~ form button[type=submit]').click();
      await expect
        .poll(() => page.locator('#ask-seller-title ~ [role=status]').textContent())
        .toContain(words.asked.split('{{')[0]!.trim());
      const questions = (await w.sellerApi('GET', '/api/v1/seller/case-log')) as {
        id: string;
        caseNumber: string;
      }[];
      const question = questions.find((q) => q.caseNumber === caseNumber)!;
      await w.sellerApi('POST', `/api/v1/seller/case-log/${question.id}/answer`, {
        answer: 'Yes, insured with the carrier <i>ok</i>',
      });
      await expect
        .poll(() => page.locator('.history').textContent(), { timeout: 15_000 })
        .toContain('Yes, insured with the carrier <i>ok</i>');

      // Authorise a return (within the policy), then resolve.
      await page.getByLabel(words.returnReason).selectOption('defective');
      await page.locator('#return-title ~ form button[type=submit]').click();
      await expect
        .poll(() => page.locator('#return-title ~ [role=status], #return-title ~ [role=alert]').textContent())
        .toContain(words.authorised.split('(')[0]!.trim());
      await page.locator('#resolve-note').fill('Return authorised, label sent.');
      await page.locator('#resolve-title ~ form button[type=submit]').click();
      await expect
        .poll(() => page.locator('#resolve-title ~ [role=status]').textContent())
        .toBe(words.resolved);
      await expect.poll(() => page.locator('.case-status').textContent()).toContain(words.status_resolved);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      await expectAccessible(page);
      await screenshot(page, `agent-case-${lang}`);
      expect(problems).toEqual([]);
      await context.close();
      await w.setAvailable(false);
    });

  it('finds the case by the buyer’s e-mail and by words in its messages, on a phone-sized screen', async () => {
    const { page, context, problems } = await openPage(browser, { phone: true });
    await signIn(page, w.t.base, w.emails.agent);
    await page.goto(`${w.t.base}/agent/search?lang=en`);
    await page.getByLabel(texts.en.searchBuyerEmail).fill('ZOE@buyers.example');
    await page.getByLabel(texts.en.searchText).fill('rotto');
    await page.getByRole('button', { name: texts.en.searchSubmit }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.locator('tbody').textContent()).toContain(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectAccessible(page);
    await screenshot(page, 'agent-search-phone');
    expect(problems).toEqual([]);
    await context.close();
  });
});
