// Browser tests: the real app on a free port with its own database, Debian's Chromium driven by
// playwright-core, axe-core on every page looked at, screenshots in test-artifacts/ (git-ignored).
// Without Chromium the tests skip with a message, unless CI=true, where they fail.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/server/main/app';
import type { ChatBot } from '../../src/server/modules/conversations';
import { hashPassword, insertUser } from '../../src/server/modules/identity';
import { applyRecords } from '../../src/server/modules/marketplace';
import { loadConfig } from '../../src/server/platform/config';
import type { UserRole } from '../../src/server/platform/http/access';
import { createLogger } from '../../src/server/platform/log';
import { testDatabase } from '../helpers/database';
import { freePort } from '../helpers/free-port';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = join(import.meta.dirname, '..', '..', 'test-artifacts');
export const BROWSER_PASSWORD = 'correct horse battery staple';

const chromiumMissing = !existsSync(CHROMIUM);
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/**
 * `describe` for browser tests: skips with a clear message where Chromium is missing (a laptop without
 * it), fails in CI (where `.ci/run` installs it).
 */
export function describeBrowser(name: string, body: () => void) {
  if (!chromiumMissing) return describe(name, body);
  if (inCi)
    return describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`Chromium is not at ${CHROMIUM}: install it (apt-get install -y chromium)`);
      });
    });
  console.warn(
    `[browser tests] skipped "${name}": no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
  return describe.skip(name, body);
}

/** The app listening on 127.0.0.1 with the built pages; PUBLIC_URL is its own address (socket origin). */
export async function startBrowserApp(options: { env?: Record<string, string>; bot?: ChatBot } = {}) {
  const database = await testDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    LOAD_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: base,
    ...options.env,
  });
  const app = await buildApp(
    config,
    database.db,
    createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    { databaseUrl: database.url, ...(options.bot ? { bot: options.bot } : {}) },
    { dir: inject('webDir') },
  );
  await app.listen({ host: '127.0.0.1', port });
  afterAll(() => app.close());
  const passwordHash = hashPassword(BROWSER_PASSWORD);

  return {
    app,
    base,
    port,
    config,
    db: database.db,
    database,
    /** Loads marketplace records through the apply engine (fails on any rejection). */
    async seed(records: unknown[]) {
      const result = await database.db.transaction().execute((tx) => applyRecords(tx, records));
      if (result.rejected.length > 0) throw new Error(`seed rejected: ${JSON.stringify(result.rejected)}`);
      return result;
    },
    /** A user who signs in with BROWSER_PASSWORD; returns the e-mail. */
    async user(
      role: UserRole,
      links: {
        sellerId?: string | null;
        buyerId?: string | null;
        displayName?: string;
        languages?: string[];
      } = {},
    ) {
      const email = `${role}-${Math.random().toString(36).slice(2)}@test.example`;
      await insertUser(database.db, {
        email,
        display_name: links.displayName ?? `${role} ${email.slice(role.length + 1, role.length + 5)}`,
        password_hash: await passwordHash,
        role,
        seller_id: links.sellerId ?? null,
        buyer_id: links.buyerId ?? null,
        languages: links.languages ?? ['en'],
      });
      return email;
    },
  };
}
export type BrowserApp = Awaited<ReturnType<typeof startBrowserApp>>;

/** One Chromium for the test file, closed after it. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  afterAll(() => browser.close());
  return browser;
}

export type WatchedPage = {
  page: Page;
  context: BrowserContext;
  /**
   * Uncaught errors, console errors (CSP refusals included), server errors and missing files: a page
   * that has one has a bug. An API's 4xx is the page's business (shown in words), not a problem.
   */
  problems: string[];
};

/** A fresh context (own cookies) and page, phone-sized or desktop, with its errors collected. */
export async function openPage(
  browser: Browser,
  options: { phone?: boolean; locale?: string } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.phone ? { width: 390, height: 800 } : { width: 1280, height: 860 },
    locale: options.locale ?? 'en-GB',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // The browser logs every 4xx fetch; those are judged by the response handler below.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (response.status() >= 500 || (response.status() === 404 && !path.startsWith('/api/')))
      problems.push(`response: ${response.status()} ${path}`);
  });
  return { page, context, problems };
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules). */
export async function accessibilityProblems(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not block it.
  await page.evaluate(await axeSource);
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations;
  })) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Asserts 0 serious/critical axe violations, naming them when there are some. */
export async function expectAccessible(page: Page) {
  const problems = await accessibilityProblems(page);
  expect(
    problems.map(
      (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

/** A full-page PNG in test-artifacts/<name>.png, to look at as a user would. */
export async function screenshot(page: Page, name: string) {
  await mkdir(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in through the /signin page and waits for the role's home. */
export async function signIn(page: Page, base: string, email: string, password = BROWSER_PASSWORD) {
  await page.goto(`${base}/signin`);
  await page
    .getByLabel(/e-mail|correo|e-mail/i)
    .first()
    .fill(email);
  await page.locator('input[type=password]').fill(password);
  await page.locator('form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}
