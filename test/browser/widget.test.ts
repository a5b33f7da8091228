// The one-tag widget on an operator's page: from an allowed origin it opens the chat, from another
// the chat page refuses to be framed; the host page's CSS does not reach it. And the buyer token in a
// Contact Us link's fragment signs the buyer in without going to the server in a URL.
import { createServer, type Server } from 'node:http';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chatAssistant } from '../../src/server/modules/assistant';
import { buildBotModel } from '../../src/server/modules/bot';
import { twoSellers } from '../helpers/fixtures';
import { freePort } from '../helpers/free-port';
import {
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  startBrowserApp,
} from './harness';

describeBrowser('the one-tag widget', () => {
  let t: BrowserApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let host: Server;
  let hostPort: number;
  let token: string;
  let expiredToken: string;
  /** Every URL the browser requested (pages, frames, sockets are requests too). */
  const seenUrls: string[] = [];
  const watch = (context: import('playwright-core').BrowserContext) =>
    context.on('request', (request) => seenUrls.push(request.url()));

  beforeAll(async () => {
    t = await startBrowserApp({ bot: chatAssistant(buildBotModel()) });
    await t.seed(twoSellers());
    hostPort = await freePort();
    // Only 127.0.0.1 is allowed; the same page as http://localhost:<port> is another origin.
    await sql`update marketplace set widget_origins = ${[`http://127.0.0.1:${hostPort}`]}::text[] where id = 'IT'`.execute(
      t.db,
    );
    const iat = Math.floor(Date.now() / 1000);
    token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('B-1')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 600)
      .sign(new TextEncoder().encode(t.config.buyerTokenSecret));
    // An hour-old token, for the detail page whose own script refreshes it when the chat refuses it.
    expiredToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('B-1')
      .setIssuedAt(iat - 3600)
      .setExpirationTime(iat - 3000)
      .sign(new TextEncoder().encode(t.config.buyerTokenSecret));
    host = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      if (req.url === '/prodotto/P-A')
        return res.end(`<!doctype html><html lang="it"><head><title>Bollitore</title></head>
          <body><h1>Bollitore in acciaio inox</h1>
          <script id="chat" src="${t.base}/widget.js" data-marketplace="IT" data-product="P-A"
            data-buyer-token="${expiredToken}" async></script>
          <script>
            window.refused = 0;
            document.addEventListener('onbehalf:token-refused', () => {
              window.refused += 1;
              document.getElementById('chat').dataset.buyerToken = ${JSON.stringify(token)};
            });
          </script></body></html>`);
      res.end(`<!doctype html><html lang="it"><head><title>Negozio</title>
        <style>* { color: lime !important; font-size: 40px !important; }
          button { background: red !important; border: 9px solid yellow !important; }
          iframe { display: none !important; }</style></head>
        <body><h1>Il negozio</h1>
        <script src="${t.base}/widget.js" data-marketplace="IT" data-buyer-token="${token}" async></script>
        </body></html>`);
    });
    await new Promise<void>((resolve) => host.listen(hostPort, '127.0.0.1', resolve));
    browser = await launchBrowser();
  });
  afterAll(() => new Promise<void>((resolve) => host?.close(() => resolve())));

  const launcher = (page: import('playwright-core').Page) => page.locator('[data-onbehalf-widget] .launcher');

  it('opens the chat on a page of an allowed site, untouched by the page’s CSS', async () => {
    const { page, context, problems } = await openPage(browser);
    watch(context);
    await page.goto(`http://127.0.0.1:${hostPort}/`);
    await launcher(page).waitFor();
    const look = await launcher(page).evaluate((b) => {
      const s = getComputedStyle(b);
      return {
        background: s.backgroundColor,
        color: s.color,
        fontSize: s.fontSize,
        border: s.borderTopWidth,
      };
    });
    expect(look).toEqual({
      background: 'rgb(11, 92, 173)',
      color: 'rgb(255, 255, 255)',
      fontSize: '16px',
      border: '0px',
    });
    expect(await launcher(page).textContent()).toBe('Chatta con noi');
    await launcher(page).click();
    const frame = await expect
      .poll(() => page.frames().find((f) => f.url().includes('/embed/chat')), { timeout: 10_000 })
      .toBeTruthy()
      .then(() => page.frames().find((f) => f.url().includes('/embed/chat'))!);
    await expect
      .poll(
        () =>
          frame
            .locator('.chat-message.from-bot')
            .first()
            .textContent()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('assistente');
    // The iframe shows despite the page's `iframe { display: none !important }`.
    expect(await page.locator('[data-onbehalf-widget] iframe').isVisible()).toBe(true);
    // The token travelled by postMessage: never in a URL the server saw.
    expect(frame.url()).not.toContain(token);
    expect(seenUrls.filter((p) => p.includes(token))).toEqual([]);
    await screenshot(page, 'widget-allowed-site');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a detail page: the chat knows the product, and goes on with a refreshed token when the first has expired', async () => {
    const { page, context, problems } = await openPage(browser);
    await page.goto(`http://127.0.0.1:${hostPort}/prodotto/P-A`);
    await launcher(page).click();
    const frame = await expect
      .poll(() => page.frames().find((f) => f.url().includes('/embed/chat')), { timeout: 10_000 })
      .toBeTruthy()
      .then(() => page.frames().find((f) => f.url().includes('/embed/chat'))!);
    expect(new URL(frame.url()).searchParams.get('product')).toBe('P-A');
    // The expired token was refused, the page heard it once and set a new one, the chat went on.
    await expect
      .poll(
        () =>
          frame
            .locator('.chat-message.from-bot')
            .first()
            .textContent()
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toContain('Bollitore');
    expect(await page.evaluate(() => (window as unknown as { refused: number }).refused)).toBe(1);
    const products = await sql<{ external_id: string }>`select p.external_id from conversation c
      join product p on p.id = c.product_id`.execute(t.db);
    expect(products.rows).toContainEqual({ external_id: 'P-A' });
    await screenshot(page, 'widget-detail-page');
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it('opens Contact Us with the chat about a product when a detail page links to it with ?product=', async () => {
    const { page, context, problems } = await openPage(browser);
    await page.goto(`${t.base}/help/IT?lang=it&product=P-A#token=${token}`);
    await expect
      .poll(
        () =>
          page
            .locator('.chat-message.from-bot')
            .first()
            .textContent()
            .catch(() => ''),
        {
          timeout: 15_000,
        },
      )
      .toContain('Bollitore');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('does not open the chat on a site that is not allowed (frame-ancestors refuses the frame)', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`http://localhost:${hostPort}/`);
    await launcher(page).click();
    await page.waitForTimeout(2500);
    for (const frame of page.frames()) expect(await frame.locator('.chat').count()).toBe(0);
    await screenshot(page, 'widget-disallowed-site');
    await context.close();
  });

  it('refuses to chat when the chat page is opened on its own, without a site around it', async () => {
    const { page, context } = await openPage(browser);
    await page.goto(`${t.base}/embed/chat?marketplace=IT&lang=it`);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('non ha potuto riconoscerti');
    expect(await page.locator('.chat').count()).toBe(0);
    await context.close();
  });

  it('signs the buyer in from #token=… on Contact Us, and takes the token out of the address', async () => {
    const { page, context, problems } = await openPage(browser);
    seenUrls.length = 0;
    watch(context);
    await page.goto(`${t.base}/help/IT?lang=it#token=${token}`);
    await expect.poll(() => page.getByRole('row', { name: /O-A/ }).count()).toBe(1);
    expect(page.url()).not.toContain('token');
    // The fragment of the first address is never sent; every request after it has no token either.
    expect(seenUrls.slice(1).filter((p) => p.includes(token))).toEqual([]);
    await expectAccessible(page);
    expect(problems).toEqual([]);
    await context.close();
  });
});
