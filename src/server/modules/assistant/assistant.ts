// The chat assistant: runs the bot's dialogue (bot/dialogue.ts) in a conversation, inside the
// transaction that stores the buyer's message. It reads the message (`understand`), steps the dialogue,
// stores its state on the conversation and carries out its effects: orders are loaded here and fed back
// in the same call; a person is asked for through the chat's hand-off; what the bot may not yet do alone
// goes to a person too (README "Buyer chat (socket)").

import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { systemKey } from '../../platform/idempotency';
import {
  type BotModel,
  DEFAULT_BOT_PERMISSIONS,
  type DialogueEvent,
  type DialogueFacts,
  type DialogueOrder,
  type DialogueState,
  type Effect,
  initialDialogueState,
  isBotLanguage,
  matchBuyerOrder,
  type OrderChoice,
  renderDialogueText,
  step,
  type Understanding,
  understand,
} from '../bot';
import { DEFAULT_SLA, receiveContact } from '../cases';
import type { BotReply, ChatBot, ConversationRow } from '../conversations';
import { findMarketplace, findOrder, findSeller, listOrders } from '../marketplace';
import { sellerStatusAt } from '../programs';
import { returnPolicyOf } from '../returns';
import { DEFAULT_RULES } from '../routing';
import { SELLER_RESPONSE_TARGET_HOURS } from '../seller-inbox';
import {
  availableAgentLanguages,
  loadDialogueState,
  orderMoneyFacts,
  saveDialogueState,
} from './assistant.repository';

/** Effects a person carries out for now: the bot says it hands over and the chat goes to a case. */
export const EFFECTS_FOR_A_PERSON = [
  'authorise_return', // the returns module authorises on a case; a bot-owned chat has none yet
  'grant_refund', // off by default (botMay.refunds)
  'cancel_order',
  'change_address',
  'find_product_answer',
  'ask_seller_product_question',
] as const;

const ORDER_BUTTONS = 5;

export function chatAssistant(model: BotModel, clock: () => Date = () => new Date()): ChatBot {
  return {
    async greet(tx, conversation) {
      const at = clock();
      const ctx = await contextOf(tx, conversation, at);
      const orders = await orderChoices(
        tx,
        (await ctx.buyerOrders()).slice(0, ORDER_BUTTONS),
        conversation.buyer_id,
      );
      const lang = isBotLanguage(conversation.language) ? conversation.language : 'en';
      return run(tx, conversation, initialDialogueState(lang), { type: 'started', lang, orders }, ctx, at);
    },

    async onBuyerMessage(tx, conversation, message) {
      const ctx = await contextOf(tx, conversation, message.at);
      const stored =
        (await loadDialogueState<DialogueState>(tx, conversation.id)) ??
        initialDialogueState(isBotLanguage(conversation.language) ? conversation.language : 'en');
      // The socket calls the bot only while it owns the chat: a dialogue left "with a person" then means
      // the hand-off found none (routing sent the contact to the seller), so the bot helps on, never mute.
      const state: DialogueState = stored.phase === 'with_person' ? { ...stored, phase: 'topics' } : stored;
      if (message.buttonId)
        return run(tx, conversation, state, { type: 'button', id: message.buttonId }, ctx, message.at);
      const understanding = understand(model, message.text, {
        languages: ctx.marketplace.languages,
        conversationLanguage: state.lang,
        timeZone: ctx.marketplace.time_zone,
        currency: ctx.marketplace.currency,
        orderNumberPattern: ctx.marketplace.order_number_pattern,
        now: message.at,
      });
      ctx.understanding = understanding;
      return run(
        tx,
        conversation,
        state,
        { type: 'text', text: message.text, understanding },
        ctx,
        message.at,
      );
    },
  };
}

type Context = Awaited<ReturnType<typeof contextOf>>;

async function contextOf(db: Db, conversation: ConversationRow, at: Date) {
  const marketplace = await findMarketplace(db, conversation.marketplace_id);
  if (!marketplace) throw notFound('Marketplace');
  const [policy, agentLanguages] = await Promise.all([
    returnPolicyOf(db, marketplace.id, at),
    availableAgentLanguages(db, marketplace.id),
  ]);
  // Read only when a message needs them (the greeting's buttons, an order to load), once per message.
  let orders: ReturnType<typeof listOrders> | undefined;
  const buyerOrders = () =>
    (orders ??= listOrders(
      db,
      { kind: 'buyer', buyerId: conversation.buyer_id },
      { marketplaceId: marketplace.id, limit: 100 },
    ));
  const facts: DialogueFacts = {
    marketplaceName: marketplace.name,
    country: marketplace.country,
    timeZone: marketplace.time_zone,
    currency: marketplace.currency,
    returnWindowDays: policy.windowDays,
    routingRules: DEFAULT_RULES,
    botMay: DEFAULT_BOT_PERMISSIONS,
    sellerReplyHours: SELLER_RESPONSE_TARGET_HOURS,
    emailReplyHours: DEFAULT_SLA.email.firstResponseMinutes / 60,
    agentLanguages,
  };
  return { marketplace, facts, buyerOrders, understanding: null as Understanding | null };
}

/** Steps the dialogue until no effect asks for data, then stores its state and returns what it said. */
async function run(
  tx: Db,
  conversation: ConversationRow,
  start: DialogueState,
  first: DialogueEvent,
  ctx: Context,
  at: Date,
): Promise<BotReply[]> {
  const replies: BotReply[] = [];
  let state = start;
  let handOff = false;
  let escalate = false; // "I want a manager": the case goes to a supervisor (C5)
  let event: DialogueEvent | null = first;
  while (event) {
    const result = step(state, event, ctx.facts, at);
    state = result.state;
    replies.push(...result.replies);
    event = null;
    for (const effect of result.effects) {
      if (effect.type === 'handoff' && effect.escalate) escalate = true;
      const done = await carryOut(tx, conversation, effect, ctx, at);
      if (done === 'hand_off') handOff = true;
      else if (done === 'for_a_person') {
        // The dialogue waits for a result the bot cannot give yet: a person takes over from here.
        replies.push({ text: renderDialogueText(state.lang, 'handoff') });
        state = { ...state, phase: 'with_person' };
        handOff = true;
      } else if (done) event = done;
    }
  }
  await saveDialogueState(tx, conversation.id, state);
  if (handOff && replies.length > 0) {
    const orderRef = state.order?.externalId ?? null;
    replies[replies.length - 1] = { ...replies.at(-1)!, handOff: { orderRef, escalate } };
  }
  return replies;
}

/** An effect carried out: the event to feed back, a hand-off, or nothing more to do. */
async function carryOut(
  tx: Db,
  conversation: ConversationRow,
  effect: Effect,
  ctx: Context,
  at: Date,
): Promise<DialogueEvent | 'hand_off' | 'for_a_person' | null> {
  switch (effect.type) {
    case 'load_order':
      return {
        type: 'facts_loaded',
        order: await buyersOrder(tx, conversation, effect.orderExternalId, ctx, at),
      };
    case 'handoff': // by chat, e-mail or callback alike, the case's owner answers
      return 'hand_off';
    case 'open_seller_thread': {
      // Without an order the seller is not known to the contact path: a person answers instead.
      if (!effect.orderExternalId) return 'for_a_person';
      // The contact path routes it to the seller and opens the buyer–seller thread (R2, R3).
      await receiveContact(tx, {
        idempotency: systemKey(`chat:${conversation.id}:seller:${conversation.last_seq}`),
        marketplaceId: conversation.marketplace_id,
        channel: 'chat',
        sender: 'buyer',
        buyerId: conversation.buyer_id,
        sellerId: null,
        orderRef: effect.orderExternalId,
        topic: effect.topic === 'pre_order' ? 'product_question' : effect.topic,
        language: conversation.language,
        body: effect.message || '(chat)',
        caseNumber: null,
        at,
      });
      return null;
    }
    case 'offer_email_or_callback': // the dialogue offers the choice as buttons
    case 'close':
      return null;
    default:
      return 'for_a_person';
  }
}

/** `load_order`: only one of the buyer's own orders on this marketplace, else none. */
async function buyersOrder(
  db: Db,
  conversation: ConversationRow,
  asked: string,
  ctx: Context,
  now: Date,
): Promise<DialogueOrder | null> {
  const ids = (await ctx.buyerOrders()).map((o) => o.external_id);
  // A number typed as the buyer wrote it ("ordine 123-45"): matched against their own orders.
  const externalId = ids.includes(asked)
    ? asked
    : ctx.understanding
      ? matchBuyerOrder(ctx.understanding.entities, ids)
      : null;
  if (!externalId) return null;
  const o = await findOrder(db, externalId, { kind: 'buyer', buyerId: conversation.buyer_id });
  if (!o || o.marketplace_id !== conversation.marketplace_id) return null;
  const [seller, sellerStatus, money] = await Promise.all([
    findSeller(db, o.seller_id, { kind: 'all' }),
    sellerStatusAt(db, o.seller_id, o.marketplace_id, now),
    orderMoneyFacts(db, o.id),
  ]);
  return {
    externalId: o.external_id,
    sellerName: seller?.name ?? o.seller_external_id,
    fulfilmentChannel: o.fulfilment_channel as DialogueOrder['fulfilmentChannel'],
    sellerStatus,
    productId: o.lines[0]?.product_id ?? null,
    orderedAt: o.ordered_at,
    promisedDeliveryDate: o.promised_delivery_date,
    isPreorder: o.is_preorder,
    currency: o.currency,
    total: BigInt(o.order_total),
    lines: o.lines.map((l) => ({
      lineNo: l.line_no,
      title: l.title,
      units: l.units,
      unitPrice: BigInt(l.unit_price),
    })),
    shipments: o.shipments.map((s) => ({
      carrier: s.carrier,
      trackingNumber: s.tracking_number,
      shippedAt: new Date(s.shipped_at),
      // Events come as JSON from the order read: their times are strings.
      events: s.events.map((e) => ({
        code: e.code,
        occurredAt: new Date(e.occurred_at),
        location: e.location,
      })),
    })),
    returns: o.returns.map((r) => ({
      externalId: r.external_id,
      authorisation: (['authorised', 'rejected'].includes(r.authorisation)
        ? r.authorisation
        : 'pending') as DialogueOrder['returns'][number]['authorisation'],
      receivedAt: r.received_at,
      refundedAt: r.refunded_at,
      sellerRefundDueAt: money.refundDueAt.get(r.id) ?? null,
    })),
    refunds: money.refunds,
    // The concession policy's offers for a late order are not computed for the bot yet (D4).
    lateOffers: [],
    cancellable: o.shipments.length === 0,
  };
}

async function orderChoices(
  db: Db,
  orders: Awaited<ReturnType<Context['buyerOrders']>>,
  buyerId: string,
): Promise<OrderChoice[]> {
  return Promise.all(
    orders.map(async (o) => ({
      externalId: o.external_id,
      orderedAt: o.ordered_at,
      title: (await findOrder(db, o.id, { kind: 'buyer', buyerId }))?.lines[0]?.title ?? null,
    })),
  );
}
