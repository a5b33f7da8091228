// `npm run screenshots [-- --url http://127.0.0.1:3000]`: against a running demo (`npm start`), signs in
// as each demo role in Chromium and saves its home page to docs/screenshots/ — the README's pictures.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    out: { type: 'string', default: join('docs', 'screenshots') },
  },
});
const base = values.url!.replace(/\/$/, '');
const homes = [
  { name: 'buyer-contact-us', email: 'buyer@demo.onbehalf.test' },
  { name: 'agent-queue', email: 'agent.it@demo.onbehalf.test' },
  { name: 'supervisor-board', email: 'supervisor@demo.onbehalf.test' },
  { name: 'seller-portal', email: 'seller.aurora@demo.onbehalf.test' },
  { name: 'claims-review', email: 'claims@demo.onbehalf.test' },
  { name: 'admin', email: 'admin@demo.onbehalf.test' },
];

await mkdir(values.out!, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (const home of homes) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${base}/signin?lang=en`);
    await page.locator('input[name=email]').fill(home.email);
    await page.locator('input[name=password]').fill('onbehalf-demo');
    await page.locator('form button[type=submit]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    const file = join(values.out!, `${home.name}.png`);
    await page.screenshot({ path: file });
    process.stdout.write(`${file}  ${page.url().replace(base, '')}\n`);
    await context.close();
  }
} finally {
  await browser.close();
}
