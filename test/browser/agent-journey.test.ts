// The agent console in a real browser: an agent takes a case from the queue, answers with a saved
// reply, asks the seller (and sees the answer arrive), authorises a return and resolves it — in English,
// Italian and German, each page checked to be wholly in its language (no code, no missing or English
// text); hostile names and messages are shown as text and run nothing.
import { beforeAll, expect, it } from 'vitest';
import { texts } from '../../src/web/modules/cases/texts';
import { consoleWorld, HOSTILE_MESSAGE, HOSTILE_NAME } from './agent-world';
import { describeBrowser, expectAccessible, launchBrowser, openPage, screenshot, signIn } from './harness';
import { expectWhollyIn } from './translated';

const NAMESPACES = ['cases', 'codes', 'shared'] as const;

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

  // The page's language and the case's: a German-speaking agent works an Italian case.
  for (const [lang, orderId, caseLanguage] of [
    ['en', 'O-H1', 'en'],
    ['it', 'O-H2', 'it'],
    ['de', 'O-H3', 'it'],
  ] as const)
    it(`takes a case, replies, asks the seller, authorises a return and resolves it (${lang})`, async () => {
      const words = texts[lang];
      await w.setAvailable(false);
      const caseNumber = await w.openCase(orderId, HOSTILE_MESSAGE, caseLanguage);
      await w.setAvailable(true);
      const { page, context, problems } = await openPage(browser);
      await signIn(page, w.t.base, w.emails.agent);
      await page.goto(`${w.t.base}/agent?lang=${lang}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(words.agentTitle);
      await expectAccessible(page);
      await expectWhollyIn(page, lang, NAMESPACES);

      // Take next: the waiting case opens; back in the queue it is listed, its topic in words.
      await page.getByRole('button', { name: words.takeNext }).click();
      await page.waitForURL((u) => u.pathname === `/agent/cases/${caseNumber}`);
      await page.goBack();
      await expect.poll(() => page.locator('tbody tr', { hasText: caseNumber }).count()).toBe(1);
      await expectWhollyIn(page, lang, NAMESPACES);
      await screenshot(page, `agent-queue-${lang}`);
      await page.locator('tbody tr a', { hasText: caseNumber }).click();
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
        .selectOption({ label: caseLanguage === 'it' ? 'Reso avviato' : 'Return started' });
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
      await page.locator('#resolve-note').fill('Label sent, parcel insured.');
      await page.locator('#resolve-title ~ form button[type=submit]').click();
      await expect
        .poll(() => page.locator('#resolve-title ~ [role=status]').textContent())
        .toBe(words.resolved);
      await expect.poll(() => page.locator('.case-status').textContent()).toContain(words.status_resolved);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      await expectAccessible(page);
      // The history, the order's scans and returns, the options' rules: words, never codes.
      await page.locator('#concession-reason').selectOption('defective_or_damaged');
      await page.getByRole('button', { name: words.showOptions }).click();
      await page.locator('input[name=concession-action]').first().waitFor();
      await expectWhollyIn(page, lang, NAMESPACES);
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
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => page.locator('tbody').textContent()).toContain(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await expectAccessible(page);
    await expectWhollyIn(page, 'en', NAMESPACES);
    await screenshot(page, 'agent-search-phone');
    expect(problems).toEqual([]);
    await context.close();
  });
});
