import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { ChatClient, listeningApp } from '../../../../test/helpers/chat-client';
import { twoSellers } from '../../../../test/helpers/fixtures';
import type { App } from '../../platform/http/server';
import { buildBotModel, renderDialogueText } from '../bot';
import { enrol } from '../programs';
import { chatAssistant } from '.';

const t = await testApp();
let app: App;
let port = 0;
let token: string;
let agentCookie: string;

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    {
      type: 'shipment',
      externalId: 'SH-A',
      orderExternalId: 'O-A',
      carrier: 'BRT',
      trackingNumber: 'BRT-000123',
      shippedAt: '2026-03-03T09:00:00Z',
      events: [
        { code: 'picked_up', occurredAt: '2026-03-03T12:00:00Z', location: 'Milano' },
        { code: 'in_transit', occurredAt: '2026-03-04T08:00:00Z', location: 'Bologna hub' },
      ],
    },
  ]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  token = (await t.buyerToken('B-1')).headers.authorization!.slice(7);
  const admin = await t.user('admin');
  const agent = await t.user('agent');
  agentCookie = agent.headers.cookie!;
  const session = await t.app.inject({
    method: 'GET',
    url: '/api/v1/auth/session',
    headers: { cookie: agentCookie },
  });
  await admin.put(`/api/v1/admin/agents/${session.json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    capacity: 50,
  });
  ({ app, port } = await listeningApp(t.database, chatAssistant(buildBotModel())));
}, 120_000);
afterAll(() => app?.close());

async function startChat() {
  const chat = await ChatClient.connect(port);
  chat.send({ type: 'hello', token });
  await chat.next('welcome');
  chat.send({ type: 'start', marketplace: 'IT', language: 'it' });
  const { conversation } = await chat.next('joined');
  const greeting = await chat.next('message', (m) => m.from === 'bot');
  return { chat, conversationId: conversation.id, greeting };
}

const botSays = (chat: ChatClient) => chat.next('message', (m) => m.from === 'bot');

describe('the chat assistant', () => {
  it('greets with the topics, lists the buyer’s orders and answers where the parcel is from its carrier events', async () => {
    const { chat, conversationId, greeting } = await startChat();
    expect(greeting.buttons?.map((b) => b.label)).toContain(renderDialogueText('it', 'topic_order'));
    chat.send({ type: 'button', buttonId: 'topic:order', clientMessageId: 'b1' });
    const orders = await botSays(chat);
    // Only the buyer's own order: O-B is another buyer's.
    expect(orders.buttons?.map((b) => b.id)).toEqual(['order:O-A', 'something_else', 'talk_to_person']);
    chat.send({ type: 'button', buttonId: 'order:O-A', clientMessageId: 'b2' });
    expect((await botSays(chat)).buttons?.map((b) => b.id)).toContain('intent:track_order');
    chat.send({ type: 'message', text: 'dov’è il mio pacco?', clientMessageId: 'm1' });
    const answer = await botSays(chat);
    expect(answer.text).toContain('BRT');
    expect(answer.text).toContain('Bologna hub');
    // The state is kept on the conversation, amounts as strings.
    const stored = await sql<{ total: string }>`select dialogue->'order'->>'total' as total from conversation
      where id = ${conversationId}::uuid`.execute(t.db);
    expect(stored.rows[0]!.total).toBe('4497');
    chat.close();
  });

  it('offers its readings as buttons when it is not sure', async () => {
    const { chat } = await startChat();
    chat.send({ type: 'message', text: 'boh', clientMessageId: 'm1' });
    const reply = await botSays(chat);
    expect(reply.buttons?.map((b) => b.id)).toEqual(
      expect.arrayContaining(['something_else', 'talk_to_person']),
    );
    chat.close();
  });

  it('hands off to a person on request: a case number, the agent receives the chat, then the bot is silent', async () => {
    const agent = await ChatClient.connect(port, { cookie: agentCookie });
    agent.send({ type: 'hello' });
    await agent.next('welcome');
    const { chat, conversationId } = await startChat();
    // About an order of the managed service: without one, routing leaves a contact with the seller (R3).
    chat.send({ type: 'button', buttonId: 'topic:order', clientMessageId: 'b1' });
    await botSays(chat);
    chat.send({ type: 'button', buttonId: 'order:O-A', clientMessageId: 'b2' });
    await botSays(chat);
    chat.send({ type: 'message', text: 'voglio parlare con un operatore', clientMessageId: 'm1' });
    const notice = await chat.next('message', (m) => m.from === 'system');
    expect(notice.caseNumber).toMatch(/\S/);
    expect((await agent.next('joined', (j) => j.conversation.id === conversationId)).conversation.owner).toBe(
      'agent',
    );
    chat.send({ type: 'message', text: 'dov’è il mio pacco?', clientMessageId: 'm2' });
    await chat.next('ack');
    expect((await chat.rest(500)).filter((f) => f.type === 'message' && f.from === 'bot')).toEqual([]);
    chat.close();
    agent.close();
  });

  it('sends the case to a supervisor when the buyer asks for a manager', async () => {
    const { chat } = await startChat();
    chat.send({ type: 'button', buttonId: 'topic:order', clientMessageId: 'b1' });
    await botSays(chat);
    chat.send({ type: 'button', buttonId: 'order:O-A', clientMessageId: 'b2' });
    await botSays(chat);
    chat.send({ type: 'message', text: 'voglio parlare con un responsabile', clientMessageId: 'm1' });
    const notice = await chat.next('message', (m) => m.from === 'system');
    const row = (
      await sql<{ status: string; queue: string; owner_user_id: string | null }>`
      select status, queue, owner_user_id from cs_case where case_number = ${notice.caseNumber}`.execute(t.db)
    ).rows[0];
    expect(row).toMatchObject({ status: 'escalated', owner_user_id: null });
    expect(row!.queue).toMatch(/supervisor/);
    chat.close();
  });

  it('helps on when a hand-off found no person (the contact went to the seller): the chat is never mute', async () => {
    const { chat } = await startChat();
    // No order: routing leaves the contact with the seller (R3), so no case opens and the bot keeps the chat.
    chat.send({ type: 'message', text: 'voglio parlare con un operatore', clientMessageId: 'm1' });
    const notice = await chat.next('message', (m) => m.from === 'system');
    expect(notice.caseNumber).toBeNull();
    chat.send({ type: 'message', text: 'dov’è il mio pacco?', clientMessageId: 'm2' });
    expect((await botSays(chat)).text).toMatch(/\S/);
    chat.close();
  });
});
