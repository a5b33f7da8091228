// People in the chat (SPEC C4–C7), with real WebSocket clients: the wait a buyer is told and who joined,
// e-mail or a callback when no agent of the language is free, each change of owner as a case event,
// agents receiving chats assigned after they connected, a supervisor watching and taking over, ratings
// of the bot and of the agent, a case number quoted in a later chat, and the buyer's transcripts over
// HTTP and by e-mail (real SMTP).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, testApp } from '../../../../test/helpers/app';
import { ChatClient, listeningApp } from '../../../../test/helpers/chat-client';
import { buyer, order, twoSellers } from '../../../../test/helpers/fixtures';
import { captureSmtp } from '../../../../test/helpers/smtp';
import { timerHandlers } from '../../main/timer-handlers';
import { isoWeekday, localDateOf, zonedInstant } from '../../platform/business-calendar';
import { createMailer } from '../../platform/mail';
import { fireDueTimers } from '../../platform/timers';
import { renderDialogueText, textFormatter } from '../bot';
import type { ChatBot } from '../conversations';
import { enrol } from '../programs';
import { chatText } from './chat-texts';

const t = await testApp();
const world = await captureSmtp();
const handlers = timerHandlers(t.config, createMailer({ smtpUrl: world.url, outboxDir: '/nonexistent' }));

// A stand-in for the dialogue: it answers every message and keeps a reading on the conversation as the
// assistant does; "risolto" ends with "anything else?", which is when the bot may be rated.
const fakeBot: ChatBot = {
  greet: async () => ({
    replies: [{ text: 'Ciao! Di cosa si tratta?', buttons: [{ id: 'topic:order', label: 'Un ordine' }] }],
  }),
  async onBuyerMessage(_db, _conversation, m) {
    const phase = m.text === 'risolto' ? 'anything_else' : 'topics';
    const dialogue = {
      json: JSON.stringify({ phase, reading: { intent: 'track_order', confidence: 0.91 }, lastText: m.text }),
      phase,
    };
    // Like the dialogue when no agent of the language is free: its own e-mail button, then a hand-off.
    if (m.text === 'nessuno?')
      return {
        replies: [{ text: 'bot: per e-mail?', buttons: [{ id: 'contact:email', label: 'E-mail' }] }],
        dialogue,
      };
    if (m.buttonId === 'contact:email')
      return { replies: [{ text: 'bot: d’accordo', handOff: { orderRef: 'O-A' } }], dialogue };
    return { replies: [{ text: `bot: ${m.text}` }], dialogue };
  },
};

let port = 0;
let closeApp: () => Promise<unknown> = async () => {};
let admin: Awaited<ReturnType<typeof t.user>>;
let agent: Awaited<ReturnType<typeof t.user>>;
let agentId: string;
let agentName: string;
let supervisorCookie: string;
let supervisorName: string;
let sellerClient: Awaited<ReturnType<typeof t.user>>;
const tokens: Record<string, string> = {};

const tokenOf = async (b: string) => (await t.buyerToken(b)).headers.authorization!.slice(7);
const session = async (cookie: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie } })).json().user as {
    id: string;
    displayName?: string;
  };
const setAgent = (p: { capacity?: number; available?: boolean }) =>
  admin.put(`/api/v1/admin/agents/${agentId}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    capacity: p.capacity ?? 50,
    available: p.available ?? true,
  });
const caseOf = async (conversationId: string) =>
  (
    await sql<{
      case_number: string;
      owner_kind: string;
      owner_user_id: string | null;
      channel: string;
      status: string;
    }>`
      select k.case_number, k.owner_kind, k.owner_user_id, k.channel, k.status from conversation c
      join cs_case k on k.id = c.case_id where c.id = ${conversationId}::uuid`.execute(t.db)
  ).rows[0];
const ownerEvents = async (caseNumber: string) => {
  const res = await agentOrAdminGet(`/api/v1/cases/${caseNumber}`);
  return (
    res.json().events as {
      kind: string;
      data: { how?: string; from?: { kind: string }; to?: { kind: string } };
    }[]
  )
    .filter((e) => e.kind === 'owner_changed')
    .map((e) => `${e.data.from?.kind}>${e.data.to?.kind}:${e.data.how}`);
};
const agentOrAdminGet = (url: string) =>
  t.app.inject({ method: 'GET', url, headers: { cookie: supervisorCookie } });

async function buyerChat(b = 'B-1', start: Record<string, unknown> = {}) {
  const chat = await ChatClient.connect(port);
  chat.send({ type: 'hello', token: tokens[b] });
  await chat.next('welcome');
  const orderId = ({ 'B-1': 'O-A', 'B-3': 'O-C' } as Record<string, string>)[b];
  chat.send({ type: 'start', marketplace: 'IT', language: 'it', ...(orderId ? { orderId } : {}), ...start });
  const { conversation } = await chat.next('joined');
  await chat.next('message', (m) => m.from === 'bot');
  return { chat, conversationId: conversation.id };
}

async function staffChat(cookie: string, hello: Record<string, unknown> = {}) {
  const chat = await ChatClient.connect(port, { cookie });
  chat.send({ type: 'hello', ...hello });
  return { chat, welcome: await chat.next('welcome') };
}

const say = async (chat: ChatClient, text: string, conversationId?: string) => {
  const clientMessageId = `m-${Math.random().toString(36).slice(2)}`;
  chat.send({ type: 'message', clientMessageId, text, ...(conversationId ? { conversationId } : {}) });
  return chat.next('ack', (a) => a.clientMessageId === clientMessageId);
};
const press = async (chat: ChatClient, buttonId: string) => {
  const clientMessageId = `b-${Math.random().toString(36).slice(2)}`;
  chat.send({ type: 'button', clientMessageId, buttonId });
  return chat.next('ack', (a) => a.clientMessageId === clientMessageId);
};
const botReplies = async (chat: ChatClient) =>
  (await chat.rest(400)).filter((f) => f.type === 'message' && f.from === 'bot');

beforeAll(async () => {
  await t.seed([
    ...twoSellers().map((r) =>
      r.type === 'buyer' && r.externalId === 'B-1' ? { ...r, phone: '+390212345678' } : r,
    ),
    buyer('B-3'),
    order('O-C', 'S-A', 'B-3', 'P-A'),
  ]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  for (const b of ['B-1', 'B-2', 'B-3']) tokens[b] = await tokenOf(b);
  admin = await t.user('admin');
  agent = await t.user('agent');
  const me = await session(agent.headers.cookie!);
  agentId = me.id;
  agentName = (
    await sql<{ n: string }>`select display_name as n from app_user where id = ${agentId}::uuid`.execute(t.db)
  ).rows[0]!.n;
  await setAgent({});
  supervisorCookie = (await t.user('supervisor')).headers.cookie!;
  const sup = await session(supervisorCookie);
  supervisorName = (
    await sql<{ n: string }>`select display_name as n from app_user where id = ${sup.id}::uuid`.execute(t.db)
  ).rows[0]!.n;
  sellerClient = await t.user('seller', { sellerExternalId: 'S-A' });
  const listening = await listeningApp(t.database, fakeBot);
  port = listening.port;
  closeApp = () => listening.app.close();
});
afterAll(async () => {
  await closeApp();
  await world.close();
});

describe('hand-off to a person', () => {
  it('tells the case number and the wait, then who joined; the agent gets the transcript and the context; the change of owner is a case event', async () => {
    const staff = await staffChat(agent.headers.cookie!);
    const { chat, conversationId } = await buyerChat();
    await say(chat, 'dov’è il mio pacco?');
    chat.send({ type: 'handoff' });
    const notice = await chat.next('message', (m) => m.from === 'system');
    expect(notice.caseNumber).toMatch(/^IT-\d{7}$/);
    expect(notice.text).toBe(
      `${renderDialogueText('it', 'notice_case', { case: notice.caseNumber! })} ${chatText('it', 'wait_one')}`,
    );
    const joined = await chat.next('message', (m) => m.from === 'system');
    expect(joined.text).toBe(renderDialogueText('it', 'notice_joined', { name: agentName }));

    const seen = await staff.chat.next('joined', (j) => j.conversation.id === conversationId);
    expect(seen.context).toMatchObject({
      case: { caseNumber: notice.caseNumber, channel: 'chat' },
      order: { externalId: 'O-A', total: { amount: 4497, currency: 'EUR' } },
      reading: { intent: 'track_order', confidence: 0.91, text: 'dov’è il mio pacco?' },
    });
    await staff.chat.next(
      'message',
      (m) => m.conversationId === conversationId && m.text === 'dov’è il mio pacco?',
    );

    // Typing both ways; the buyer sees the agent's name on it and on the answer.
    chat.send({ type: 'typing' });
    expect(await staff.chat.next('typing')).toMatchObject({ conversationId, from: 'buyer' });
    staff.chat.send({ type: 'typing', conversationId });
    expect(await chat.next('typing')).toMatchObject({ from: 'agent', authorName: agentName });
    await say(staff.chat, 'Controllo subito', conversationId);
    expect(await chat.next('message', (m) => m.from === 'agent')).toMatchObject({
      text: 'Controllo subito',
      authorName: agentName,
    });
    // From now on the bot never speaks in this conversation.
    await say(chat, 'grazie');
    expect(await botReplies(chat)).toEqual([]);

    expect(await ownerEvents(notice.caseNumber!)).toEqual(['bot>agent:hand_off']);
    chat.close();
    staff.chat.close();
  });

  it('puts the chat in the queue with an estimate when every agent is busy; the agent who takes it later receives it, and the buyer sees them join', async () => {
    await setAgent({ capacity: 1 }); // the agent has one open chat already: at capacity, still available
    const staff = await staffChat(agent.headers.cookie!);
    const { chat, conversationId } = await buyerChat();
    chat.send({ type: 'handoff' });
    const notice = await chat.next('message', (m) => m.from === 'system');
    expect(notice.text).toContain(chatText('it', 'wait_many', { minutes: 6, ahead: 0 }));
    expect((await caseOf(conversationId))?.owner_kind).toBe('unassigned');
    expect(await botReplies(chat)).toEqual([]); // waiting for a person: the bot is silent too
    await say(chat, 'c’è qualcuno?');
    expect(await botReplies(chat)).toEqual([]);

    const pulled = await agent.post('/api/v1/agent/next-case');
    expect(pulled.statusCode).toBe(200);
    expect(pulled.json().case.caseNumber).toBe(notice.caseNumber);
    // Assigned after the agent connected: their socket now follows it, with the whole transcript.
    const joined = await staff.chat.next('joined', (j) => j.conversation.id === conversationId);
    expect(joined.context?.case?.caseNumber).toBe(notice.caseNumber);
    await staff.chat.next(
      'message',
      (m) => m.conversationId === conversationId && m.text === 'c’è qualcuno?',
    );
    expect((await chat.next('message', (m) => m.from === 'system')).text).toBe(
      renderDialogueText('it', 'notice_joined', { name: agentName }),
    );
    expect(await ownerEvents(notice.caseNumber!)).toEqual(['bot>queue:hand_off', 'queue>agent:pulled']);
    await setAgent({});
    chat.close();
    staff.chat.close();
  });
});

describe('a supervisor in the chat', () => {
  it('watches read-only, takes over: the case is theirs, the agent is told, the bot stays silent', async () => {
    const staff = await staffChat(agent.headers.cookie!);
    const { chat, conversationId } = await buyerChat();
    chat.send({ type: 'handoff' });
    const notice = await chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    await staff.chat.next('joined', (j) => j.conversation.id === conversationId);
    await say(staff.chat, 'Eccomi', conversationId);

    const watcher = await staffChat(supervisorCookie, { conversationId, lastSeq: 0 });
    await watcher.chat.next('message', (m) => m.text === 'Eccomi');
    const before = await sql<{ n: number }>`select count(*)::int as n from chat_message
      where conversation_id = ${conversationId}::uuid`.execute(t.db);
    watcher.chat.send({ type: 'message', conversationId, clientMessageId: 'w-1', text: 'sono il capo' });
    expect(await watcher.chat.next('error')).toMatchObject({ code: 'forbidden' });
    watcher.chat.send({ type: 'typing', conversationId });
    expect(await watcher.chat.next('error')).toMatchObject({ code: 'forbidden' });
    const after = await sql<{ n: number }>`select count(*)::int as n from chat_message
      where conversation_id = ${conversationId}::uuid`.execute(t.db);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
    expect((await chat.rest()).filter((f) => f.type === 'typing')).toEqual([]);

    watcher.chat.send({ type: 'take_over', conversationId });
    const context = await watcher.chat.next('joined', (j) => j.conversation.id === conversationId);
    expect(context.context?.case?.caseNumber).toBe(notice.caseNumber);
    const released = await staff.chat.next('released');
    expect(released).toMatchObject({ conversationId, reason: 'taken_over', byName: supervisorName });
    expect(await caseOf(conversationId)).toMatchObject({ owner_kind: 'supervisor' });
    expect((await chat.next('message', (m) => m.from === 'system')).text).toBe(
      renderDialogueText('it', 'notice_joined', { name: supervisorName }),
    );
    // The agent may no longer answer; the supervisor now does.
    staff.chat.send({ type: 'message', conversationId, clientMessageId: 'a-late', text: 'ancora io' });
    expect(await staff.chat.next('error')).toMatchObject({ code: 'not_found' });
    await say(watcher.chat, 'Ci penso io', conversationId);
    expect(await chat.next('message', (m) => m.from === 'agent')).toMatchObject({
      text: 'Ci penso io',
      authorName: supervisorName,
    });
    await say(chat, 'perfetto');
    expect(await botReplies(chat)).toEqual([]);
    // Taking over again changes nothing.
    watcher.chat.send({ type: 'take_over', conversationId });
    await watcher.chat.next('joined', (j) => j.conversation.id === conversationId);
    expect(await ownerEvents(notice.caseNumber!)).toEqual([
      'bot>agent:hand_off',
      'agent>supervisor:take_over',
    ]);
    for (const c of [chat, staff.chat, watcher.chat]) c.close();
  });
});

describe('ratings (C7)', () => {
  it('asks for the bot’s rating once it has helped, stores it, and a second rating replaces the first', async () => {
    const { chat, conversationId } = await buyerChat();
    await say(chat, 'dov’è il mio pacco?');
    expect((await chat.rest()).filter((f) => f.type === 'rating_request')).toEqual([]);
    await say(chat, 'risolto');
    await chat.next('message', (m) => m.from === 'bot' && m.text === 'bot: risolto');
    expect(await chat.next('rating_request')).toEqual({
      type: 'rating_request',
      conversationId,
      subject: 'bot',
      agentName: null,
    });
    await say(chat, 'risolto'); // asked once per conversation
    expect((await chat.rest()).filter((f) => f.type === 'rating_request')).toEqual([]);
    // A buyer who leaves before rating is asked again on coming back (the prompt is not a stored message).
    chat.close();
    const back = await ChatClient.connect(port);
    back.send({ type: 'hello', token: tokens['B-1'], conversationId, lastSeq: 0 });
    await back.next('welcome');
    expect(await back.next('rating_request')).toMatchObject({ conversationId, subject: 'bot' });
    back.close();
    const again = await ChatClient.connect(port);
    again.send({ type: 'hello', token: tokens['B-1'], conversationId, lastSeq: 0 });
    await again.next('welcome');

    // Nobody but the bot has answered: rating a person is refused and changes nothing.
    again.send({ type: 'rate', stars: 5, solved: true, subject: 'agent' });
    expect(await again.next('error')).toMatchObject({ code: 'conflict' });
    again.send({ type: 'rate', stars: 2, solved: false, comment: 'lento' });
    expect(await again.next('rated')).toEqual({ type: 'rated', conversationId, subject: 'bot' });
    again.send({ type: 'rate', stars: 4, solved: true });
    await again.next('rated');
    const rows = await sql<{ subject: string; stars: number; solved: boolean; comment: string | null }>`
      select subject, stars, solved, comment from chat_rating where conversation_id = ${conversationId}::uuid`.execute(
      t.db,
    );
    expect(rows.rows).toEqual([{ subject: 'bot', stars: 4, solved: true, comment: null }]);
    again.close();
    // Rated: coming back asks no more.
    const rated = await ChatClient.connect(port);
    rated.send({ type: 'hello', token: tokens['B-1'], conversationId, lastSeq: 0 });
    await rated.next('welcome');
    expect((await rated.rest()).filter((f) => f.type === 'rating_request')).toEqual([]);
    rated.close();
  });

  it('asks for the agent’s rating when they resolve the case, attributes it to them, and the chat returns to the bot', async () => {
    const staff = await staffChat(agent.headers.cookie!);
    const { chat, conversationId } = await buyerChat();
    chat.send({ type: 'handoff' });
    const notice = await chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    await staff.chat.next('joined', (j) => j.conversation.id === conversationId);
    await say(staff.chat, 'Il pacco arriva domani', conversationId);
    const resolved = await agent.post(`/api/v1/cases/${notice.caseNumber}/resolution`, { note: 'tracking' });
    expect(resolved.statusCode).toBe(200);
    // The "has joined" notice may arrive after the case notice (an agent name can hold a digit): skip it.
    const joinedNotice = renderDialogueText('it', 'notice_joined', { name: agentName });
    const prompt = await chat.next(
      'message',
      (m) => m.from === 'system' && m.text.includes('1') && m.text !== joinedNotice,
    );
    expect(prompt.text).toBe(chatText('it', 'rate_agent', { name: agentName }));
    expect(await chat.next('rating_request')).toMatchObject({ subject: 'agent', agentName });
    expect(await staff.chat.next('released')).toMatchObject({ conversationId, reason: 'resolved' });

    chat.send({ type: 'rate', stars: 5, solved: true, comment: 'bravissimo' });
    expect(await chat.next('rated')).toMatchObject({ subject: 'agent' });
    const row = await sql<{ rated_user_id: string; case_number: string }>`
      select r.rated_user_id, k.case_number from chat_rating r join cs_case k on k.id = r.case_id
      where r.conversation_id = ${conversationId}::uuid and r.subject = 'agent'`.execute(t.db);
    expect(row.rows[0]).toEqual({ rated_user_id: agentId, case_number: notice.caseNumber });
    // The bot may be rated too, apart: the greeting was its answer.
    chat.send({ type: 'rate', stars: 3, solved: false, subject: 'bot' });
    expect(await chat.next('rated')).toMatchObject({ subject: 'bot' });
    // The person is done: the bot answers again, and a new hand-off continues the same case.
    await say(chat, 'un’altra domanda');
    expect((await chat.next('message', (m) => m.from === 'bot')).text).toBe('bot: un’altra domanda');
    expect(await ownerEvents(notice.caseNumber!)).toEqual(['bot>agent:hand_off', 'agent>bot:resolved']);
    chat.close();
    staff.chat.close();
  });
});

describe('no agent of the language available', () => {
  it('offers an answer by e-mail or a callback; a callback is scheduled on a phone case and the bot stays silent', async () => {
    await setAgent({ available: false });
    const { chat, conversationId } = await buyerChat();
    chat.send({ type: 'handoff' });
    const offer = await chat.next('message', (m) => m.from === 'system');
    expect(offer.text).toBe(chatText('it', 'no_agent_offer', { hours: 48 }));
    expect(offer.buttons).toEqual([
      { id: 'handoff:email', label: chatText('it', 'button_email') },
      { id: 'handoff:callback', label: chatText('it', 'button_callback') },
    ]);
    expect(
      await sql`select 1 from conversation where id = ${conversationId}::uuid and case_id is null`.execute(
        t.db,
      ),
    ).toMatchObject({ rows: [{}] });

    await press(chat, 'handoff:callback');
    const scheduled = await chat.next('message', (m) => m.from === 'system');
    expect(scheduled.caseNumber).toMatch(/^IT-\d{7}$/);
    expect(scheduled.text).toBe(
      chatText('it', 'callback_case', { case: scheduled.caseNumber!, minutes: 30 }),
    );
    expect(await botReplies(chat)).toEqual([]);
    expect(await caseOf(conversationId)).toMatchObject({ channel: 'phone' });
    const callback = await sql<{ phone: string; timers: number }>`select cb.phone,
        (select count(*)::int from timer where kind = 'callback_due' and ref = cb.id::text) as timers
      from callback_request cb join cs_case k on k.id = cb.case_id where k.case_number = ${scheduled.caseNumber}`.execute(
      t.db,
    );
    expect(callback.rows).toEqual([{ phone: '+390212345678', timers: 1 }]);
    // The offer is spent: pressing again is refused.
    chat.send({ type: 'button', clientMessageId: 'again', buttonId: 'handoff:callback' });
    expect(await chat.next('error')).toMatchObject({ code: 'validation_failed' });
    chat.close();
  });

  it('moves a callback that would fall outside the phone hours to the next opening, and says when', async () => {
    await setAgent({ available: false });
    // Open one hour, two days from now (Rome): the 30-minute target is outside the hours.
    const day = new Date(Date.now() + 2 * 86_400_000);
    const hours = { days: [isoWeekday(localDateOf(day, 'Europe/Rome'))], opens: '09:00', closes: '10:00' };
    await sql`update marketplace set support_phone_hours = ${JSON.stringify(hours)}::jsonb where id = 'IT'`.execute(
      t.db,
    );
    try {
      const { chat } = await buyerChat();
      chat.send({ type: 'handoff' });
      await chat.next('message', (m) => m.from === 'system');
      await press(chat, 'handoff:callback');
      const scheduled = await chat.next('message', (m) => m.from === 'system');
      const due = await sql<{ due_at: Date }>`select cb.due_at from callback_request cb
        join cs_case k on k.id = cb.case_id where k.case_number = ${scheduled.caseNumber}
        order by cb.requested_at desc limit 1`.execute(t.db);
      const dueAt = due.rows[0]!.due_at;
      expect(dueAt).toEqual(zonedInstant(localDateOf(day, 'Europe/Rome'), '09:00', 'Europe/Rome'));
      expect(scheduled.text).toBe(
        chatText('it', 'callback_case_at', {
          case: scheduled.caseNumber!,
          when: textFormatter('it', 'IT', 'Europe/Rome').dateTime(dueAt),
        }),
      );
      expect(scheduled.text).toContain('09:00');
      chat.close();
    } finally {
      await sql`update marketplace set support_phone_hours = null where id = 'IT'`.execute(t.db);
    }
  });

  it('opens an e-mail case when the buyer chooses e-mail, and offers only e-mail to a buyer with no phone number', async () => {
    const { chat, conversationId } = await buyerChat('B-3');
    chat.send({ type: 'handoff' });
    const offer = await chat.next('message', (m) => m.from === 'system');
    expect(offer.buttons?.map((b) => b.id)).toEqual(['handoff:email']);
    expect(offer.text).toBe(chatText('it', 'no_agent_offer_email_only', { hours: 48 }));
    await press(chat, 'handoff:email');
    const promised = await chat.next('message', (m) => m.from === 'system');
    expect(promised.text).toBe(chatText('it', 'email_case', { case: promised.caseNumber!, hours: 48 }));
    expect(await botReplies(chat)).toEqual([]);
    expect(await caseOf(conversationId)).toMatchObject({
      channel: 'email',
      case_number: promised.caseNumber,
    });
    await setAgent({});
    chat.close();
  });
});

describe('a later chat quoting the case number (C6)', () => {
  it('continues the same case, whether typed in the chat or given when the chat starts; another buyer’s number opens nothing of theirs', async () => {
    const first = await buyerChat();
    first.chat.send({ type: 'handoff' });
    const opened = await first.chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    first.chat.close();
    const caseNumber = opened.caseNumber!;

    const later = await buyerChat('B-1', { orderId: undefined });
    await say(later.chat, `vi scrivo per il caso ${caseNumber}`);
    later.chat.send({ type: 'handoff' });
    const continued = await later.chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    expect(continued.caseNumber).toBe(caseNumber);
    expect(continued.text).toContain(renderDialogueText('it', 'notice_continued', { case: caseNumber }));
    const contacts = await sql<{ n: number; reasons: string[] }>`select count(*)::int as n,
        array_agg(k.routing_reason order by k.received_at) as reasons
      from contact k join cs_case c on c.id = k.case_id where c.case_number = ${caseNumber}`.execute(t.db);
    expect(contacts.rows[0]).toEqual({ n: 2, reasons: ['enrolled_seller_fulfilled', 'continued_case'] });
    later.chat.close();

    const fromStart = await buyerChat('B-1', { caseNumber });
    fromStart.chat.send({ type: 'handoff' });
    expect(
      (await fromStart.chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null)).caseNumber,
    ).toBe(caseNumber);
    fromStart.chat.close();

    // Another buyer: the number is not theirs.
    const other = await ChatClient.connect(port);
    other.send({ type: 'hello', token: tokens['B-3'] });
    await other.next('welcome');
    other.send({ type: 'start', marketplace: 'IT', language: 'it', caseNumber });
    expect(await other.next('error')).toMatchObject({ code: 'not_found' });
    other.close();
    const quoting = await buyerChat('B-3');
    await say(quoting.chat, `il caso ${caseNumber}`);
    quoting.chat.send({ type: 'handoff' });
    const theirs = await quoting.chat.next('message', (m) => m.from === 'system');
    expect(theirs.caseNumber).not.toBe(caseNumber);
    quoting.chat.close();
  });
});

describe('the buyer’s conversations and transcripts', () => {
  it('lists them newest first with their case, reads one with its transcript, and e-mails it over SMTP in its language', async () => {
    const { chat, conversationId } = await buyerChat();
    await say(chat, 'trascrizione per favore');
    chat.send({ type: 'handoff' });
    const notice = await chat.next('message', (m) => m.from === 'system' && m.caseNumber !== null);
    chat.close();
    const b1 = await t.buyerToken('B-1');

    const list = await b1.get('/api/v1/buyer/conversations?marketplace=IT');
    expect(list.statusCode).toBe(200);
    const conversations = list.json().conversations as {
      id: string;
      caseNumber: string | null;
      lastMessageAt: string;
    }[];
    expect(conversations[0]).toMatchObject({
      id: conversationId,
      marketplace: 'IT',
      language: 'it',
      caseNumber: notice.caseNumber,
      caseStatus: 'new',
      owner: 'agent',
    });
    expect(conversations.length).toBeLessThanOrEqual(50);
    const times = conversations.map((c) => c.lastMessageAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(
      (await (await t.buyerToken('B-2')).get('/api/v1/buyer/conversations?marketplace=IT'))
        .json()
        .conversations.map((c: { id: string }) => c.id),
    ).not.toContain(conversationId);

    const detail = await b1.get(`/api/v1/buyer/conversations/${conversationId}`);
    expect(detail.statusCode).toBe(200);
    const messages = detail.json().messages as {
      seq: number;
      from: string;
      text: string;
      authorName: string | null;
    }[];
    expect(messages.map((m) => m.from)).toEqual(['bot', 'buyer', 'bot', 'system', 'system']);
    expect(messages[1]).toMatchObject({ seq: 2, text: 'trascrizione per favore', authorName: null });

    const sent = await b1.post(`/api/v1/buyer/conversations/${conversationId}/transcript-email`);
    expect(sent.statusCode).toBe(202);
    expect(sent.json()).toEqual({ sentTo: 'b-1@buyers.example' });
    await fireDueTimers(t.db, handlers, new Date());
    const mail = world.to('b-1@buyers.example').at(-1)!;
    expect(mail.subject).toMatch(/la tua chat del/);
    expect(mail.text).toContain('Tu: trascrizione per favore');
    expect(mail.text).toContain(`Caso ${notice.caseNumber}`);

    // Another buyer, a seller, nobody: nothing of it (K5).
    const b2 = await t.buyerToken('B-2');
    for (const url of [`/api/v1/buyer/conversations/${conversationId}`]) {
      expect((await b2.get(url)).statusCode).toBe(404);
      expect((await sellerClient.get(url)).statusCode).toBe(403);
      expect((await t.anonymous().get(url)).statusCode).toBe(401);
    }
    const before = world.received.length;
    expect(errorCode(await b2.post(`/api/v1/buyer/conversations/${conversationId}/transcript-email`))).toBe(
      'not_found',
    );
    expect(
      (await sellerClient.post(`/api/v1/buyer/conversations/${conversationId}/transcript-email`)).statusCode,
    ).toBe(403);
    expect((await sellerClient.get('/api/v1/buyer/conversations?marketplace=IT')).statusCode).toBe(403);
    expect((await t.anonymous().get('/api/v1/buyer/conversations?marketplace=IT')).statusCode).toBe(401);
    expect((await b1.get('/api/v1/buyer/conversations/not-a-uuid')).statusCode).toBe(400);
    await fireDueTimers(t.db, handlers, new Date());
    expect(world.received.length).toBe(before);
  });
});

describe('bad frames of the people in the chat', () => {
  it('get a stable code and change nothing', async () => {
    const { chat, conversationId } = await buyerChat();
    const count = async () =>
      (
        await sql<{
          n: number;
        }>`select (select count(*) from chat_rating)::int + (select count(*) from case_event)::int as n`.execute(
          t.db,
        )
      ).rows[0]!.n;
    const before = await count();
    const cases: [unknown, string][] = [
      [{ type: 'rate', stars: 6, solved: true }, 'validation_failed'],
      [{ type: 'rate', stars: 0, solved: true }, 'validation_failed'],
      [{ type: 'rate', stars: 3 }, 'validation_failed'],
      [{ type: 'rate', stars: 3, solved: true, extra: 1 }, 'validation_failed'],
      [{ type: 'rate', stars: 3, solved: true, comment: 'x'.repeat(2001) }, 'validation_failed'],
      [{ type: 'rate', stars: 3, solved: true, comment: 'nul \u0000' }, 'invalid_text'],
      [{ type: 'take_over', conversationId }, 'forbidden'],
      [{ type: 'take_over' }, 'validation_failed'],
      [{ type: 'start', marketplace: 'IT', language: 'it', caseNumber: 'nope' }, 'validation_failed'],
      [{ type: 'button', clientMessageId: 'x', buttonId: 'handoff:email' }, 'validation_failed'],
    ];
    for (const [frame, code] of cases) {
      chat.send(frame);
      expect(await chat.next('error'), JSON.stringify(frame).slice(0, 80)).toMatchObject({ code });
    }
    expect(await count()).toBe(before);
    chat.close();

    const sup = await staffChat(supervisorCookie);
    sup.chat.send({ type: 'take_over', conversationId: '00000000-0000-4000-8000-000000000000' });
    expect(await sup.chat.next('error')).toMatchObject({ code: 'not_found' });
    sup.chat.send({ type: 'take_over', conversationId }); // still with the bot: nothing to take over
    expect(await sup.chat.next('error')).toMatchObject({ code: 'conflict' });
    sup.chat.send({ type: 'rate', conversationId, stars: 3, solved: true });
    expect(await sup.chat.next('error')).toMatchObject({ code: 'forbidden' });
    sup.chat.close();
    expect(await count()).toBe(before);
  });
});
