// The console's remaining pages in a real browser: saved replies kept by a supervisor (list, create
// with placeholders, an unknown placeholder refused, edit, delete); the agent picker where a
// supervisor reassigns a case nobody can take; the files of a buyer's e-mail in the case's thread,
// with a name that is markup shown as text and downloaded as a file.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { buildBotModel } from '../../src/server/modules/bot';
import { handleInbound, parseMail } from '../../src/server/modules/email';
import { texts } from '../../src/web/modules/cases/texts';
import { consoleWorld, HOSTILE_MESSAGE } from './agent-world';
import { describeBrowser, expectAccessible, launchBrowser, openPage, screenshot, signIn } from './harness';
import { expectWhollyIn } from './translated';

const NAMESPACES = ['cases', 'codes', 'shared'] as const;
const HOSTILE_FILE = '<img src=x onerror=window.__pwned=4>foto.png';
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describeBrowser('console pages: saved replies, agent picker, e-mail attachments', () => {
  let w: Awaited<ReturnType<typeof consoleWorld>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    w = await consoleWorld();
    browser = await launchBrowser();
  });

  it('lets a supervisor list, create, edit and delete saved replies with placeholders (it)', async () => {
    const say = texts.it;
    const { page, context, problems } = await openPage(browser);
    await signIn(page, w.t.base, w.emails.supervisor);
    await page.goto(`${w.t.base}/admin/saved-replies?lang=it`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(say.savedRepliesTitle);
    await expect.poll(() => page.getByText(say.savedRepliesEmpty).count()).toBe(1);

    // Create: a title, a text with placeholders inserted by button, for the Italian marketplace only.
    await page.getByRole('button', { name: say.savedReplyNew }).click();
    const form = page.locator('#saved-reply-form ~ form');
    await form.getByLabel(say.savedReplyTitle).fill('Rimborso <b>emesso</b>');
    await form.getByLabel(say.savedReplyMarketplace).selectOption('IT');
    await form.getByLabel(say.savedReplyBody).fill('Gentile ');
    await form.getByRole('button', { name: /\{\{buyerName\}\}/ }).click();
    await form.getByLabel(say.savedReplyBody).press('End');
    await form.getByLabel(say.savedReplyBody).pressSequentially(', ordine ');
    await form.getByRole('button', { name: /\{\{orderNumber\}\}/ }).click();
    expect(await form.getByLabel(say.savedReplyBody).inputValue()).toBe(
      'Gentile {{buyerName}}, ordine {{orderNumber}}',
    );
    // An unknown placeholder is named and cannot be saved.
    await form.getByLabel(say.savedReplyBody).press('End');
    await form.getByLabel(say.savedReplyBody).pressSequentially(' {{nomeCliente}}');
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('{{nomeCliente}}');
    expect(await form.getByRole('button', { name: say.savedReplySave }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await form
      .getByLabel(say.savedReplyBody)
      .fill('Gentile {{buyerName}}, ordine {{orderNumber}} rimborsato.');
    await form.getByRole('button', { name: say.savedReplySave }).click();
    await expect
      .poll(() => page.locator('.admin-notice').textContent())
      .toBe(say.savedReplySaved.replace('{{title}}', 'Rimborso <b>emesso</b>'));
    const row = page.locator('tbody tr', { hasText: 'Rimborso <b>emesso</b>' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('{{buyerName}}');

    // The same title again in the same language and marketplace is refused in words.
    await page.getByRole('button', { name: say.savedReplyNew }).click();
    await form.getByLabel(say.savedReplyTitle).fill('Rimborso <b>emesso</b>');
    await form.getByLabel(say.savedReplyMarketplace).selectOption('IT');
    await form.getByLabel(say.savedReplyBody).fill('Doppione');
    await form.getByRole('button', { name: say.savedReplySave }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toBe(say.savedReplyDuplicate);
    await form.getByRole('button', { name: say.cancel }).click();

    // Edit, then the agent's list has the new text.
    await page
      .getByRole('button', { name: say.savedReplyEditOf.replace('{{title}}', 'Rimborso <b>emesso</b>') })
      .click();
    await form.getByLabel(say.savedReplyTitle).fill('Rimborso emesso');
    await form.getByRole('button', { name: say.savedReplySave }).click();
    await expect.poll(() => page.locator('tbody tr', { hasText: 'Rimborso emesso' }).count()).toBe(1);
    const listed = (await w.supervisorApi('GET', '/api/v1/saved-replies?language=it&marketplace=IT')) as {
      replies: { title: string; marketplace: string | null; body: string }[];
    };
    expect(listed.replies).toEqual([
      expect.objectContaining({
        title: 'Rimborso emesso',
        marketplace: 'IT',
        body: 'Gentile {{buyerName}}, ordine {{orderNumber}} rimborsato.',
      }),
    ]);
    await expectWhollyIn(page, 'it', NAMESPACES);
    await screenshot(page, 'saved-replies-it');

    // Delete asks once more, then the reply is gone.
    await page
      .getByRole('button', { name: say.savedReplyDeleteOf.replace('{{title}}', 'Rimborso emesso') })
      .click();
    await page
      .getByRole('button', { name: say.savedReplyConfirmDelete.replace('{{title}}', 'Rimborso emesso') })
      .click();
    await expect.poll(() => page.getByText(say.savedRepliesEmpty).count()).toBe(1);
    expect(
      ((await w.supervisorApi('GET', '/api/v1/saved-replies?language=it')) as { replies: unknown[] }).replies,
    ).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reassigns a case nobody can take to an agent picked by name, languages and load (de)', async () => {
    const say = texts.de;
    await w.setAvailable(false);
    const caseNumber = await w.openCase('O-H1', HOSTILE_MESSAGE);
    const { page, context, problems } = await openPage(browser);
    await signIn(page, w.t.base, w.emails.supervisor);
    await page.goto(`${w.t.base}/supervisor?lang=de`);
    const item = page.locator('#stuck-title ~ ul > li', { hasText: caseNumber });
    await expect.poll(() => item.count()).toBe(1);
    const id = caseNumber.replace(/[^A-Za-z0-9]/g, '');
    const picker = item.locator(`#reassign-to-${id}`);
    // Giulia (agent, it+en, 0 of 20, marked unavailable) is offered by name, with her languages and load.
    const choice = say.agentAway
      .replace('{{name}}', 'Giulia Rossi')
      .replace('{{languages}}', 'it, en')
      .replace('{{open}}', '0')
      .replace('{{capacity}}', '20');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain(choice);
    // Or a queue: each language the marketplace speaks (not the one the case is in).
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toContain(say.queueChoice.replace('{{queue}}', 'IT:en'));
    expect(await picker.locator('option').allTextContents()).not.toContain(
      say.queueChoice.replace('{{queue}}', 'IT:it'),
    );
    expect(await item.textContent()).toContain(
      'Alle Mitarbeiter dieser Warteschlange sind als nicht verfügbar markiert.',
    );
    await expectAccessible(page);
    await expectWhollyIn(page, 'de', NAMESPACES);
    await picker.selectOption({ label: choice });
    await screenshot(page, 'supervisor-picker-de');
    await item.getByLabel(say.reassignNote).fill('Giulia kennt diese Bestellung.');
    await item.getByRole('button', { name: say.reassign }).click();
    await expect.poll(() => page.locator('#stuck-title ~ ul > li', { hasText: caseNumber }).count()).toBe(0);
    await screenshot(page, 'supervisor-reassign-de');
    const owner = await sql<{ display_name: string }>`
      select u.display_name from cs_case c join app_user u on u.id = c.owner_user_id
      where c.case_number = ${caseNumber}`.execute(w.t.db);
    expect(owner.rows).toEqual([{ display_name: 'Giulia Rossi' }]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reassigns any open case from its page: an agent’s case given to another by name (en)', async () => {
    const say = texts.en;
    await w.setAvailable(true);
    const caseNumber = await w.openCase('O-H3', HOSTILE_MESSAGE);
    await w.setAvailable(false);
    const { page, context, problems } = await openPage(browser);
    await signIn(page, w.t.base, w.emails.supervisor);
    await page.goto(`${w.t.base}/agent/cases/${caseNumber}?lang=en`);
    const section = page.locator('#reassign-title ~ form');
    const picker = section.getByLabel(say.reassignTo);
    const choice = say.agentAway
      .replace('{{name}}', 'Marco Bianchi')
      .replace('{{languages}}', 'it, en')
      .replace('{{open}}', '0')
      .replace('{{capacity}}', '20');
    await expect.poll(() => picker.locator('option').allTextContents()).toContain(choice);
    await picker.selectOption({ label: choice });
    await section.getByLabel(say.reassignNote).fill('I take this one myself.');
    await section.getByRole('button', { name: say.reassign }).click();
    await expect
      .poll(() => page.locator('.history').textContent())
      .toContain('Reassigned · supervisor I take this one myself.');
    await expectAccessible(page);
    await expectWhollyIn(page, 'en', NAMESPACES);
    const owner = await sql<{ display_name: string }>`
      select u.display_name from cs_case c join app_user u on u.id = c.owner_user_id
      where c.case_number = ${caseNumber}`.execute(w.t.db);
    expect(owner.rows).toEqual([{ display_name: 'Marco Bianchi' }]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the files of the buyer’s e-mail in the case, a hostile name as text, and downloads one', async () => {
    await w.setAvailable(false);
    const caseNumber = await w.openCase('O-H2', 'Vi scrivo anche per e-mail');
    const boundary = 'b-onbehalf';
    const raw = [
      'From: Zoe <zoe@buyers.example>',
      `To: support-it@${w.t.config.mailDomain}`,
      `Subject: La foto [${caseNumber}]`,
      `Message-ID: <photo-${Date.now()}@buyers.example>`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Ecco la foto del pacco rotto.',
      `--${boundary}`,
      `Content-Type: image/png; name="${HOSTILE_FILE}"`,
      `Content-Disposition: attachment; filename="${HOSTILE_FILE}"`,
      'Content-Transfer-Encoding: base64',
      '',
      PNG.toString('base64'),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const mail = await parseMail(Buffer.from(raw));
    const result = await w.t.db.transaction().execute((tx) =>
      handleInbound(
        tx,
        mail,
        `support-it@${w.t.config.mailDomain}`,
        {
          domain: w.t.config.mailDomain,
          replyTokenSecret: w.t.config.replyTokenSecret,
          bot: buildBotModel(),
          maxAttachmentBytes: 100_000,
          maxAttachments: 3,
        },
        new Date(),
      ),
    );
    expect(result).toEqual({ kind: 'case_message', caseNumber });

    const say = texts.en;
    const { page, context, problems } = await openPage(browser);
    await signIn(page, w.t.base, w.emails.supervisor);
    await page.goto(`${w.t.base}/agent/cases/${caseNumber}?lang=en`);
    const link = page.locator('#attachments-title ~ ul a');
    await expect.poll(() => link.textContent()).toBe(HOSTILE_FILE);
    expect(await page.locator('#attachments-title ~ ul img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await link.getAttribute('aria-label')).toBe(
      say.attachmentDownload.replace('{{name}}', HOSTILE_FILE),
    );
    expect(await page.locator('#attachments-title ~ ul').textContent()).toContain('zoe@buyers.example');
    await expectAccessible(page);
    await screenshot(page, 'agent-case-attachment');

    // The download is the file itself, always as an attachment, never rendered by the browser.
    const download = await context.request.get(`${w.t.base}${await link.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment; /);
    expect(download.headers()['content-disposition']).toContain(encodeURIComponent(HOSTILE_FILE));
    expect(download.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await download.body()).equals(PNG)).toBe(true);
    // Sellers never reach what the buyer sent customer service (K5).
    await expect(w.sellerApi('GET', `/api/v1/cases/${caseNumber}/attachments`)).rejects.toThrow(/: 403 /);
    expect(problems).toEqual([]);
    await context.close();
  });
});
