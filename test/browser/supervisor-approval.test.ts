// The supervisor's pages in a real browser: an agent's refund above their limit waits for approval;
// the supervisor sees it on their board with the queues, approves it with a note, and the agent's
// case shows the refund — in English and in German for the supervisor.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { texts } from '../../src/web/modules/cases/texts';
import { consoleWorld, HOSTILE_MESSAGE } from './agent-world';
import { describeBrowser, expectAccessible, launchBrowser, openPage, screenshot, signIn } from './harness';
import { expectWhollyIn } from './translated';

describeBrowser('supervisor pages', () => {
  let w: Awaited<ReturnType<typeof consoleWorld>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    w = await consoleWorld();
    browser = await launchBrowser();
    // Agents may grant up to 10.00 EUR alone.
    await sql`insert into approval_limit (marketplace_id, role, effective_from, max_amount)
      values ('IT', 'agent', '-infinity', 1000)`.execute(w.t.db);
  });

  for (const [lang, orderId] of [
    ['en', 'O-H3'],
    ['de', 'O-H4'],
  ] as const)
    it(`approves an agent's refund above the limit (${lang})`, async () => {
      const words = texts.en;
      await w.setAvailable(true);
      const caseNumber = await w.openCase(orderId, HOSTILE_MESSAGE);
      await w.setAvailable(false);

      // The agent asks for 15.00: more than their limit, so it goes to a supervisor.
      const agent = await openPage(browser);
      await signIn(agent.page, w.t.base, w.emails.agent);
      await agent.page.goto(`${w.t.base}/agent/cases/${caseNumber}?lang=en`);
      await agent.page.locator('#concession-reason').selectOption('goodwill');
      await agent.page.getByRole('button', { name: words.showOptions }).click();
      const refund = agent.page.locator('input[name=concession-action][value=partial_refund]');
      await refund.check();
      await agent.page.getByLabel(words.amount.replace('{{lineNo}}', '1')).fill('15.00');
      await agent.page.locator('#concession-title ~ form button[type=submit]').click();
      await expect
        .poll(() => agent.page.locator('#concession-title ~ [role=status]').textContent())
        .toContain(words.concession_pending_approval);
      await screenshot(agent.page, `agent-concession-pending-${lang}`);

      // The supervisor sees it waiting, with the queue board, and approves it.
      const sup = await openPage(browser);
      const say = texts[lang];
      await signIn(sup.page, w.t.base, w.emails.supervisor);
      await sup.page.goto(`${w.t.base}/supervisor?lang=${lang}`);
      await expect.poll(() => sup.page.locator('h1').textContent()).toBe(say.supervisorTitle);
      const item = sup.page.locator('li', { hasText: caseNumber }).filter({ has: sup.page.locator('input') });
      await expect.poll(() => item.count()).toBe(1);
      expect(await item.textContent()).toMatch(/15[.,]00/);
      await expect
        .poll(() => sup.page.locator('#board-title ~ section table tbody').textContent())
        .toContain('IT:it');
      // The waiting refund's action and reason in words, not codes (partial_refund, goodwill).
      await expectWhollyIn(sup.page, lang, ['cases', 'codes', 'shared']);
      await item.getByLabel(say.approvalNote).fill('Goodwill agreed: a loyal buyer.');
      await item.getByRole('button', { name: say.approve }).click();
      await expect.poll(() => sup.page.getByText(say.noApprovals).count()).toBe(1);
      expect(await sup.page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      await expectAccessible(sup.page);
      await expectWhollyIn(sup.page, lang, ['cases', 'codes', 'shared']);
      await screenshot(sup.page, `supervisor-home-${lang}`);

      const issued = await sql<{ status: string; approved_by: string | null }>`
        select k.status, k.approved_by from concession k join cs_case c on c.id = k.case_id
        where c.case_number = ${caseNumber}`.execute(w.t.db);
      expect(issued.rows).toEqual([{ status: 'issued', approved_by: expect.any(String) }]);
      expect(agent.problems).toEqual([]);
      expect(sup.problems).toEqual([]);
      await agent.context.close();
      await sup.context.close();
    });

  it('shows the supervisor board usable on a phone-sized screen', async () => {
    const { page, context, problems } = await openPage(browser, { phone: true });
    await signIn(page, w.t.base, w.emails.supervisor);
    await page.goto(`${w.t.base}/supervisor?lang=it`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(texts.it.supervisorTitle);
    await expect.poll(() => page.getByText(texts.it.boardTitle).count()).toBe(1);
    await expectAccessible(page);
    await expectWhollyIn(page, 'it', ['cases', 'codes', 'shared']);
    await screenshot(page, 'supervisor-home-phone-it');
    expect(problems).toEqual([]);
    await context.close();
  });
});
