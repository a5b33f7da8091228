// The assistant acting on real data over a real socket: each action is proven in the database.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { ChatClient, listeningApp } from '../../../../test/helpers/chat-client';
import { buyer, marketplaces, order, product, seller } from '../../../../test/helpers/fixtures';
import type { App } from '../../platform/http/server';
import { createLogger } from '../../platform/log';
import { fireDueTimers } from '../../platform/timers';
import { buildBotModel } from '../bot';
import { findConversation } from '../conversations';
import { enrol } from '../programs';
import { messagingTimerHandlers } from '../seller-inbox';
import { assistantTimerHandlers, chatAssistant, DEFAULT_BOT_POLICY, saveBotPolicy } from '.';

const t = await testApp();
let app: App;
let model: ReturnType<typeof buildBotModel>;
let port = 0;
const tokens: Record<string, string> = {};
let sellerA: Awaited<ReturnType<typeof t.user>>;
let sellerB: Awaited<ReturnType<typeof t.user>>;

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const dayAgo = (days: number) => ago(days).slice(0, 10);
const shipment = (id: string, orderId: string, events: [string, string][]) => ({
  type: 'shipment',
  externalId: id,
  orderExternalId: orderId,
  carrier: 'BRT',
  trackingNumber: `BRT-${id}`,
  shippedAt: events[0]![1],
  events: events.map(([code, occurredAt]) => ({ code, occurredAt, location: 'Milano' })),
});
const delivered = (id: string, orderId: string, days: number) =>
  shipment(id, orderId, [
    ['picked_up', ago(days + 2)],
    ['delivered', ago(days)],
  ]);
const kettle = {
  pages: [
    {
      marketplace: 'IT',
      language: 'it',
      title: 'Bollitore in acciaio inox',
      bulletPoints: ['Capacità di 1,7 litri', 'Spegnimento automatico quando l’acqua bolle'],
      description: 'Bollitore elettrico in acciaio inox. Base girevole a 360 gradi.',
      attributes: { colore: 'nero' },
    },
  ],
};
const recent = { orderedAt: ago(12), promisedDeliveryDate: dayAgo(1) };

beforeAll(async () => {
  await t.seed([
    ...marketplaces(),
    seller('S-A'),
    seller('S-B'),
    buyer('B-1'),
    buyer('B-2'),
    buyer('B-3'),
    buyer('B-4'),
    product('P-A', 'S-A'),
    product('P-Q', 'S-A', kettle),
    product('P-B', 'S-B'),
    order('O-RET', 'S-A', 'B-1', 'P-A', recent),
    order('O-OLD', 'S-A', 'B-1', 'P-A', { orderedAt: ago(90), promisedDeliveryDate: dayAgo(80) }),
    order('O-NEW', 'S-A', 'B-3', 'P-A', { orderedAt: ago(1), promisedDeliveryDate: dayAgo(-5) }),
    order('O-ADDR', 'S-A', 'B-3', 'P-A', { orderedAt: ago(1), promisedDeliveryDate: dayAgo(-5) }),
    order('O-DMG', 'S-A', 'B-4', 'P-A', recent),
    order('O-LATE', 'S-A', 'B-4', 'P-A', { orderedAt: ago(20), promisedDeliveryDate: dayAgo(10) }),
    order('O-Q', 'S-A', 'B-1', 'P-Q', recent),
    order('O-Q2', 'S-A', 'B-2', 'P-Q', recent),
    order('O-B', 'S-B', 'B-2', 'P-B', recent),
    delivered('SH-RET', 'O-RET', 3),
    delivered('SH-OLD', 'O-OLD', 70),
    delivered('SH-DMG', 'O-DMG', 3),
    delivered('SH-Q', 'O-Q', 3),
    delivered('SH-Q2', 'O-Q2', 3),
    delivered('SH-B', 'O-B', 3),
    shipment('SH-LATE', 'O-LATE', [
      ['picked_up', ago(18)],
      ['in_transit', ago(17)],
    ]),
  ]);
  // S-A is in the managed service; S-B is not.
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date(ago(200))));
  for (const b of ['B-1', 'B-2', 'B-3', 'B-4'])
    tokens[b] = (await t.buyerToken(b)).headers.authorization!.slice(7);
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
  sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
  const admin = await t.user('admin');
  const agent = await t.user('agent');
  const session = await t.app.inject({
    method: 'GET',
    url: '/api/v1/auth/session',
    headers: { cookie: agent.headers.cookie! },
  });
  await admin.put(`/api/v1/admin/agents/${session.json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
    capacity: 50,
  });
  model = buildBotModel();
  ({ app, port } = await listeningApp(t.database, chatAssistant(model)));
}, 120_000);
afterAll(() => app?.close());

type Chat = Awaited<ReturnType<typeof startChat>>;
async function startChat(buyerRef = 'B-1', productId?: string) {
  const chat = await ChatClient.connect(port);
  chat.send({ type: 'hello', token: tokens[buyerRef] });
  await chat.next('welcome');
  chat.send({ type: 'start', marketplace: 'IT', language: 'it', ...(productId ? { productId } : {}) });
  const { conversation } = await chat.next('joined');
  const greeting = await chat.next('message', (m) => m.from === 'bot');
  let n = 0;
  /** Sends a message or presses a button; returns every bot message up to the one with buttons or the last. */
  const say = async (input: string) => {
    const id = `c${++n}`;
    chat.send(
      input.startsWith('#')
        ? { type: 'button', buttonId: input.slice(1), clientMessageId: id }
        : { type: 'message', text: input, clientMessageId: id },
    );
    await chat.next('ack');
    const frames = await chat.rest(400);
    return frames.filter((f) => f.type === 'message' && f.from !== 'buyer') as Extract<
      (typeof frames)[number],
      { type: 'message' }
    >[];
  };
  return { chat, conversationId: conversation.id as string, say, greeting: greeting.text as string };
}
const textOf = (ms: { text: string }[]) => ms.map((m) => m.text).join('\n');
const buttonsOf = (ms: { buttons?: { id: string }[] | null }[]) =>
  ms.flatMap((m) => m.buttons ?? []).map((b) => b.id);
async function pickOrder(c: Chat, orderId: string) {
  await c.say('#topic:order');
  return c.say(`#order:${orderId}`);
}
const count = async (q: ReturnType<typeof sql<{ n: number }>>) => (await q.execute(t.db)).rows[0]!.n;

describe('the assistant acts on real data', () => {
  it('authorises a return within policy at once, with its instructions, and stores it', async () => {
    const c = await startChat();
    await pickOrder(c, 'O-RET');
    await c.say('voglio restituire il bollitore');
    const answer = await c.say('#reason:no_longer_needed');
    expect(textOf(answer)).toContain('RMA-O-RET-1');
    expect(textOf(answer)).toMatch(/spediscilo entro/);
    const row = (
      await sql<{
        authorisation: string;
        case_id: string | null;
        by: string;
      }>`select r.authorisation, r.case_id,
        r.decision->>'decidedBy' as by from "return" r join "order" o on o.id = r.order_id where o.external_id = 'O-RET'`.execute(
        t.db,
      )
    ).rows;
    expect(row).toEqual([{ authorisation: 'authorised', case_id: null, by: 'bot' }]);
    c.chat.close();
  });

  it('hands a return outside the window to a person with the reason in words, and stores nothing', async () => {
    const c = await startChat();
    await pickOrder(c, 'O-OLD');
    await c.say('voglio restituire il bollitore');
    const answer = await c.say('#reason:no_longer_needed');
    expect(textOf(answer)).toContain('Il periodo per il reso di questo articolo è terminato');
    expect(answer.find((m) => m.from === 'system')?.caseNumber).toMatch(/^IT-/);
    expect(
      await count(
        sql`select count(*)::int as n from "return" r join "order" o on o.id = r.order_id where o.external_id = 'O-OLD'`,
      ),
    ).toBe(0);
    c.chat.close();
  });

  it('cancels an unshipped order after the buyer confirms, and tells the platform', async () => {
    const c = await startChat('B-3');
    await pickOrder(c, 'O-NEW');
    expect(buttonsOf(await c.say('voglio annullare l’ordine'))).toContain('confirm_cancel');
    expect(textOf(await c.say('#confirm_cancel'))).toContain('L’ordine O-NEW è annullato');
    const rows = (
      await sql<{
        decided_by: string;
      }>`select c.decided_by from order_cancellation c join "order" o on o.id = c.order_id
      where o.external_id = 'O-NEW'`.execute(t.db)
    ).rows;
    expect(rows).toEqual([{ decided_by: 'bot' }]);
    expect(
      await count(
        sql`select count(*)::int as n from timer where kind = 'publish_event' and payload->>'type' = 'order.cancelled'`,
      ),
    ).toBe(1);
    // A second cancellation is refused by the order's own decision: already cancelled.
    const again = await startChat('B-3');
    await pickOrder(again, 'O-NEW');
    expect(textOf(await again.say('voglio annullare l’ordine'))).toContain('è già annullato');
    expect(await count(sql`select count(*)::int as n from order_cancellation`)).toBe(1);
    c.chat.close();
    again.chat.close();
  });

  it('changes the delivery address before shipment', async () => {
    const c = await startChat('B-3');
    await pickOrder(c, 'O-ADDR');
    await c.say('voglio cambiare l’indirizzo di consegna');
    expect(textOf(await c.say('Roma'))).toContain('incompleto');
    expect(textOf(await c.say('Via Garibaldi 12, 20121 Milano'))).toContain('Via Garibaldi 12, 20121 Milano');
    const rows = (
      await sql<{
        address: string;
      }>`select a.address from order_address_change a join "order" o on o.id = a.order_id
      where o.external_id = 'O-ADDR'`.execute(t.db)
    ).rows;
    expect(rows).toEqual([{ address: 'Via Garibaldi 12, 20121 Milano' }]);
    c.chat.close();
  });

  it('offers a late order what the concession policy allows, and leaves the grant to a person by default', async () => {
    const c = await startChat('B-4');
    await pickOrder(c, 'O-LATE');
    const offers = await c.say('dov’è il mio pacco?');
    expect(buttonsOf(offers)).toEqual(expect.arrayContaining(['late:shipping_fee_refund', 'late:wait']));
    const after = await c.say('#late:shipping_fee_refund');
    expect(after.find((m) => m.from === 'system')?.caseNumber).toMatch(/^IT-/);
    expect(await count(sql`select count(*)::int as n from concession`)).toBe(0);
    c.chat.close();
  });

  it('answers a product question from the detail page and shows the passage', async () => {
    const c = await startChat();
    await pickOrder(c, 'O-Q');
    expect(textOf(await c.say('il bollitore ha lo spegnimento automatico?'))).toContain(
      'Spegnimento automatico quando l’acqua bolle',
    );
    expect(textOf(await c.say('#more:yes'))).toMatch(/\S/);
    expect(textOf(await c.say('di che colore è il bollitore?'))).toContain('colore: nero');
    c.chat.close();
  });

  it('opened from a detail page, greets with the product and answers from its page without an order', async () => {
    const c = await startChat('B-1', 'P-Q');
    expect(c.greeting).toContain('Bollitore in acciaio inox');
    expect(textOf(await c.say('ha la base girevole?'))).toContain('Base girevole a 360 gradi');
    c.chat.close();
    const other = await ChatClient.connect(port);
    other.send({ type: 'hello', token: tokens['B-1'] });
    await other.next('welcome');
    other.send({ type: 'start', marketplace: 'IT', language: 'it', productId: 'P-NONE' });
    expect((await other.next('error')).code).toBe('not_found');
    other.close();
  });

  it('asks the seller what the page cannot answer, keeps the answer for the next buyer, until the seller withdraws it', async () => {
    const first = await startChat('B-1');
    await pickOrder(first, 'O-Q');
    const asked = await first.say('si può lavare in lavastoviglie?');
    expect(textOf(asked)).toContain('l’ho chiesto al venditore');
    const request = (
      await sql<{
        id: string;
        due_at: Date;
        case_id: string | null;
        conversation_id: string;
      }>`select id, due_at, case_id, conversation_id
        from case_log_request where product_id is not null`.execute(t.db)
    ).rows;
    expect(request).toHaveLength(1);
    expect(request[0]).toMatchObject({ case_id: null, conversation_id: first.conversationId });
    // The seller sees it in the case log, without a case, and answers.
    const log = (await sellerA.get('/api/v1/seller/case-log')).json() as {
      id: string;
      caseNumber: string | null;
      productExternalId: string | null;
    }[];
    expect(log.find((r) => r.id === request[0]!.id)).toMatchObject({
      caseNumber: null,
      productExternalId: 'P-Q',
    });
    const answered = await sellerA.post(`/api/v1/seller/case-log/${request[0]!.id}/answer`, {
      answer: 'No, va lavato solo a mano.',
    });
    expect(answered.statusCode).toBe(200);
    // The first buyer hears the answer in the chat they asked in.
    await fireDueTimers(t.db, assistantTimerHandlers, new Date(Date.now() + 60_000));
    const told = await first.chat.next('message', (m) => m.from === 'bot' && m.text.includes('solo a mano'));
    expect(told.text).toContain('Il venditore ha risposto alla tua domanda su «Bollitore in acciaio inox»');
    first.chat.close();

    const second = await startChat('B-2');
    await pickOrder(second, 'O-Q2');
    expect(textOf(await second.say('il bollitore si può lavare in lavastoviglie?'))).toContain(
      'No, va lavato solo a mano.',
    );
    expect(
      await count(sql`select count(*)::int as n from case_log_request where product_id is not null`),
    ).toBe(1);

    // The seller lists and withdraws it; it is no longer given, and the seller is asked again.
    const list = (await sellerA.get('/api/v1/seller/product-answers')).json() as {
      id: string;
      status: string;
    }[];
    expect(list).toHaveLength(1);
    expect((await sellerA.delete(`/api/v1/seller/product-answers/${list[0]!.id}`)).json().status).toBe(
      'withdrawn',
    );
    await second.say('#more:yes');
    const again = await second.say('il bollitore si può lavare in lavastoviglie?');
    expect(textOf(again)).not.toContain('solo a mano');
    expect(textOf(again)).toContain('l’ho chiesto al venditore');
    expect(
      await count(sql`select count(*)::int as n from case_log_request where product_id is not null`),
    ).toBe(2);
    second.chat.close();
  });

  it('an order outside the managed service: the seller answers in a buyer–seller thread, the bot does nothing itself', async () => {
    const c = await startChat('B-2');
    await pickOrder(c, 'O-B');
    const answer = await c.say('voglio restituire il bollitore');
    expect(textOf(answer)).toContain('Seller S-B');
    expect(
      await count(
        sql`select count(*)::int as n from "return" r join "order" o on o.id = r.order_id where o.external_id = 'O-B'`,
      ),
    ).toBe(0);
    await fireDueTimers(t.db, messagingTimerHandlers, new Date(Date.now() + 60_000));
    const threads = (
      await sql<{ routing_reason: string }>`select t.routing_reason from buyer_seller_thread t
      join "order" o on o.id = t.order_id where o.external_id = 'O-B'`.execute(t.db)
    ).rows;
    expect(threads.map((r) => r.routing_reason)).toEqual(['seller_not_enrolled']);
    c.chat.close();
  });

  it('after a hand-off the bot is silent and acts on nothing', async () => {
    const c = await startChat('B-4');
    await pickOrder(c, 'O-DMG');
    const handed = await c.say('voglio parlare con un operatore');
    expect(handed.find((m) => m.from === 'system')?.caseNumber).toMatch(/^IT-/);
    expect(await c.say('voglio restituire il bollitore')).toEqual([]);
    expect(
      await count(
        sql`select count(*)::int as n from "return" r join "order" o on o.id = r.order_id where o.external_id = 'O-DMG'`,
      ),
    ).toBe(0);
    c.chat.close();
  });

  it('refunds a damaged item only once the marketplace lets the bot refund, within its limit', async () => {
    const byDefault = await startChat('B-4');
    await pickOrder(byDefault, 'O-DMG');
    await byDefault.say('il prodotto è arrivato rotto');
    const remedies = await byDefault.say('#problem:damaged_in_transit');
    expect(buttonsOf(remedies)).toContain('remedy:return');
    expect(buttonsOf(remedies)).not.toContain('remedy:refund');
    byDefault.chat.close();

    // Above the bot's limit: refused, a person decides, no money moves.
    await saveBotPolicy(
      t.db,
      'IT',
      { ...DEFAULT_BOT_POLICY, mayRefund: true, refundLimit: 1000n },
      new Date(ago(1)),
    );
    const above = await startChat('B-4');
    await pickOrder(above, 'O-DMG');
    await above.say('il prodotto è arrivato rotto');
    await above.say('#problem:damaged_in_transit');
    const refused = await above.say('#remedy:refund');
    expect(refused.find((m) => m.from === 'system')?.caseNumber).toMatch(/^IT-/);
    expect(await count(sql`select count(*)::int as n from concession`)).toBe(0);
    above.chat.close();

    await saveBotPolicy(
      t.db,
      'IT',
      { ...DEFAULT_BOT_POLICY, mayRefund: true, refundLimit: 10_000n },
      new Date(ago(0.5)),
    );
    const allowed = await startChat('B-4');
    await pickOrder(allowed, 'O-DMG');
    await allowed.say('il prodotto è arrivato rotto');
    await allowed.say('#problem:damaged_in_transit');
    expect(textOf(await allowed.say('#remedy:refund'))).toMatch(/39,98/);
    const rows = (
      await sql<{ status: string; decided_by: string | null; amount_items: bigint; case_id: string | null }>`
      select status, decided_by, amount_items, case_id from concession`.execute(t.db)
    ).rows;
    expect(rows).toEqual([{ status: 'issued', decided_by: null, amount_items: 3998n, case_id: null }]);
    expect(await count(sql`select count(*)::int as n from ledger_batch`)).toBe(1);
    allowed.chat.close();
  });
});

describe('the seller’s product answers over HTTP', () => {
  const answerId = async () =>
    (await sql<{ id: string }>`select id from product_answer order by created_at limit 1`.execute(t.db))
      .rows[0]!.id;

  it('refuses bad input with stable codes and changes nothing', async () => {
    const id = await answerId();
    const before = (
      await sql<{
        answer: string;
        status: string;
      }>`select answer, status from product_answer where id = ${id}::uuid`.execute(t.db)
    ).rows[0];
    expect(
      (await sellerA.put(`/api/v1/seller/product-answers/${id}`, { answer: '   ' })).json().error.code,
    ).toBe('validation_failed');
    expect(
      (await sellerA.put('/api/v1/seller/product-answers/not-a-uuid', { answer: 'x' })).json().error.code,
    ).toBe('validation_failed');
    expect(
      (await sellerA.put(`/api/v1/seller/product-answers/${id}`, { answer: 'a\u0000b' })).json().error.code,
    ).toBe('invalid_text');
    expect(
      (await sellerA.put(`/api/v1/seller/product-answers/${id}`, { answer: 'x', extra: 1 })).json().error
        .code,
    ).toBe('validation_failed');
    // Another seller's answer does not exist for them.
    expect((await sellerB.put(`/api/v1/seller/product-answers/${id}`, { answer: 'x' })).statusCode).toBe(404);
    expect((await sellerB.delete(`/api/v1/seller/product-answers/${id}`)).json().error.code).toBe(
      'not_found',
    );
    expect((await sellerB.get('/api/v1/seller/product-answers')).json()).toEqual([]);
    // A withdrawn answer cannot be changed.
    expect(
      (await sellerA.put(`/api/v1/seller/product-answers/${id}`, { answer: 'Sì' })).json().error.code,
    ).toBe('conflict');
    const after = (
      await sql<{
        answer: string;
        status: string;
      }>`select answer, status from product_answer where id = ${id}::uuid`.execute(t.db)
    ).rows[0];
    expect(after).toEqual(before);
  });
});

describe('the bot policy over HTTP', () => {
  it('is the default until an admin sets it; bad input changes nothing', async () => {
    const admin = await t.user('admin');
    const agent = await t.user('agent');
    const now = (await agent.get('/api/v1/marketplaces/FR/bot-policy')).json();
    expect(now).toEqual({ ...DEFAULT_BOT_POLICY, refundLimit: null });
    const bad = [
      { ...now, mayRefund: 'yes' },
      { ...now, refundLimit: -1 },
      { ...now, refundLimit: 1.5 },
      { ...now, unknown: true },
    ];
    for (const body of bad)
      expect((await admin.put('/api/v1/admin/marketplaces/FR/bot-policy', body)).json().error.code).toBe(
        'validation_failed',
      );
    expect((await agent.put('/api/v1/admin/marketplaces/FR/bot-policy', now)).statusCode).toBe(403);
    expect((await admin.put('/api/v1/admin/marketplaces/ZZ/bot-policy', now)).statusCode).toBe(404);
    expect((await agent.get('/api/v1/marketplaces/FR/bot-policy')).json()).toEqual(now);
    const set = await admin.put('/api/v1/admin/marketplaces/FR/bot-policy', {
      ...now,
      mayRefund: true,
      refundLimit: 5000,
    });
    expect(set.json()).toMatchObject({ mayRefund: true, refundLimit: 5000 });
    expect((await agent.get('/api/v1/marketplaces/FR/bot-policy')).json()).toMatchObject({
      mayRefund: true,
      refundLimit: 5000,
    });
  });
});

describe('the marketplace’s facts the bot remembers', () => {
  it('sees a policy changed elsewhere at the next message, long before they would expire; a dated policy ends them when it comes into force', async () => {
    // Another instance: its own assistant and memory (the same model), listening as the app's would.
    const other = chatAssistant(model);
    const listening = other.listen!(t.database.url, createLogger('silent'));
    await listening.ready();
    try {
      const chat = await startChat('B-4');
      await pickOrder(chat, 'O-DMG');
      await chat.say('il prodotto è arrivato rotto');
      chat.chat.close();
      const conversation = (await findConversation(t.db, chat.conversationId))!;
      // The buyer's next frame as the other instance would answer it (a read-only turn stores nothing).
      const remedies = async () => {
        const turn = await other.onBuyerMessage(
          t.db,
          conversation,
          {
            seq: conversation.last_seq + 1,
            text: '',
            buttonId: 'problem:damaged_in_transit',
            at: new Date(),
          },
          'read',
        );
        return buttonsOf(turn!.replies);
      };
      const policyReads = async (fn: () => Promise<unknown>) => {
        const seen = await statementsDuring(fn);
        return seen.filter((q) => q.includes('bot_policy')).length;
      };
      const allowed = () =>
        saveBotPolicy(
          t.db,
          'IT',
          { ...DEFAULT_BOT_POLICY, mayRefund: true, refundLimit: 10_000n },
          new Date(),
        );
      await allowed();
      expect(await within(2000, async () => (await remedies()).includes('remedy:refund'))).toBe(true);
      await new Promise((r) => setTimeout(r, 100)); // the notice of that save, heard
      await remedies();
      // Remembered: the next message reads no policy.
      expect(await policyReads(remedies)).toBe(0);

      // Changed by hand on another connection: the next message after the notice sees it.
      await saveBotPolicy(t.db, 'IT', { ...DEFAULT_BOT_POLICY, mayRefund: false }, new Date());
      expect(await within(2000, async () => !(await remedies()).includes('remedy:refund'))).toBe(true);

      // A policy dated a second ahead: in force then, not 10 s later when the memory would expire.
      await allowed();
      await saveBotPolicy(
        t.db,
        'IT',
        { ...DEFAULT_BOT_POLICY, mayRefund: false },
        new Date(Date.now() + 1000),
      );
      expect(await within(2000, async () => (await remedies()).includes('remedy:refund'))).toBe(true);
      await new Promise((r) => setTimeout(r, 1100));
      expect(await remedies()).not.toContain('remedy:refund');
    } finally {
      await listening.close();
    }
  });
});

/** True as soon as `check` is, asked every 5 ms for at most `ms`. */
async function within(ms: number, check: () => Promise<boolean>) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The statements this process sends while `fn` runs. */
async function statementsDuring(fn: () => Promise<unknown>): Promise<string[]> {
  const original = pg.Client.prototype.query;
  const seen: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is overloaded; this only records the text
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]): any {
    seen.push(typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? ''));
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (original as any).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
