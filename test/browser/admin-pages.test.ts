// The operator's pages in a real browser: a policy changed from next month is in force from that day,
// an API key is shown once, a failed webhook delivery is sent again, a non-admin gets no admin page
// (and the API answers 403), names with markup stay text, five languages, a phone-sized screen.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { firstOfNextMonthIn, startOfDayIn } from '../../src/web/modules/marketplace/admin-values';
import { twoSellers } from '../helpers/fixtures';
import {
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
} from './harness';
import { expectWhollyIn } from './translated';

const ADMIN_NAMESPACES = ['shared', 'codes', 'cases', 'marketplace', 'identity-admin', 'admin-notifications'];

/** Elements that stick out of a phone's screen (none when the page fits), named for the failure message. */
const widerThanScreen = (page: import('playwright-core').Page) =>
  page.evaluate(() =>
    document.documentElement.scrollWidth <= window.innerWidth
      ? []
      : [...document.querySelectorAll('body *')]
          .filter(
            (e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'),
          )
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.textContent?.slice(0, 40)}`),
  );

const HOSTILE = '<img src=x onerror="window.__hacked=1"><script>window.__hacked=2</script>';

describeBrowser('admin pages', () => {
  let t: BrowserApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let admin: string;
  let agent: string;
  let seller: string;

  beforeAll(async () => {
    t = await import('./harness').then((h) => h.startBrowserApp());
    browser = await launchBrowser();
    await t.seed(twoSellers());
    const sellerId = (
      await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db)
    ).rows[0]!.id;
    admin = await t.user('admin', { displayName: 'Ada Admin' });
    agent = await t.user('agent', { displayName: HOSTILE });
    seller = await t.user('seller', { sellerId });
  });

  it('changes the return window from next month: today’s stays, next month’s is the new one', async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    expect(new URL(page.url()).pathname).toBe('/admin');
    await expectAccessible(page);
    await screenshot(page, 'admin-home');
    await page.getByRole('link', { name: 'Marketplaces and policies' }).click();
    await page.getByRole('link', { name: 'Marketplace Italia' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/marketplaces/IT');
    const inForce = page.getByTestId('return-window-in-force');
    await expect.poll(() => inForce.textContent()).toBe('30');

    const returns = page.getByRole('form', { name: 'Change the return policy' });
    await returns.getByLabel('Return window (days)').fill('45');
    await returns.getByRole('button', { name: 'From next month' }).click();
    const nextMonth = firstOfNextMonthIn(new Date(), 'Europe/Rome');
    expect(await returns.getByLabel('In force from').inputValue()).toBe(nextMonth);
    await returns.getByRole('button', { name: 'Save the return policy' }).click();
    const section = page.getByRole('region', { name: 'Returns' });
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved. In force from');
    // Today the old window holds; the change is listed as scheduled.
    await expect.poll(() => inForce.textContent()).toBe('30');
    const scheduled = section.getByRole('row').filter({ hasText: 'Scheduled' });
    await expect.poll(() => scheduled.count()).toBe(1);
    expect(await scheduled.textContent()).toContain('45');
    await expectAccessible(page);
    await screenshot(page, 'admin-return-window-scheduled');

    // Looking at next month's first day, the new window is in force.
    await page
      .getByRole('region', { name: 'Policies in force on a day' })
      .getByRole('button', { name: 'Next month' })
      .click();
    await expect.poll(() => inForce.textContent()).toBe('45');
    await screenshot(page, 'admin-return-window-next-month');

    // The server agrees: midnight in Rome on that day is the first instant of the new window.
    const from = startOfDayIn(nextMonth, 'Europe/Rome');
    const at = async (instant: string) =>
      page.evaluate(
        async (url) => (await (await fetch(url)).json()).windowDays as number,
        `/api/v1/marketplaces/IT/return-policy?at=${encodeURIComponent(instant)}`,
      );
    expect(await at(from)).toBe(45);
    expect(await at(new Date(Date.parse(from) - 1000).toISOString())).toBe(30);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('refuses a past day for a change, in words', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/marketplaces/IT`);
    await expect.poll(() => page.getByTestId('return-window-in-force').count()).toBe(1);
    const limits = page.getByRole('form', { name: 'Change the approval limits' });
    await limits.getByLabel('In force from').fill('2020-01-01');
    await limits.getByRole('button', { name: 'Save the limits' }).click();
    await expect.poll(() => limits.getByRole('alert').textContent()).toContain('Choose today or a later day');
    await context.close();
  });

  it('creates an API key that is shown once and works; afterwards only its prefix is shown', async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/api-keys`);
    await page.getByLabel('Name').fill('Shop platform');
    await page.getByRole('button', { name: 'Create the key' }).click();
    const secret = page.getByTestId('secret-value');
    await expect.poll(() => secret.count()).toBe(1);
    const key = (await secret.textContent())!.trim();
    expect(key.length).toBeGreaterThan(20);
    await expectAccessible(page);
    await screenshot(page, 'admin-api-key-shown-once');

    const withKey = await fetch(`${t.base}/api/v1/orders`, { headers: { authorization: `Bearer ${key}` } });
    expect(withKey.status).toBe(200);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => secret.count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'Shop platform' }).count()).toBe(1);
    expect(await page.content()).not.toContain(key);
    // The listing API never carries the secret either.
    const listing = await page.evaluate(async () => (await fetch('/api/v1/admin/api-keys')).text());
    expect(listing).not.toContain(key);

    await page.getByRole('button', { name: 'Revoke Shop platform' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('was revoked');
    expect(
      (await fetch(`${t.base}/api/v1/orders`, { headers: { authorization: `Bearer ${key}` } })).status,
    ).toBe(401);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sends a failed webhook delivery again', async () => {
    const subscription = (
      await sql<{ id: string }>`insert into webhook_subscription (url, secret, event_types, marketplace_id)
        values ('https://platform.example/hooks', 'whsec_test', '{return.authorised}', null) returning id`.execute(
        t.db,
      )
    ).rows[0]!.id;
    await sql`insert into webhook_event (key, type, seller_id, marketplace_id, data, occurred_at)
      values ('return:R-1', 'return.authorised', null, 'IT', '{}'::jsonb, now())`.execute(t.db);
    await sql`insert into webhook_delivery (subscription_id, event_key, status, attempts, last_status, last_error)
      values (${subscription}::uuid, 'return:R-1', 'failed', 10, 503, 'HTTP 503')`.execute(t.db);

    const { page, context, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/webhooks`);
    await page.getByRole('link', { name: 'https://platform.example/hooks' }).click();
    await page.waitForURL((url) => url.pathname === `/admin/webhooks/${subscription}`);
    const row = page.getByRole('row').filter({ hasText: 'return:R-1' });
    await expect.poll(() => row.textContent()).toContain('Failed');
    expect(await row.textContent()).toContain('HTTP 503');
    await expectAccessible(page);
    await screenshot(page, 'admin-webhook-delivery-failed');
    await row.getByRole('button', { name: 'Send again: return:R-1' }).click();
    await expect.poll(() => row.textContent()).toContain('Waiting to be sent');
    await expect.poll(() => row.getByRole('button').count()).toBe(0);
    const stored = await sql<{ status: string }>`select status from webhook_delivery
      where subscription_id = ${subscription}::uuid`.execute(t.db);
    expect(stored.rows[0]!.status).toBe('pending');
    await screenshot(page, 'admin-webhook-delivery-retried');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gives an agent and a seller no admin page, and the admin API answers them 403', async () => {
    for (const email of [agent, seller]) {
      const { page, context } = await openPage(browser);
      await signIn(page, t.base, email);
      for (const path of ['/admin', '/admin/marketplaces/IT', '/admin/api-keys', '/admin/webhooks']) {
        await page.goto(`${t.base}${path}`);
        await expect.poll(() => page.locator('h1').textContent()).toBe('Not for your role');
      }
      expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
      const statuses = await page.evaluate(async () =>
        Promise.all(
          [
            '/api/v1/admin/users',
            '/api/v1/admin/api-keys',
            '/api/v1/admin/webhooks',
            '/api/v1/admin/agents',
          ].map(async (url) => (await fetch(url)).status),
        ),
      );
      expect(statuses).toEqual([403, 403, 403, 403]);
      await context.close();
    }
  });

  it('shows names with markup as text and runs no script from them', async () => {
    const { page, context, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/agents`);
    const row = page.getByRole('row').filter({ hasText: '<script>' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(HOSTILE);
    await page.goto(`${t.base}/admin/users`);
    await expect.poll(() => page.getByRole('cell', { name: HOSTILE }).count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __hacked?: number }).__hacked)).toBeUndefined();
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sets an agent’s languages and capacity', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/agents`);
    await page.getByRole('button', { name: `Edit ${HOSTILE}` }).click();
    const form = page.getByRole('region', { name: `Edit ${HOSTILE}` });
    await form.getByRole('checkbox', { name: /IT\)/ }).check();
    await form.getByRole('checkbox', { name: 'Italian' }).check();
    await form.getByRole('checkbox', { name: 'German' }).check();
    await form.getByLabel('Capacity').fill('3');
    await expectAccessible(page);
    await screenshot(page, 'admin-agent-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    const row = page.getByRole('row').filter({ hasText: '<script>' });
    await expect.poll(() => row.textContent()).toContain('it, de');
    expect(await row.textContent()).toContain('3');
    const profile = await sql<{ languages: string[]; capacity: number }>`select p.languages, p.capacity
      from agent_profile p join app_user u on u.id = p.user_id where u.email = ${agent}`.execute(t.db);
    expect(profile.rows[0]).toEqual({ languages: ['it', 'de'], capacity: 3 });
    await context.close();
  });

  it('reads in German and fits a phone, with no serious accessibility problem', async () => {
    const { page, context, problems } = await openPage(browser, { phone: true });
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/marketplaces/IT?lang=de`);
    await page.getByLabel(/Language|Sprache/).selectOption('de');
    await expect.poll(() => page.locator('h1').textContent()).toContain('Regeln von');
    await expect.poll(() => page.getByTestId('return-window-in-force').count()).toBe(1);
    expect(await widerThanScreen(page)).toEqual([]);
    await expectAccessible(page);
    await expectWhollyIn(page, 'de', ADMIN_NAMESPACES);
    await screenshot(page, 'admin-policies-de-phone');
    for (const path of [
      '/admin/users',
      '/admin/api-keys',
      '/admin/webhooks',
      '/admin/outbox',
      '/admin/saved-replies',
    ]) {
      await page.goto(`${t.base}${path}`);
      await expect.poll(() => page.locator('h1').count()).toBe(1);
      await page.locator('main table, main .table-empty, main p').first().waitFor();
      expect(await widerThanScreen(page)).toEqual([]);
      await expectAccessible(page);
      await expectWhollyIn(page, 'de', ADMIN_NAMESPACES);
    }
    await screenshot(page, 'admin-outbox-de-phone');
    expect(problems).toEqual([]);
    await context.close();
  });
});
