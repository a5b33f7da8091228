// The buyer's journey in a real browser: sign in, Contact Us with orders and channels, a chat with the
// bot (a topic, an order, where is it, a person). Each step is its own test on one page, in order, so
// the steps that need the conversations work (an agent joins and answers, the buyer rates) are added
// after the last one here.
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { chatAssistant } from '../../src/server/modules/assistant';
import { buildBotModel } from '../../src/server/modules/bot';
import { enrol } from '../../src/server/modules/programs';
import { ChatClient } from '../helpers/chat-client';
import { order, product, twoSellers } from '../helpers/fixtures';
import {
  BROWSER_PASSWORD,
  type BrowserApp,
  describeBrowser,
  expectAccessible,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startBrowserApp,
  type WatchedPage,
} from './harness';

const XSS_TITLE = '<img src=x onerror="window.__xss=1">Bollitore <script>window.__xss=2</script>';

describeBrowser('Contact Us and the chat (buyer journey)', () => {
  let t: BrowserApp;
  let w: WatchedPage;
  let agent: ChatClient;
  let agentHeaders: Record<string, string>;
  let conversationId: string;
  const botMessages = () => w.page.locator('.chat-message.from-bot, .chat-message.from-system');

  beforeAll(async () => {
    t = await startBrowserApp({ bot: chatAssistant(buildBotModel()) });
    await t.seed([
      ...twoSellers(),
      product('P-X', 'S-A', {
        pages: [
          {
            marketplace: 'IT',
            language: 'it',
            title: XSS_TITLE,
            bulletPoints: ['Capacità di 1,7 litri', 'Spegnimento automatico quando l’acqua bolle'],
            description: 'Bollitore elettrico in acciaio inox. Base girevole a 360 gradi.',
          },
        ],
      }),
      order('O-IT-1', 'S-A', 'B-1', 'P-X', {
        orderedAt: '2026-03-10T10:00:00Z',
        promisedDeliveryDate: '2099-01-01',
      }),
      {
        type: 'shipment',
        externalId: 'SH-1',
        orderExternalId: 'O-IT-1',
        carrier: 'BRT',
        trackingNumber: 'BRT123',
        shippedAt: '2026-03-10T16:00:00Z',
        events: [{ code: 'in_transit', occurredAt: '2026-03-11T08:00:00Z' }],
      },
    ]);
    // S-A is in the managed service, so the marketplace's agents answer its orders.
    const sellerA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
      .rows[0]!.id;
    await t.db.transaction().execute((tx) => enrol(tx, sellerA, 'IT', 'seller', new Date('2026-01-01')));
    await sql`update marketplace set support_phone = '+39 02 1234 5678',
      support_phone_hours = '{"days":[1,2,3,4,5],"opens":"09:00","closes":"18:00"}' where id = 'IT'`.execute(
      t.db,
    );
    const buyerId = (await sql<{ id: string }>`select id from buyer where external_id = 'B-1'`.execute(t.db))
      .rows[0]!.id;
    const email = await t.user('buyer', { buyerId, displayName: '<script>window.__xss=3</script>Mario' });
    // Giulia, an Italian agent who is available, connected to the chat socket before the buyer asks.
    const agentEmail = await t.user('agent', { displayName: 'Giulia Rossi', languages: ['it'] });
    await sql`insert into agent_profile (user_id, marketplaces, languages, capacity)
      select id, '{IT}', '{it}', 8 from app_user where email = ${agentEmail}`.execute(t.db);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agentEmail, password: BROWSER_PASSWORD },
    });
    agentHeaders = {
      cookie: `onbehalf_session=${login.cookies.find((c) => c.name === 'onbehalf_session')!.value}`,
      'x-csrf-token': login.json().csrfToken as string,
    };
    agent = await ChatClient.connect(t.port, agentHeaders);
    agent.send({ type: 'hello' });
    await agent.next('welcome');
    w = await openPage(await launchBrowser());
    await signIn(w.page, t.base, email);
  });

  it('lands the buyer on the Contact Us of the shop her orders are in (all in IT here)', async () => {
    // /help lists the shops only to a buyer with orders in several, or none.
    await w.page.waitForURL(/\/help\/IT$/);
    await expect.poll(() => w.page.locator('h1').textContent()).toMatch(/ · /);
    // Every other shop stays one link away (to ask one before ordering, say).
    await w.page.getByRole('link', { name: 'Another shop' }).click();
    await w.page.getByRole('link', { name: /Marketplace US/ }).waitFor();
    expect(new URL(w.page.url()).pathname).toBe('/help');
  });

  it('shows the orders with their state, and the ways to reach the marketplace, in Italian', async () => {
    await w.page.goto(`${t.base}/help/IT?lang=it`);
    const row = w.page.getByRole('row', { name: /O-IT-1/ });
    await expect.poll(() => row.textContent()).toContain('In viaggio');
    expect(await w.page.getByRole('row', { name: /O-A/ }).textContent()).toContain('In ritardo');
    // The product title with markup in it is text, and nothing ran.
    expect(await row.textContent()).toContain('<img src=x onerror="window.__xss=1">Bollitore');
    expect(await w.page.getByRole('link', { name: 'support-it@onbehalf.test' }).getAttribute('href')).toBe(
      'mailto:support-it@onbehalf.test',
    );
    await expect.poll(() => w.page.getByText('+39 02 1234 5678').count()).toBe(1);
    expect(await w.page.locator('.channels').textContent()).toContain('09:00–18:00');
    expect(await w.page.getByRole('heading', { name: 'Le tue conversazioni' }).count()).toBe(1);
    expect(await w.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    await expectAccessible(w.page);
    await screenshot(w.page, 'contact-us-it');
  });

  it('opens the chat: the bot greets and offers topics as buttons', async () => {
    await w.page.getByRole('button', { name: 'Chatta ora' }).click();
    await expect.poll(() => botMessages().first().textContent(), { timeout: 15_000 }).toContain('assistente');
    await expect.poll(() => w.page.locator('.chat-buttons button').count()).toBeGreaterThan(1);
    await expectAccessible(w.page);
  });

  it('picks "An item I ordered", then the order, from the buttons', async () => {
    await w.page.getByRole('button', { name: 'Un articolo che ho ordinato' }).click();
    const orderButton = w.page.locator('.chat-buttons button[data-button-id="order:O-IT-1"]');
    await orderButton.waitFor({ timeout: 15_000 });
    const before = await botMessages().count();
    await orderButton.click();
    await expect.poll(() => botMessages().count(), { timeout: 15_000 }).toBeGreaterThan(before);
  });

  it('asks where the parcel is and gets an answer from the order', async () => {
    const before = await botMessages().count();
    await w.page.getByLabel('Il tuo messaggio').fill('Dov’è il mio pacco?');
    await w.page.getByRole('button', { name: 'Invia', exact: true }).click();
    await expect
      .poll(() => w.page.locator('.chat-message.from-buyer:not(.pending)').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => botMessages().count(), { timeout: 15_000 }).toBeGreaterThan(before);
    await screenshot(w.page, 'chat-where-is-it-it');
  });

  it('asks a question about the product that its detail page answers, and is shown the passage', async () => {
    const before = await botMessages().count();
    await w.page.getByLabel('Il tuo messaggio').fill('il bollitore ha lo spegnimento automatico?');
    await w.page.getByRole('button', { name: 'Invia', exact: true }).click();
    await expect
      .poll(
        () =>
          botMessages()
            .allTextContents()
            .then((all) => all.slice(before).join('\n')),
        {
          timeout: 15_000,
        },
      )
      .toContain('Spegnimento automatico quando l’acqua bolle');
    await screenshot(w.page, 'chat-product-answer-it');
  });

  it('shows markup typed into the chat as text, and runs none of it', async () => {
    const text = '<img src=x onerror="window.__xss=4"> <script>window.__xss=5</script>';
    await w.page.getByLabel('Il tuo messaggio').fill(text);
    await w.page.getByRole('button', { name: 'Invia', exact: true }).click();
    await expect
      .poll(() => w.page.locator('.chat-message.from-buyer .chat-text').last().textContent())
      .toBe(text);
    expect(await w.page.locator('.chat-log img, .chat-log script').count()).toBe(0);
    expect(await w.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('asks for a person with the headset button, and is answered', async () => {
    const before = await botMessages().count();
    await w.page.getByRole('button', { name: 'Parla con una persona' }).last().click();
    await expect.poll(() => botMessages().count(), { timeout: 15_000 }).toBeGreaterThan(before);
    // The case number, then the agent who joined, as the chat's own notices.
    await expect
      .poll(
        () =>
          w.page
            .locator('.chat-message.from-system')
            .allTextContents()
            .then((a) => a.join('\n')),
        {
          timeout: 15_000,
        },
      )
      .toContain('Giulia');
    expect(await w.page.locator('.chat-log').textContent()).toMatch(/IT-\d+/);
    await expectAccessible(w.page);
    await screenshot(w.page, 'chat-handoff-it');
  });

  it('the agent receives the chat with its transcript, types and answers; the buyer sees it under her name', async () => {
    const joined = await agent.next('joined');
    conversationId = joined.conversation.id;
    agent.send({ type: 'typing', conversationId });
    agent.send({
      type: 'message',
      clientMessageId: 'agent-1',
      conversationId,
      text: 'Ciao, sono Giulia: il pacco arriva domani.',
    });
    await agent.next('ack');
    const answer = w.page.locator('.chat-message.from-agent').last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('il pacco arriva domani');
    expect(await answer.textContent()).toContain('Giulia');
  });

  it('after the agent resolves the case, the buyer rates her (stars, solved, a comment)', async () => {
    const caseNumber = (
      await sql<{
        n: string;
      }>`select k.case_number as n from conversation c join cs_case k on k.id = c.case_id
        where c.id = ${conversationId}::uuid`.execute(t.db)
    ).rows[0]!.n;
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseNumber}/resolution`,
      headers: agentHeaders,
      payload: {},
    });
    expect(resolved.statusCode).toBe(200);
    const form = w.page.locator('form.chat-rating').filter({ hasText: 'Giulia' });
    await form.waitFor({ timeout: 15_000 });
    await form.getByLabel('4 su 5').check({ force: true });
    await form.getByLabel('Sì').check();
    await form.getByLabel('Commento (facoltativo)').fill('Gentilissima');
    await form.getByRole('button', { name: 'Invia valutazione' }).click();
    await expect
      .poll(
        async () =>
          (
            await sql<{ stars: number; solved: boolean; comment: string | null; subject: string }>`
              select * from chat_rating where conversation_id = ${conversationId}::uuid
                and subject = 'agent'`.execute(t.db)
          ).rows[0],
        { timeout: 15_000 },
      )
      .toMatchObject({ stars: 4, solved: true, comment: 'Gentilissima' });
    await expectAccessible(w.page);
    await screenshot(w.page, 'chat-rated-it');
    agent.close();
  });

  it('had no script error, CSP refusal or server error on the way', () => {
    expect(w.problems).toEqual([]);
  });
});
