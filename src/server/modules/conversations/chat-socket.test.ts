import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { ChatClient, listeningApp } from '../../../../test/helpers/chat-client';
import { twoSellers } from '../../../../test/helpers/fixtures';
import { MAX_FRAME_BYTES } from '../../../contracts/chat';
import { sameMachineOrigins } from '../../platform/config';
import type { App } from '../../platform/http/server';
import { enrol } from '../programs';
import { appendMessage, type ChatBot } from '.';

const t = await testApp();
// A stand-in for the dialogue: it answers every buyer message, so that its silence after a hand-off shows.
const echoBot: ChatBot = {
  greet: async () => ({
    replies: [{ text: 'Hello! What is it about?', buttons: [{ id: 'item', label: 'An item I ordered' }] }],
  }),
  onBuyerMessage: async (_tx, _conversation, m) => ({ replies: [{ text: `bot heard: ${m.text}` }] }),
};
const ports = { a: 0, b: 0, limited: 0 };
const apps: App[] = [];
let token1: string;
let token2: string;
let agentCookie: string;
let otherAgentCookie: string;
let supervisorCookie: string;
let sellerCookie: string;

async function instance(env: Record<string, string> = {}, bot?: ChatBot) {
  const { app, port } = await listeningApp(t.database, bot, env);
  apps.push(app);
  return port;
}

const tokenOf = async (buyer: string) => (await t.buyerToken(buyer)).headers.authorization!.slice(7);
const idOf = async (cookie: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).json().user
    .id as string;
const count = async (table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0]!.n;

async function buyerChat(port: number, token: string) {
  const chat = await ChatClient.connect(port);
  chat.send({ type: 'hello', token });
  await chat.next('welcome');
  chat.send({ type: 'start', marketplace: 'IT', language: 'it', orderId: 'O-A' });
  const { conversation } = await chat.next('joined');
  await chat.next('message', (m) => m.from === 'bot'); // the greeting
  return { chat, conversationId: conversation.id };
}

async function staffChat(port: number, cookie: string, hello: Record<string, unknown> = {}) {
  const chat = await ChatClient.connect(port, { cookie });
  chat.send({ type: 'hello', ...hello });
  return { chat, welcome: await chat.next('welcome') };
}

beforeAll(async () => {
  await t.seed(twoSellers());
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  token1 = await tokenOf('B-1');
  token2 = await tokenOf('B-2');
  const admin = await t.user('admin');
  const agent = await t.user('agent');
  agentCookie = agent.headers.cookie!;
  // The only agent of IT: every hand-off goes to them.
  await admin.put(`/api/v1/admin/agents/${await idOf(agentCookie)}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    capacity: 50,
  });
  otherAgentCookie = (await t.user('agent')).headers.cookie!;
  supervisorCookie = (await t.user('supervisor')).headers.cookie!;
  sellerCookie = (await t.user('seller', { sellerExternalId: 'S-A' })).headers.cookie!;
  ports.a = await instance({}, echoBot);
  ports.b = await instance({}, echoBot);
  ports.limited = await instance({ CHAT_FRAMES_PER_10_SECONDS: '5', CHAT_CONNECTIONS_PER_ADDRESS: '2' });
});
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('buyer chat over WebSocket', () => {
  it('stores a buyer message before acknowledging it, and stores a resent frame once with the same seq', async () => {
    const { chat, conversationId } = await buyerChat(ports.a, token1);
    chat.send({ type: 'message', clientMessageId: 'c-1', text: 'Dov’è il mio pacco?' });
    const ack = await chat.next('ack');
    expect(ack).toMatchObject({ conversationId, clientMessageId: 'c-1' });
    const stored = await sql<{ body: string }>`select body from chat_message
      where conversation_id = ${conversationId}::uuid and seq = ${ack.seq}`.execute(t.db);
    expect(stored.rows[0]?.body).toBe('Dov’è il mio pacco?');
    expect(await chat.next('message', (m) => m.seq === ack.seq)).toMatchObject({ from: 'buyer' });
    expect((await chat.next('message', (m) => m.from === 'bot')).text).toBe('bot heard: Dov’è il mio pacco?');

    chat.send({ type: 'message', clientMessageId: 'c-1', text: 'Dov’è il mio pacco?' });
    expect((await chat.next('ack')).seq).toBe(ack.seq);
    const copies = await sql<{ n: number }>`select count(*)::int as n from chat_message
      where conversation_id = ${conversationId}::uuid and client_message_id = 'c-1'`.execute(t.db);
    expect(copies.rows[0]!.n).toBe(1);
    chat.close();
  });

  it('sends the writer its message and the bot reply once, in order, and another socket of the conversation on another instance gets them too', async () => {
    const { chat: writer, conversationId } = await buyerChat(ports.a, token1);
    const elsewhere = await ChatClient.connect(ports.b);
    elsewhere.send({ type: 'hello', token: token1, conversationId, lastSeq: 1 });
    await elsewhere.next('welcome');
    writer.send({ type: 'message', clientMessageId: 'o-1', text: 'Dove sei?' });
    const ack = await writer.next('ack');
    const reply = await writer.next('message', (m) => m.from === 'bot' && m.seq > ack.seq);
    expect(reply).toMatchObject({ seq: ack.seq + 1, text: 'bot heard: Dove sei?' });
    // Written through instance A, announced after its commit: instance B reads both from the table.
    await elsewhere.next('message', (m) => m.seq === ack.seq && m.from === 'buyer');
    await elsewhere.next('message', (m) => m.seq === ack.seq + 1 && m.text === 'bot heard: Dove sei?');
    // The notice of its own write sends the writer nothing again.
    writer.send({ type: 'ping' });
    await writer.next('pong');
    const seqs = writer.frames.flatMap((f) => (f.type === 'message' ? [f.seq] : []));
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs.slice(-2)).toEqual([ack.seq, ack.seq + 1]);
    writer.close();
    elsewhere.close();
  });

  it('stores the message the locked way when someone writes between the bot’s read and the store: numbers in order, nothing twice', async () => {
    const modes: string[] = [];
    // The first, unlocked try is overtaken: a notice is stored meanwhile, as an agent's message could be.
    const overtaken: ChatBot = {
      ...echoBot,
      async onBuyerMessage(db, conversation, m, mode) {
        modes.push(mode);
        if (mode === 'read')
          await appendMessage(db, conversation.id, { authorKind: 'system', body: 'meanwhile' }, m.at);
        return { replies: [{ text: `bot heard: ${m.text}` }] };
      },
    };
    const port = await instance({}, overtaken);
    const { chat, conversationId } = await buyerChat(port, token1);
    chat.send({ type: 'message', clientMessageId: 'v-1', text: 'ci sei?' });
    const ack = await chat.next('ack');
    await chat.next('message', (m) => m.from === 'bot' && m.seq > ack.seq);
    expect(modes).toEqual(['read', 'write']);
    const rows = await sql<{ seq: number; author_kind: string; body: string }>`
      select seq, author_kind, body from chat_message where conversation_id = ${conversationId}::uuid
      order by seq`.execute(t.db);
    expect(rows.rows.map((r) => [r.seq, r.author_kind, r.body]).slice(1)).toEqual([
      [2, 'system', 'meanwhile'],
      [3, 'buyer', 'ci sei?'],
      [4, 'bot', 'bot heard: ci sei?'],
    ]);
    expect(ack.seq).toBe(3);
    chat.close();
  });

  it('presses a button the bot offered, read as its label; a button not on offer is refused', async () => {
    const { chat } = await buyerChat(ports.a, token1);
    chat.send({ type: 'button', clientMessageId: 'b-1', buttonId: 'item' });
    await chat.next('ack');
    expect((await chat.next('message', (m) => m.from === 'bot')).text).toBe('bot heard: An item I ordered');
    chat.send({ type: 'button', clientMessageId: 'b-2', buttonId: 'nope' });
    expect(await chat.next('error')).toMatchObject({ code: 'validation_failed' });
    chat.close();
  });

  it('hands off to a person across two instances: the agent gets the chat, they talk and see each other typing, the bot stays silent', async () => {
    const { chat: buyer, conversationId } = await buyerChat(ports.a, token1);
    const { chat: agent } = await staffChat(ports.b, agentCookie);
    buyer.send({ type: 'message', clientMessageId: 'h-1', text: 'Il pacco non arriva' });
    await buyer.next('ack');
    buyer.send({ type: 'handoff' });
    const notice = await buyer.next('message', (m) => m.from === 'system');
    expect(notice.caseNumber).toMatch(/^IT-\d{7}$/);
    expect(notice.text).toContain(notice.caseNumber!);
    const opened = await sql<{ channel: string; routing_reason: string; case_id: string }>`
      select k.channel, k.routing_reason, c.case_id from conversation c join cs_case k on k.id = c.case_id
      where c.id = ${conversationId}::uuid`.execute(t.db);
    expect(opened.rows[0]).toMatchObject({ channel: 'chat', routing_reason: 'enrolled_seller_fulfilled' });

    // The agent, on the other instance, receives the conversation with its transcript.
    const joined = await agent.next('joined', (j) => j.conversation.id === conversationId);
    expect(joined.conversation).toMatchObject({ owner: 'agent', caseNumber: notice.caseNumber });
    await agent.next(
      'message',
      (m) => m.conversationId === conversationId && m.text === 'Il pacco non arriva',
    );

    buyer.send({ type: 'typing' });
    expect(await agent.next('typing')).toMatchObject({ conversationId, from: 'buyer' });
    agent.send({ type: 'typing', conversationId });
    expect(await buyer.next('typing')).toMatchObject({ from: 'agent' });

    agent.send({ type: 'message', conversationId, clientMessageId: 'a-1', text: 'Controllo subito' });
    await agent.next('ack');
    const answer = await buyer.next('message', (m) => m.from === 'agent');
    expect(answer.text).toBe('Controllo subito');
    expect(answer.authorName).toMatch(/^agent-/);

    buyer.send({ type: 'message', clientMessageId: 'h-2', text: 'Grazie' });
    await agent.next('message', (m) => m.text === 'Grazie');
    expect((await buyer.rest()).filter((f) => f.type === 'message' && f.from === 'bot')).toEqual([]);

    // A second agent's socket sees none of it, and may not answer.
    const { chat: other, welcome } = await staffChat(ports.a, otherAgentCookie, { conversationId });
    expect(welcome.conversations).toEqual([]);
    expect(await other.next('error')).toMatchObject({ code: 'not_found' });
    other.send({ type: 'message', conversationId, clientMessageId: 'x', text: 'intruso' });
    expect(await other.next('error')).toMatchObject({ code: 'not_found' });
    expect((await other.rest()).filter((f) => f.type === 'message')).toEqual([]);

    // A supervisor watches any conversation.
    const { chat: watcher } = await staffChat(ports.a, supervisorCookie, { conversationId, lastSeq: 0 });
    await watcher.next('message', (m) => m.text === 'Controllo subito');
    for (const c of [buyer, agent, other, watcher]) c.close();
  });

  it('loses nothing when the buyer’s socket drops: what the agent wrote meanwhile arrives on resume, in order', async () => {
    const { chat: buyer, conversationId } = await buyerChat(ports.a, token1);
    const { chat: agent } = await staffChat(ports.b, agentCookie);
    buyer.send({ type: 'handoff' });
    await buyer.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    const notice = await buyer.next('message', (m) => m.from === 'system'); // "… has joined"
    await agent.next('joined', (j) => j.conversation.id === conversationId);
    buyer.close();
    await buyer.closedWith();
    for (const text of ['uno', 'due', 'tre']) {
      agent.send({ type: 'message', conversationId, clientMessageId: `m-${text}`, text });
      await agent.next('ack');
    }
    // The agent's next socket lists the chat among their live ones.
    const { chat: again, welcome } = await staffChat(ports.a, agentCookie);
    expect(welcome.conversations.map((c) => c.id)).toContain(conversationId);
    again.close();
    const back = await ChatClient.connect(ports.b);
    back.send({ type: 'hello', token: token1, conversationId, lastSeq: notice.seq });
    expect((await back.next('welcome')).conversations.map((c) => c.id)).toEqual([conversationId]);
    const missed = [await back.next('message'), await back.next('message'), await back.next('message')];
    expect(missed.map((m) => [m.text, m.seq])).toEqual([
      ['uno', notice.seq + 1],
      ['due', notice.seq + 2],
      ['tre', notice.seq + 3],
    ]);
    back.close();
    agent.close();
  });

  it('keeps delivering when an instance’s LISTEN connection drops: it reconnects and catches up', async () => {
    const { chat: buyer, conversationId } = await buyerChat(ports.a, token1);
    const { chat: agent } = await staffChat(ports.b, agentCookie);
    buyer.send({ type: 'handoff' });
    await agent.next('joined', (j) => j.conversation.id === conversationId);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where application_name = 'onbehalf-chat' and datname = current_database()`.execute(t.db);
    agent.send({ type: 'message', conversationId, clientMessageId: 'r-1', text: 'ci sono ancora' });
    await agent.next('ack');
    expect((await buyer.next('message', (m) => m.from === 'agent')).text).toBe('ci sono ancora');
    buyer.close();
    agent.close();
  });

  it('another buyer resuming the conversation gets not_found and nothing of it', async () => {
    const { chat, conversationId } = await buyerChat(ports.a, token1);
    chat.send({ type: 'message', clientMessageId: 's-1', text: 'segreto' });
    await chat.next('ack');
    const intruder = await ChatClient.connect(ports.a);
    intruder.send({ type: 'hello', token: token2, conversationId, lastSeq: 0 });
    expect((await intruder.next('welcome')).conversations).toEqual([]);
    expect(await intruder.next('error')).toMatchObject({ code: 'not_found' });
    intruder.send({ type: 'message', conversationId, clientMessageId: 'i-1', text: 'hi' });
    expect(await intruder.next('error')).toMatchObject({ code: 'not_found' });
    chat.send({ type: 'message', clientMessageId: 's-2', text: 'ancora' });
    await chat.next('ack');
    expect((await intruder.rest()).filter((f) => f.type === 'message')).toEqual([]);
    chat.close();
    intruder.close();
  });

  it('refuses a seller, an anonymous client, a forged token and another site’s origin', async () => {
    const seller = await ChatClient.connect(ports.a, { cookie: sellerCookie });
    expect(await seller.next('error')).toMatchObject({ code: 'forbidden' });
    expect((await seller.closedWith())?.code).toBe(1008);

    const anonymous = await ChatClient.connect(ports.a);
    anonymous.send({ type: 'start', marketplace: 'IT', language: 'it' });
    expect(await anonymous.next('error')).toMatchObject({ code: 'unauthenticated' });
    anonymous.send({ type: 'hello' });
    expect(await anonymous.next('error')).toMatchObject({ code: 'unauthenticated' });
    expect((await anonymous.closedWith())?.code).toBe(1008);

    const forged = await ChatClient.connect(ports.a);
    forged.send({ type: 'hello', token: `${token1.slice(0, -2)}xx` });
    expect(await forged.next('error')).toMatchObject({ code: 'unauthenticated' });

    await expect(ChatClient.connect(ports.a, {}, 'https://evil.example')).rejects.toThrow(/403/);
    // PUBLIC_URL under either spelling of this machine (localhost, 127.0.0.1) is the service's own page.
    for (const origin of sameMachineOrigins(t.config.publicUrl))
      (await ChatClient.connect(ports.a, {}, origin)).close();
    expect(sameMachineOrigins(t.config.publicUrl)).toHaveLength(2);
    await expect(ChatClient.connect(ports.a, {}, 'http://localhost:1')).rejects.toThrow(/403/);
  });

  it('answers a bad frame with a stable code and changes nothing', async () => {
    const { chat } = await buyerChat(ports.a, token1);
    const before = await count('chat_message');
    const cases: [unknown, string][] = [
      ['{not json', 'malformed_frame'],
      ['[1,2]', 'unknown_frame'],
      [{ type: 'shout', text: 'x' }, 'unknown_frame'],
      [{ type: 'message', text: 'no id' }, 'validation_failed'],
      [{ type: 'message', clientMessageId: 'v', text: 'x', extra: 1 }, 'validation_failed'],
      [{ type: 'message', clientMessageId: 'v', text: 'x'.repeat(5000) }, 'validation_failed'],
      [{ type: 'message', clientMessageId: 'v', text: 'nul \u0000 here' }, 'invalid_text'],
      [{ type: 'message', clientMessageId: 'v', text: 'lone \ud800' }, 'invalid_text'],
      [{ type: 'message', clientMessageId: 'v', text: 'y'.repeat(MAX_FRAME_BYTES) }, 'frame_too_large'],
      [{ type: 'hello', token: token1 }, 'validation_failed'], // a second hello
    ];
    for (const [frame, code] of cases) {
      chat.send(frame);
      expect(await chat.next('error'), JSON.stringify(frame).slice(0, 80)).toMatchObject({ code });
    }
    chat.send({ type: 'ping' });
    await chat.next('pong');
    expect(await count('chat_message')).toBe(before);
    chat.close();
  });

  it('limits frames per connection and connections per address', async () => {
    const chat = await ChatClient.connect(ports.limited);
    for (let i = 0; i < 6; i++) chat.send({ type: 'ping' });
    // The sixth is refused at once, ahead of the answers to the five before it.
    expect(await chat.next('error')).toMatchObject({ code: 'rate_limited' });
    for (let i = 0; i < 5; i++) await chat.next('pong');

    const second = await ChatClient.connect(ports.limited);
    const third = await ChatClient.connect(ports.limited);
    expect(await third.next('error')).toMatchObject({ code: 'rate_limited' });
    expect((await third.closedWith())?.code).toBe(1008);
    second.send({ type: 'ping' });
    await second.next('pong');
    chat.close();
    second.close();
  });
});
