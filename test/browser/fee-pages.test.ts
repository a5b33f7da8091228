// The fee pages in a real browser on the fee demo (src/server/main/demo-fees.ts): a seller sees its band
// and last month's fee explained, with charts against the band lines, and contests a counted contact;
// staff accept it and the seller sees it taken out; an admin sees the operator metrics as charts and
// simulates a draft schedule; seller support asked and answered; a phone-sized page that fits.
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { loadFeesDemo } from '../../src/server/main/demo-fees';
import { addMonths, monthOf } from '../../src/server/modules/billing';
import { marketplaces } from '../helpers/fixtures';
import {
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startBrowserApp,
} from './harness';

/** The figures a chart shows in words (its aria-label) and in its table, by the chart's title. */
async function chart(page: Page, title: string) {
  const figure = page.getByRole('figure', { name: title });
  await figure.waitFor();
  const words = (await figure.getByRole('img').getAttribute('aria-label')) ?? '';
  const table = await figure
    .locator('.chart-figures table')
    .evaluate((t) =>
      [...t.querySelectorAll('tr')].map((r) => [...r.children].map((c) => c.textContent ?? '')),
    );
  const canvas = await figure.locator('canvas').count();
  return { words, table, canvas };
}

/** The table row of an order (FEE-US-C-O1 is not FEE-US-C-O10). */
const orderRow = (page: Page, order: string) =>
  page.getByRole('row').filter({ has: page.getByRole('cell', { name: order, exact: true }) });

const widerThanScreen = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describeBrowser('fee pages', () => {
  let t: BrowserApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let seller: string;
  let admin: string;
  let supervisor: string;
  const lastMonth = addMonths(monthOf(new Date(), 'America/New_York'), -1);
  let contestedOrder = '';

  beforeAll(async () => {
    t = await startBrowserApp();
    browser = await launchBrowser();
    await t.seed(marketplaces());
    expect(await loadFeesDemo(t.db)).toEqual({ loaded: true });
    const sellerId = (
      await sql<{ id: string }>`select id from seller where external_id = 'FEE-US-C'`.execute(t.db)
    ).rows[0]!.id;
    seller = await t.user('seller', { sellerId });
    admin = await t.user('admin', { displayName: 'Ada Admin' });
    supervisor = await t.user('supervisor', { displayName: 'Sam Supervisor' });
  });

  it('the demo seller sees its band and last month’s fee explained, over time against the band lines', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, seller);
    await page.getByRole('link', { name: 'Fees', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/seller/fees');
    const monthName = new Intl.DateTimeFormat('en', {
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(Date.parse(`${lastMonth}-01T00:00:00Z`));
    await page.getByRole('heading', { name: `Last charge: ${monthName}` }).waitFor();
    const explained = (await page.getByTestId('fee-explanation').textContent()) ?? '';
    // FEE-US-C: 50 contacts on 200 units = 25 %, band 3 of the US schedule ($0.50), tracking 97 % → 30 % off.
    expect(explained).toContain(
      '50 contacts on your 200 units shipped, 25% contacts per unit: band 3 (up to 30%), $0.50 per unit.',
    );
    expect(explained).toContain('Target met: 30 % off for this band.');
    expect(explained).toContain('Fee: 60 units × $0.50, 30 % off = $21.00.');

    const cpu = await chart(page, 'Contacts per unit against the band edges');
    expect(cpu.canvas).toBe(1);
    expect(cpu.words).toContain(`${monthName} 25%`);
    // The band lines of the US schedule: 5 %, 15 %, 30 %.
    expect(cpu.table[0]).toEqual([
      '',
      'Contacts per unit',
      'Band 1 edge (5%)',
      'Band 2 edge (15%)',
      'Band 3 edge (30%)',
    ]);
    const tracking = await chart(page, 'Valid tracking rate against the target');
    expect(tracking.table.find((r) => r[0] === monthName)).toEqual([monthName, '97%', '95%']);
    const fees = await chart(page, 'Fee per month (USD)');
    expect(fees.table.find((r) => r[0] === monthName)).toEqual([monthName, '$21.00', '$21.00']);
    expect(await page.getByTestId('fees-next').textContent()).toMatch(/contacts on \d+ units/);
    await expectAccessible(page);
    await screenshot(page, 'fees-seller');
    expect(problems).toEqual([]);
  });

  it('the seller contests a counted contact; staff accept it; the seller sees it no longer counted', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, seller);
    await page.goto(`${t.base}/seller/fees`);
    const contest = page.getByRole('button', { name: /^Contest the contact about order / }).first();
    await contest.waitFor();
    contestedOrder = ((await contest.getAttribute('aria-label')) ?? '').replace(
      'Contest the contact about order ',
      '',
    );
    await contest.click();
    const form = page.getByRole('form', { name: `Contest the contact about order ${contestedOrder}` });
    await form.getByLabel('Reason').selectOption({ label: 'A duplicate' });
    await form.getByLabel('Comment (optional)').fill('<b>The buyer wrote twice</b>');
    await form.getByRole('button', { name: 'Send the contest' }).click();
    const row = orderRow(page, contestedOrder);
    await expect.poll(() => row.textContent()).toContain('Contested, waiting for a decision');
    await expectAccessible(page);
    expect(problems).toEqual([]);

    const staff = await openPage(browser);
    await signIn(staff.page, t.base, admin);
    await staff.page.getByRole('link', { name: 'Contests and seller support' }).click();
    await staff.page.waitForURL((u) => u.pathname === '/admin/fees/contests');
    const waiting = orderRow(staff.page, contestedOrder);
    await expect.poll(() => waiting.textContent()).toContain('<b>The buyer wrote twice</b>');
    await expectAccessible(staff.page);
    await screenshot(staff.page, 'fees-contests');
    await staff.page.getByRole('button', { name: `Accept the contest on order ${contestedOrder}` }).click();
    await expect
      .poll(() => staff.page.getByTestId('decision-notice').textContent())
      .toBe(`Contest on order ${contestedOrder} accepted; credited $0.00.`);
    await expect.poll(() => waiting.count()).toBe(0);
    const stored = await sql<{ status: string }>`
      select f.status from fee_contest f join contact c on c.id = f.contact_id join "order" o on o.id = c.order_id
      where o.external_id = ${contestedOrder}`.execute(t.db);
    expect(stored.rows).toEqual([{ status: 'accepted' }]);
    expect(staff.problems).toEqual([]);

    await page.reload();
    await expect
      .poll(() => orderRow(page, contestedOrder).textContent())
      .toContain('Contest accepted: not counted');
  });

  it('an admin sees the operator metrics per day as charts, for a marketplace and a channel', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.getByRole('link', { name: 'Operator metrics' }).click();
    await page.waitForURL((u) => u.pathname === '/admin/metrics');
    await page.getByLabel('Marketplace').selectOption('US');
    // The demo's contacts lie in the three months before last month.
    await page.getByLabel('From').fill(`${addMonths(lastMonth, -3)}-01`);
    const contacts = await chart(page, 'Contacts per reason');
    await expect
      .poll(async () => (await chart(page, 'Contacts per reason')).words)
      .toContain('Enrolled, shipped by the seller');
    const total = (await chart(page, 'Contacts per reason')).table
      .slice(1)
      .reduce((s, r) => s + Number(r[1] ?? 0), 0);
    const inDb = await sql<{
      n: number;
    }>`select count(*)::int as n from contact where marketplace_id = 'US'`.execute(t.db);
    expect(total).toBe(inDb.rows[0]!.n);
    expect(contacts.canvas).toBe(1);
    for (const title of [
      'Chats settled by the bot and handed to a person',
      'Satisfaction (stars out of 5)',
      'First responses within the SLA',
      'Average first response and resolution',
      'Backlog at the end of each day',
    ])
      expect((await chart(page, title)).canvas).toBe(1);
    // One channel alone: the e-mail contacts are a third of the demo's.
    await page.getByLabel('Channel').selectOption({ label: 'E-mail' });
    await expect
      .poll(async () =>
        (await chart(page, 'Contacts per reason')).table.slice(1).reduce((s, r) => s + Number(r[1] ?? 0), 0),
      )
      .toBeLessThan(total);
    await expectAccessible(page);
    await screenshot(page, 'fees-metrics');
    expect(problems).toEqual([]);
  });

  it('an admin lists the fee schedules, simulates a draft on last month and saves it from next month', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.getByRole('link', { name: 'Fee schedules' }).click();
    await page.getByLabel('Marketplace').selectOption('US');
    const list = page.getByRole('region', { name: 'Schedule versions' });
    await expect.poll(() => list.textContent()).toContain('in force this month');
    const draft = page.getByRole('form', { name: 'A new schedule version' });
    expect(await draft.getByLabel('Band 3: rate (USD)').inputValue()).toBe('0.50');
    await draft.getByLabel('Band 3: rate (USD)').fill('1.00');
    const before = await sql<{ n: number }>`select count(*)::int as n from fee_charge`.execute(t.db);
    await draft.getByRole('button', { name: 'Simulate' }).click();
    const total = page.getByTestId('simulation-total');
    // Only seller C is in band 3 in the US: its $21.00 doubles; the other four stay as charged.
    const charged = 60 * 10 + 60 * 25 + 2100 + 60 * 70 + 12 * 25;
    const money = (c: number) => `$${(c / 100).toFixed(2)}`;
    await expect
      .poll(() => total.textContent())
      .toBe(`Charged ${money(charged)}; with the draft ${money(charged + 2100)}; difference ${money(2100)}.`);
    const simTitle = `Charged and simulated per seller, ${new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${lastMonth}-01T00:00:00Z`))}`;
    // Seller C changes most: it comes first, named by its reference.
    await expect
      .poll(async () => (await chart(page, simTitle)).table[1])
      .toEqual(['FEE-US-C', '$21.00', '$42.00']);
    expect((await sql<{ n: number }>`select count(*)::int as n from fee_charge`.execute(t.db)).rows).toEqual(
      before.rows,
    );
    await expectAccessible(page);
    await screenshot(page, 'fees-simulation');

    await draft.getByLabel('Note').fill('Band 3 at one dollar');
    await draft.getByRole('button', { name: 'Save from that day' }).click();
    await expect.poll(() => draft.getByRole('status').textContent()).toMatch(/^Saved\. In force from /);
    await expect.poll(() => list.textContent()).toContain('Band 3 at one dollar');
    expect(problems).toEqual([]);
  });

  it('an admin reads the tracking discounts and saves a new version from next month; a bad one changes nothing', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, admin);
    await page.goto(`${t.base}/admin/fees`);
    await page.getByLabel('Marketplace').selectOption('DE');
    const list = page.getByRole('region', { name: 'Tracking discounts' });
    // Both versions of the real programme: free at CPU ≤ 5 %, later free below 3 % and under 30 orders.
    await expect.poll(() => list.textContent()).toContain('CPU at most 5%');
    expect(await list.textContent()).toContain('CPU below 3% · fewer than 30 orders in three months');
    expect(await list.textContent()).toContain('in force this month');
    const form = page.getByRole('form', { name: 'A new tracking discount version' });
    expect(await form.getByLabel('Valid tracking target (%)').inputValue()).toBe('95');
    expect(await form.getByLabel('Free under this many orders in three months').inputValue()).toBe('30');
    const saved = async () =>
      (
        await sql<{ settings: Record<string, unknown>; note: string }>`select settings, note
          from tracking_discount_policy where marketplace_id = 'DE' order by created_at`.execute(t.db)
      ).rows;
    const before = await saved();

    await form.getByLabel('Note').fill('Too generous');
    await form.getByLabel('Band 3 (up to 30%): percent off').fill('');
    await form.getByRole('button', { name: 'Save the discount from that day' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('whole percentage from 0 to 100');
    await form.getByLabel('Band 3 (up to 30%): percent off').fill('30');
    await form.getByLabel('Band 2 (up to 15%): percent off').fill('150');
    await form.getByRole('button', { name: 'Save the discount from that day' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('whole percentage from 0 to 100');
    expect(await saved()).toEqual(before);

    await form.getByLabel('Band 2 (up to 15%): percent off').fill('40');
    await form.getByLabel('Valid tracking target (%)').fill('97,5');
    await form.getByLabel('Free under this many orders in three months').fill('');
    await form.getByLabel('Note').fill('Stricter target, band 2 at 40 %');
    await form.getByRole('button', { name: 'Save the discount from that day' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toMatch(/^Saved\. In force from /);
    await expect.poll(() => list.textContent()).toContain('Stricter target, band 2 at 40 %');
    // The form now starts from the saved version, without its note: saving again needs a note of its own.
    expect(await form.getByLabel('Valid tracking target (%)').inputValue()).toBe('97.5');
    expect(await form.getByLabel('Note').inputValue()).toBe('');
    const rows = await saved();
    expect(rows).toHaveLength(before.length + 1);
    expect(rows.at(-1)!.settings).toMatchObject({
      trackingTargetBp: 9750,
      freeUnderOrders: null,
      freeCpu: { bp: 300, inclusive: false },
      percentOffByBand: { band_2: 40, band_3: 30, above: 15, default: 50 },
    });
    await expectAccessible(page);
    await screenshot(page, 'fees-tracking-discounts');
    expect(problems).toEqual([]);
  });

  it('a seller gets no staff fee page, and the API refuses it', async () => {
    const { page, problems } = await openPage(browser);
    await signIn(page, t.base, seller);
    for (const path of ['/admin/metrics', '/admin/fees', '/admin/fees/contests']) {
      await page.goto(`${t.base}${path}`);
      await page.getByRole('heading', { name: 'Not for your role' }).waitFor();
    }
    const refused = await page.evaluate(async () =>
      Promise.all(
        [
          '/api/v1/fees/contests?status=open',
          '/api/v1/marketplaces/US/fee-policies',
          '/api/v1/seller-support',
        ].map(async (url) => (await fetch(url)).status),
      ),
    );
    expect(refused).toEqual([403, 403, 403]);
    expect(problems).toEqual([]);
  });

  it('seller support: the seller asks about a charge, staff answer, the seller reads it — on a phone, in Italian', async () => {
    const { page, problems } = await openPage(browser, { phone: true });
    await signIn(page, t.base, seller);
    await page.goto(`${t.base}/seller/support`);
    await page.getByLabel('Subject').selectOption('charge');
    await page.getByLabel(/Month of the charge/).fill(lastMonth);
    await page.getByLabel(/Your question/).fill('Why 30 % off and not more?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Sent. Staff will answer here.');

    const staff = await openPage(browser);
    await signIn(staff.page, t.base, supervisor);
    await staff.page.goto(`${t.base}/admin/fees/contests`);
    const answer = staff.page.getByRole('row').filter({ hasText: 'Why 30 % off and not more?' });
    await answer.getByLabel(/Answer to/).fill('Band 3 earns 30 % off when tracking meets 95 %.');
    await answer.getByRole('button', { name: 'Send the answer' }).click();
    await expect.poll(() => answer.count()).toBe(0);
    expect(staff.problems).toEqual([]);

    await page.goto(`${t.base}/seller/support`);
    await page.getByLabel('Language').first().selectOption('it');
    const mine = page.getByRole('row').filter({ hasText: 'Why 30 % off' });
    await expect.poll(() => mine.textContent()).toContain('Band 3 earns 30 % off when tracking meets 95 %.');
    expect(await mine.textContent()).toContain('Risposta data');
    await page.getByRole('link', { name: 'Commissioni' }).click();
    await page.getByRole('heading', { name: 'Le tue commissioni' }).waitFor();
    await page.getByTestId('fee-explanation').waitFor();
    expect(await widerThanScreen(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);
    await screenshot(page, 'fees-seller-phone');
    expect(problems).toEqual([]);
  });
});
