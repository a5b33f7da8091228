// The web foundation in a real browser: one sign-in page, each role's home, the language switch,
// errors in words, access to pages by role, the CSP header, accessibility, a phone-sized screen.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
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

describeBrowser('web foundation', () => {
  let t: BrowserApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const emails: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp();
    browser = await launchBrowser();
    await t.seed(twoSellers());
    const idOf = async (table: 'seller' | 'buyer', externalId: string) =>
      (
        await sql<{
          id: string;
        }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(t.db)
      ).rows[0]!.id;
    emails.agent = await t.user('agent', { displayName: 'Giulia Agent' });
    emails.supervisor = await t.user('supervisor');
    emails.admin = await t.user('admin');
    emails.claims_reviewer = await t.user('claims_reviewer');
    emails.seller = await t.user('seller', { sellerId: await idOf('seller', 'S-A') });
    emails.buyer = await t.user('buyer', { buyerId: await idOf('buyer', 'B-1') });
  });

  const homes = [
    ['agent', '/agent', 'Agent console'],
    ['supervisor', '/supervisor', 'Supervisor'],
    ['admin', '/admin', 'Administration'],
    ['claims_reviewer', '/claims', 'Claims review'],
    ['seller', '/seller', 'Your services'], // the seller portal's home (docs/portal.md)
    // B-1's only order is in IT: the buyer's home (/help) takes her on to that shop's Contact Us.
    ['buyer', '/help/IT', 'Contact us · Marketplace Italia'],
  ] as const;

  for (const [role, home, title] of homes)
    it(`signs a ${role} in and lands on ${home}, which says what it is`, async () => {
      const { page, context, problems } = await openPage(browser);
      await signIn(page, t.base, emails[role]!);
      await page.waitForURL((url) => url.pathname === home);
      await expect.poll(() => page.locator('h1').textContent()).toBe(title);
      await expectAccessible(page);
      await screenshot(page, `home-${role}`);
      expect(problems).toEqual([]);
      await context.close();
    });

  it('serves every page with a Content-Security-Policy that allows no inline script', async () => {
    for (const path of ['/signin', '/help/IT', '/agent', '/seller']) {
      const res = await fetch(`${t.base}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('shows a wrong password as words, in the page language, and stays on the sign-in page', async () => {
    const { page, context, problems } = await openPage(browser);
    await page.goto(`${t.base}/signin?lang=it`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Accedi');
    await page.getByLabel('E-mail').fill(emails.agent!);
    await page.locator('input[type=password]').fill('not the password');
    await page.locator('form button[type=submit]').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('E-mail o password errate.');
    expect(new URL(page.url()).pathname).toBe('/signin');
    await expectAccessible(page);
    await screenshot(page, 'signin-error-it');
    // The refused login is a 401 the browser logs; nothing else may be.
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it('switches language from the layout, and keeps the choice', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, t.base, emails.agent!);
    for (const [language, title] of [
      ['de', 'Agenten-Konsole'],
      ['fr', 'Console de l’agent'],
      ['es', 'Consola del agente'],
      ['it', 'Console dell’operatore'],
    ] as const) {
      await page.getByLabel(/Language|Lingua|Idioma|Langue|Sprache/).selectOption(language);
      await expect.poll(() => page.locator('h1').textContent()).toBe(title);
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
    }
    await page.reload();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Console dell’operatore');
    await screenshot(page, 'home-agent-it');
    await context.close();
  });

  it('sends an anonymous visitor to sign in, then on to the page they asked for', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${t.base}/supervisor`);
    await page.waitForURL(/\/signin\?next=/);
    await page.getByLabel('E-mail').fill(emails.supervisor!);
    await page.locator('input[type=password]').fill('correct horse battery staple');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/supervisor');
    await context.close();
  });

  it('tells a seller that an admin page is not for their role, and an unknown page is not found', async () => {
    const { page, context } = await openPage(browser);
    await signIn(page, t.base, emails.seller!);
    await page.goto(`${t.base}/admin`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Not for your role');
    await page.goto(`${t.base}/seller/nothing/here`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Page not found');
    await context.close();
  });

  it('fits a phone-sized screen and signs out', async () => {
    const { page, context } = await openPage(browser, { phone: true });
    await signIn(page, t.base, emails.seller!);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
    await expectAccessible(page);
    await screenshot(page, 'home-seller-phone');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/signin');
    await context.close();
  });
});

const startApp = () => import('./harness').then((h) => h.startBrowserApp());
