// Live chats in the console, in a real browser against a real buyer on the chat socket: the chat the
// buyer hands off shows in the agent's queue; its page shows the conversation and the buyer typing; the
// agent's reply reaches the buyer and the buyer's answer appears without a reload. The keyboard does
// the work (R reply, X resolve, N next case, ? the list of keys). A supervisor watches the chat and
// takes it over: the agent is told, the buyer gets the supervisor's answer.
import { SignJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { texts } from '../../src/web/modules/cases/texts';
import { ChatClient } from '../helpers/chat-client';
import { consoleWorld } from './agent-world';
import { describeBrowser, expectAccessible, launchBrowser, openPage, screenshot, signIn } from './harness';

describeBrowser('live chats in the console', () => {
  let w: Awaited<ReturnType<typeof consoleWorld>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let buyer: ChatClient;
  let caseNumber: string;
  let conversationId: string;
  let agent: Awaited<ReturnType<typeof openPage>>;
  const words = texts.en;

  beforeAll(async () => {
    w = await consoleWorld();
    browser = await launchBrowser();
    const iat = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('B-H')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .sign(new TextEncoder().encode(w.t.config.buyerTokenSecret));
    // The agent is available: the chat the buyer hands off becomes hers at once.
    await w.setAvailable(true);
    buyer = await ChatClient.connect(w.t.port);
    buyer.send({ type: 'hello', token });
    await buyer.next('welcome');
    buyer.send({ type: 'start', marketplace: 'IT', language: 'it', orderId: 'O-H3' });
    conversationId = (await buyer.next('joined')).conversation.id;
    buyer.send({ type: 'message', clientMessageId: 'b1', text: 'Il pacco <b>non</b> è arrivato intero' });
    await buyer.next('ack');
    buyer.send({ type: 'handoff' });
    const handedOff = await buyer.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    caseNumber = handedOff.caseNumber!;
    await w.setAvailable(false);
    return () => buyer.close();
  });

  it('shows the chat in the queue; the agent answers by keyboard and the buyer’s reply arrives live', async () => {
    agent = await openPage(browser);
    const { page } = agent;
    await signIn(page, w.t.base, w.emails.agent);
    await page.goto(`${w.t.base}/agent?lang=en`);
    const row = page.locator('tbody tr', { hasText: caseNumber });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain(words.channel_chat);
    await screenshot(page, 'live-chat-queue');

    await row.getByRole('link', { name: caseNumber }).click();
    await page.waitForURL((u) => u.pathname === `/agent/cases/${caseNumber}`);
    const chat = page.locator('.live-chat');
    await expect
      .poll(() => chat.locator('.message.from-buyer .message-body').first().textContent())
      .toBe('Il pacco <b>non</b> è arrivato intero');

    // The buyer types: the agent sees it.
    buyer.send({ type: 'typing' });
    await expect
      .poll(() => chat.locator('.hint').textContent())
      .toBe(words.typing.replace('{{name}}', words.author_buyer));

    // R puts the cursor in the chat's message box; the agent's typing reaches the buyer, then her answer.
    await page.locator('h1').click();
    await page.keyboard.press('r');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(`chat-text-${conversationId}`);
    await page.keyboard.type('Mi dispiace, controllo subito <i>ora</i>');
    await buyer.next('typing', (f) => f.from === 'agent');
    await chat.getByRole('button', { name: words.send }).click();
    const answer = await buyer.next('message', (m) => m.from === 'agent');
    expect(answer.text).toBe('Mi dispiace, controllo subito <i>ora</i>');
    expect(answer.authorName).toBe('Giulia');
    await expect.poll(() => chat.locator('textarea').inputValue()).toBe('');

    // The buyer answers: it appears on the open page, no reload.
    buyer.send({ type: 'message', clientMessageId: 'b2', text: 'Grazie, aspetto' });
    await expect
      .poll(() => chat.locator('.message.from-buyer .message-body').last().textContent())
      .toBe('Grazie, aspetto');
    expect(await chat.locator('.message.from-agent .message-body').last().textContent()).toBe(
      'Mi dispiace, controllo subito <i>ora</i>',
    );

    // Escape leaves the box; "?" lists the keys in a dialog, Escape closes it.
    await chat.locator('textarea').focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: words.shortcutsTitle });
    await expect.poll(() => help.isVisible()).toBe(true);
    for (const key of ['shortcutReply', 'shortcutNext', 'shortcutResolve'] as const)
      expect(await help.textContent()).toContain(words[key]);
    await expectAccessible(page);
    await screenshot(page, 'live-chat-agent');
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);

    // X goes to the resolve form.
    await page.keyboard.press('x');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('resolve-note');
    expect(agent.problems).toEqual([]);
  });

  it('a supervisor watches the chat and takes it over; the agent is told, the buyer hears the supervisor', async () => {
    const sup = await openPage(browser);
    await signIn(sup.page, w.t.base, w.emails.supervisor);
    await sup.page.goto(`${w.t.base}/supervisor?lang=en`);
    await sup.page.locator('#watch-case').fill(caseNumber);
    await sup.page.locator('#watch-title ~ form button[type=submit]').click();
    const watched = sup.page.locator('.live-chat');
    await expect
      .poll(() => watched.locator('.message.from-agent .message-body').last().textContent())
      .toBe('Mi dispiace, controllo subito <i>ora</i>');
    // Watching is reading: no message box until the supervisor takes over.
    expect(await watched.locator('textarea').count()).toBe(0);
    buyer.send({ type: 'message', clientMessageId: 'b3', text: 'Ci siete?' });
    await expect
      .poll(() => watched.locator('.message.from-buyer .message-body').last().textContent())
      .toBe('Ci siete?');

    await watched.getByRole('button', { name: words.takeOver }).click();
    await expect
      .poll(() => agent.page.locator('.live-chat [role=status]').textContent())
      .toBe(words.chatNotice.replace('{{notice}}', words.chatReleased_taken_over));
    expect(await agent.page.locator('.live-chat textarea').count()).toBe(0);

    await watched.locator('textarea').fill('Sono Marco, il supervisore: la aiuto io');
    await watched.getByRole('button', { name: words.send }).click();
    const fromSupervisor = await buyer.next(
      'message',
      (m) => m.from === 'agent' && m.text.startsWith('Sono Marco'),
    );
    expect(fromSupervisor.authorName).toBe('Marco');
    await expectAccessible(sup.page);
    await screenshot(sup.page, 'live-chat-supervisor');
    expect(sup.problems).toEqual([]);
    await sup.context.close();
    await agent.context.close();
  });

  it('N takes the next waiting case from the queue page and from a case', async () => {
    const first = await w.openCase('O-H1', 'Il primo pacco', 'en');
    const second = await w.openCase('O-H2', 'Il secondo pacco', 'en');
    await w.setAvailable(true);
    const { page, context, problems } = await openPage(browser);
    await signIn(page, w.t.base, w.emails.agent);
    await page.goto(`${w.t.base}/agent?lang=en`);
    await expect.poll(() => page.locator('h1').textContent()).toBe(words.agentTitle);
    await page.keyboard.press('n');
    await page.waitForURL((u) => u.pathname === `/agent/cases/${first}`);
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe(words.caseTitle.replace('{{caseNumber}}', first));
    await page.keyboard.press('n');
    await page.waitForURL((u) => u.pathname === `/agent/cases/${second}`);
    // Typing an "n" in a field is text, not a shortcut.
    await page.locator('#resolve-note').fill('');
    await page.locator('#resolve-note').press('n');
    expect(await page.locator('#resolve-note').inputValue()).toBe('n');
    expect(new URL(page.url()).pathname).toBe(`/agent/cases/${second}`);
    expect(problems).toEqual([]);
    await context.close();
    await w.setAvailable(false);
  });
});
