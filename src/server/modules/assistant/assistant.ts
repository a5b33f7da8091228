// The chat assistant: runs the bot's dialogue (bot/dialogue.ts) in a conversation, inside the
// transaction that stores the buyer's message. It reads the message (`understand`), steps the dialogue,
// stores its state on the conversation and carries out its effects on real data through the modules
// that own it — a return authorised, a refund granted, an order cancelled or re-addressed, a product
// question answered from the page or asked of the seller — each in a savepoint, so a refusal changes
// nothing and comes back to the dialogue as a reason; a person is asked for through the chat's hand-off
// (docs/assistant.md).

import { sql } from 'kysely';
import { localDateOf } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { systemKey } from '../../platform/idempotency';
import {
  type BotModel,
  type DialogueEvent,
  type DialogueFacts,
  type DialogueOrder,
  type DialogueState,
  type Effect,
  type EffectResult,
  initialDialogueState,
  isBotLanguage,
  type LateOffer,
  matchBuyerOrder,
  type OrderChoice,
  type ReturnRefusal,
  step,
  type Understanding,
  understand,
} from '../bot';
import { DEFAULT_SLA, receiveContact } from '../cases';
import type { BotReply, BotTurn, ChatBot, ConversationRow } from '../conversations';
import {
  cancelOrder,
  changeDeliveryAddress,
  decideCancellation,
  findOrder,
  findProductPage,
  findSeller,
  firstLineTitles,
  listOrders,
  orderChangeFacts,
} from '../marketplace';
import { sellerStatusAt } from '../programs';
import { grantConcessionInChat, optionsForOrder } from '../refunds';
import { authoriseReturnInChat } from '../returns';
import { DEFAULT_RULES } from '../routing';
import {
  activeProductAnswers,
  askSellerAboutProduct,
  CASE_LOG_DUE_HOURS,
  SELLER_RESPONSE_TARGET_HOURS,
} from '../seller-inbox';
import { dialogueStateOf, loadDialogueState, orderMoneyFacts, stateToJson } from './assistant.repository';
import { type BotFactsCache, readMarketplaceFacts, startBotFactsCache } from './bot-facts';
import { bestPassage, sameQuestion } from './product-passage';

/** The late offers the bot can carry out itself or hand on (D4); a partial refund needs a person's amount. */
const LATE_ACTIONS: readonly LateOffer['action'][] = [
  'shipping_fee_refund',
  'returnless_refund',
  'cancel_order',
];

const ORDER_BUTTONS = 5;

/** Thrown in a read-only turn when the dialogue asks for an effect that writes: the turn is done again in a transaction. */
class NeedsTransaction extends Error {}

export function chatAssistant(model: BotModel, clock: () => Date = () => new Date()): ChatBot {
  // The marketplace's facts, remembered while a LISTEN connection hears their changes (bot-facts.ts);
  // one cache for all the apps of this process that use this assistant.
  let cache: BotFactsCache | null = null;
  let apps = 0;
  const factsOf = (db: Db, marketplaceId: string, at: Date) =>
    cache ? cache.factsOf(db, marketplaceId, at) : readMarketplaceFacts(db, marketplaceId, at);
  const contextOf = (db: Db, conversation: ConversationRow, at: Date, mode: 'read' | 'write') =>
    conversationContext(db, conversation, at, mode, factsOf);
  return {
    listen(databaseUrl, log) {
      cache ??= startBotFactsCache(databaseUrl, log);
      const started = cache;
      apps++;
      return {
        ready: () => started.ready(),
        async close() {
          if (--apps > 0) return;
          cache = null;
          await started.close();
        },
      };
    },

    async greet(tx, conversation) {
      const at = clock();
      const ctx = await contextOf(tx, conversation, at, 'write');
      const orders = await orderChoices(tx, (await ctx.buyerOrders()).slice(0, ORDER_BUTTONS));
      const lang = isBotLanguage(conversation.language) ? conversation.language : 'en';
      const product = await productOfConversation(tx, conversation, lang);
      return run(
        tx,
        conversation,
        initialDialogueState(lang),
        { type: 'started', lang, orders, product },
        ctx,
        at,
      );
    },

    async onBuyerMessage(tx, conversation, message, mode) {
      const ctx = await contextOf(tx, conversation, message.at, mode);
      // The socket passes the row it locked in this transaction: its dialogue is current, no second read.
      const stored =
        dialogueStateOf<DialogueState>(conversation.dialogue) ??
        initialDialogueState(isBotLanguage(conversation.language) ? conversation.language : 'en');
      // The socket calls the bot only while it owns the chat: a dialogue left "with a person" then means
      // the hand-off found none (routing sent the contact to the seller), so the bot helps on, never mute.
      const state: DialogueState = stored.phase === 'with_person' ? { ...stored, phase: 'topics' } : stored;
      if (message.buttonId)
        return turnOrRetry(() =>
          run(tx, conversation, state, { type: 'button', id: message.buttonId! }, ctx, message.at),
        );
      const understanding = understand(model, message.text, {
        languages: ctx.marketplace.languages,
        conversationLanguage: state.lang,
        timeZone: ctx.marketplace.time_zone,
        currency: ctx.marketplace.currency,
        orderNumberPattern: ctx.marketplace.order_number_pattern,
        now: message.at,
      });
      ctx.understanding = understanding;
      return turnOrRetry(() =>
        run(tx, conversation, state, { type: 'text', text: message.text, understanding }, ctx, message.at),
      );
    },

    async handOffRequest(db, conversation) {
      const state = await loadDialogueState<DialogueState>(db, conversation.id);
      return { orderRef: state?.order?.externalId ?? null };
    },
  };
}

/** A read-only turn that needs to act on data answers null: the socket does it again in a transaction. */
async function turnOrRetry(turn: () => Promise<BotTurn>): Promise<BotTurn | null> {
  try {
    return await turn();
  } catch (error) {
    if (error instanceof NeedsTransaction) return null;
    throw error;
  }
}

type Context = Awaited<ReturnType<typeof conversationContext>>;

async function conversationContext(
  db: Db,
  conversation: ConversationRow,
  at: Date,
  mode: 'read' | 'write',
  factsOf: (db: Db, marketplaceId: string, at: Date) => ReturnType<typeof readMarketplaceFacts>,
) {
  const found = await factsOf(db, conversation.marketplace_id, at);
  if (!found) throw notFound('Marketplace');
  const { marketplace, policy, agentLanguages, bot } = found;
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
    botMay: {
      authoriseReturns: bot.mayAuthoriseReturns,
      refunds: bot.mayRefund,
      cancelOrders: bot.mayCancelOrders,
      changeAddresses: bot.mayChangeAddresses,
    },
    sellerReplyHours: SELLER_RESPONSE_TARGET_HOURS,
    caseLogDueHours: CASE_LOG_DUE_HOURS,
    emailReplyHours: DEFAULT_SLA.email.firstResponseMinutes / 60,
    agentLanguages,
  };
  return {
    marketplace,
    facts,
    bot,
    /** `read`: outside a transaction, where an effect that writes cannot be carried out. */
    mode,
    buyerOrders,
    understanding: null as Understanding | null,
    /** Orders loaded in this conversation: external id → id, for the effects that act on one. */
    orderIds: new Map<string, string>(),
  };
}

/** Steps the dialogue until no effect asks for data; returns what it said and its state, to be stored. */
async function run(
  tx: Db,
  conversation: ConversationRow,
  start: DialogueState,
  first: DialogueEvent,
  ctx: Context,
  at: Date,
): Promise<BotTurn> {
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
      const done = await carryOut(tx, conversation, effect, ctx, at, state);
      if (done === 'hand_off') handOff = true;
      else if (done) event = done;
    }
  }
  if (handOff && replies.length > 0) {
    const orderRef = state.order?.externalId ?? null;
    replies[replies.length - 1] = { ...replies.at(-1)!, handOff: { orderRef, escalate } };
  }
  return { replies, dialogue: { json: stateToJson(state), phase: state.phase } };
}

/** The effects that only read: the rest write, and need the transaction that stores the message. */
const READ_ONLY_EFFECTS: readonly Effect['type'][] = [
  'load_order',
  'find_product_answer',
  'handoff', // carried out by the socket, in its transaction
  'offer_email_or_callback',
  'close',
];

/** An effect carried out: the event to feed back, a hand-off, or nothing more to do. */
async function carryOut(
  tx: Db,
  conversation: ConversationRow,
  effect: Effect,
  ctx: Context,
  at: Date,
  state: DialogueState,
): Promise<DialogueEvent | 'hand_off' | null> {
  // Keys derived from the conversation and the buyer's message: a resent frame acts once.
  const key = (what: string) => systemKey(`chat:${conversation.id}:${conversation.last_seq}:${what}`);
  const result = (r: EffectResult): DialogueEvent => ({ type: 'effect_result', result: r });
  if (ctx.mode === 'read' && !READ_ONLY_EFFECTS.includes(effect.type)) throw new NeedsTransaction();
  switch (effect.type) {
    case 'load_order':
      return {
        type: 'facts_loaded',
        order: await buyersOrder(tx, conversation, effect.orderExternalId, ctx, at),
      };
    case 'handoff': // by chat, e-mail or callback alike, the case's owner answers
      return 'hand_off';
    case 'authorise_return': {
      const orderId = await orderIdOf(tx, conversation, effect.orderExternalId, ctx);
      if (!orderId)
        return result({
          effect: 'authorise_return',
          outcome: 'not_eligible',
          reason: 'not_delivered_yet',
          windowEndsOn: null,
        });
      const done = await attempt(tx, () =>
        authoriseReturnInChat(tx, {
          idempotency: key('return'),
          orderId,
          buyerId: conversation.buyer_id,
          reason: effect.reason,
          lines: effect.lines,
          at,
        }),
      );
      if (done instanceof AppError) {
        const detail = done.details[0];
        return result({
          effect: 'authorise_return',
          outcome: 'not_eligible',
          reason: refusalOf(done),
          // The policy's rule names the window's last day (return-policy.ts).
          windowEndsOn: detail?.message.match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? null,
        });
      }
      const d = done.decision as {
        windowEndsOn: string | null;
        deductions: { returnShipping: boolean };
        internationalReturn: boolean;
        returnTo?: string;
      };
      return result({
        effect: 'authorise_return',
        outcome: 'authorised',
        instructions: {
          returnId: done.returnId,
          sendBy: d.windowEndsOn,
          freeReturnShipping: !d.deductions.returnShipping,
          internationalReturn: d.internationalReturn,
          returnCountry: d.returnTo ?? '',
        },
      });
    }
    case 'grant_refund': {
      const orderId = await orderIdOf(tx, conversation, effect.orderExternalId, ctx);
      // The dialogue asks only where the bot policy allows; checked again here, at the edge that moves money.
      if (!orderId || !ctx.bot.mayRefund)
        return result({ effect: 'grant_refund', ok: false, reason: 'not_allowed' });
      const done = await attempt(tx, () =>
        grantConcessionInChat(tx, {
          idempotency: key('refund'),
          orderId,
          action: effect.action,
          reason: effect.reason,
          limit: ctx.bot.refundLimit,
          at,
        }),
      );
      if (done instanceof AppError || done.status !== 'issued')
        return result({
          effect: 'grant_refund',
          ok: false,
          reason: done instanceof AppError ? (done.details[0]?.code ?? done.code) : done.status,
        });
      return result({
        effect: 'grant_refund',
        ok: true,
        amount: BigInt(done.amount_items) + BigInt(done.amount_shipping),
      });
    }
    case 'cancel_order': {
      const orderId = await orderIdOf(tx, conversation, effect.orderExternalId, ctx);
      if (!orderId || !ctx.bot.mayCancelOrders)
        return result({ effect: 'cancel_order', ok: false, reason: 'not_allowed' });
      const done = await attempt(tx, () =>
        cancelOrder(tx, { orderId, decidedBy: 'bot', reason: 'buyer_asked_in_chat', at }),
      );
      if (done instanceof AppError)
        return result({ effect: 'cancel_order', ok: false, reason: done.details[0]?.code ?? done.code });
      return result({ effect: 'cancel_order', ok: true, reason: done.decision.reason });
    }
    case 'change_address': {
      const orderId = await orderIdOf(tx, conversation, effect.orderExternalId, ctx);
      if (!orderId || !ctx.bot.mayChangeAddresses)
        return result({
          effect: 'change_address',
          ok: false,
          reason: 'not_allowed',
          address: effect.address,
        });
      const done = await attempt(tx, () =>
        changeDeliveryAddress(tx, { orderId, decidedBy: 'bot', address: effect.address, at }),
      );
      if (done instanceof AppError)
        return result({
          effect: 'change_address',
          ok: false,
          reason: done.details[0]?.code ?? done.code,
          address: effect.address,
        });
      return result({
        effect: 'change_address',
        ok: true,
        reason: done.decision.reason,
        address: effect.address.trim(),
      });
    }
    case 'find_product_answer':
      return result({ effect: 'find_product_answer', ...(await productAnswer(tx, effect, ctx, state.lang)) });
    case 'ask_seller_product_question': {
      // K3: in the case log with its due time; the answer is kept with the product for the next buyer.
      await askSellerAboutProduct(tx, {
        productId: effect.productId,
        marketplaceId: conversation.marketplace_id,
        language: await pageLanguage(tx, effect.productId, ctx, state.lang),
        question: effect.question,
        conversationId: conversation.id,
        at,
      });
      return null;
    }
    case 'open_seller_thread': {
      // The contact path routes it to the seller and opens the buyer–seller thread (R2, R3). Before an
      // order, the seller is the product's.
      const sellerId = effect.orderExternalId
        ? null
        : effect.productId
          ? ((
              await findProductPage(tx, effect.productId, conversation.marketplace_id, state.lang, {
                kind: 'all',
              })
            )?.seller_id ?? null)
          : null;
      if (!effect.orderExternalId && !sellerId) return null;
      await receiveContact(tx, {
        idempotency: key('seller'),
        marketplaceId: conversation.marketplace_id,
        channel: 'chat',
        sender: 'buyer',
        buyerId: conversation.buyer_id,
        sellerId,
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
  }
}

/** The id of one of the buyer's own orders in this marketplace (loaded in an earlier message, perhaps). */
async function orderIdOf(db: Db, conversation: ConversationRow, externalId: string, ctx: Context) {
  const known = ctx.orderIds.get(externalId);
  if (known) return known;
  const o = await findOrder(db, externalId, { kind: 'buyer', buyerId: conversation.buyer_id });
  return o && o.marketplace_id === conversation.marketplace_id ? o.id : undefined;
}

/** Runs a use case in a savepoint: a refusal (bad request, not eligible, conflict) changes nothing. */
async function attempt<T>(tx: Db, fn: () => Promise<T>): Promise<T | AppError> {
  await sql`savepoint bot_action`.execute(tx);
  try {
    const r = await fn();
    await sql`release savepoint bot_action`.execute(tx);
    return r;
  } catch (e) {
    if (
      !(e instanceof AppError) ||
      !['not_eligible', 'validation_failed', 'conflict', 'not_found'].includes(e.code)
    )
      throw e;
    await sql`rollback to savepoint bot_action`.execute(tx);
    return e;
  }
}

const REFUSALS: readonly ReturnRefusal[] = [
  'outside_return_window',
  'not_returnable_category',
  'not_delivered_yet',
];
/** The returns module's reason for a refusal, as the dialogue words it. */
function refusalOf(e: AppError): ReturnRefusal {
  const code = e.details.find((d) => REFUSALS.includes(d.code as ReturnRefusal))?.code as
    | ReturnRefusal
    | undefined;
  if (code) return code;
  return e.details.some((d) => d.code === 'exceeds_ordered')
    ? 'nothing_left_to_return'
    : 'outside_return_window';
}

/** The product whose detail page the chat was opened from, as the dialogue names it. */
async function productOfConversation(db: Db, conversation: ConversationRow, lang: string) {
  if (!conversation.product_id) return null;
  const page = await findProductPage(db, conversation.product_id, conversation.marketplace_id, lang, {
    kind: 'all',
  });
  if (!page) return null;
  const seller = await findSeller(db, page.seller_id, { kind: 'all' });
  return { productId: page.product_id, title: page.title, sellerName: seller?.name ?? '' };
}

/** The language of the product's page the buyer reads: theirs if the page has it, else the marketplace's. */
async function pageLanguage(db: Db, productId: string, ctx: Context, lang: string) {
  return (await findProductPage(db, productId, ctx.marketplace.id, lang, { kind: 'all' }))?.language ?? lang;
}

/** K2: the page's passage that answers, else the seller's kept answer to the same question, else none. */
async function productAnswer(
  db: Db,
  effect: Extract<Effect, { type: 'find_product_answer' }>,
  ctx: Context,
  lang: DialogueState['lang'],
): Promise<{ passage: string | null; source: 'page' | 'seller_answer' }> {
  const page = await findProductPage(db, effect.productId, ctx.marketplace.id, lang, { kind: 'all' });
  if (!page) return { passage: null, source: 'page' };
  // Stems are per language: a page in another language is read with its own stemmer.
  const pageLang = isBotLanguage(page.language) ? page.language : lang;
  const fromPage = bestPassage(effect.question, page, pageLang);
  if (fromPage) return { passage: fromPage.passage.text, source: 'page' };
  const kept = await activeProductAnswers(db, effect.productId, ctx.marketplace.id, page.language);
  const same = sameQuestion(effect.question, kept, pageLang, page.title);
  return same ? { passage: same.answer.answer, source: 'seller_answer' } : { passage: null, source: 'page' };
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
  const [seller, sellerStatus, money, changes] = await Promise.all([
    findSeller(db, o.seller_id, { kind: 'all' }),
    sellerStatusAt(db, o.seller_id, o.marketplace_id, now),
    orderMoneyFacts(db, o.id),
    orderChangeFacts(db, o.id),
  ]);
  ctx.orderIds.set(o.external_id, o.id);
  const delivered = o.shipments.flatMap((s) => s.events).find((e) => e.code === 'delivered');
  const deliveredOn = delivered
    ? localDateOf(new Date(delivered.occurred_at), ctx.marketplace.time_zone)
    : null;
  const promised = o.promised_delivery_date;
  const late = promised !== null && (deliveredOn ?? localDateOf(now, ctx.marketplace.time_zone)) > promised;
  // D4: what the concession policy allows for a late order, offered as buttons.
  const lateOffers: LateOffer[] =
    late && !changes.cancelled
      ? (await optionsForOrder(db, o.id, 'late_beyond_promise', now)).options
          .filter(
            (x): x is typeof x & { action: LateOffer['action'] } =>
              x.allowed && (LATE_ACTIONS as readonly string[]).includes(x.action),
          )
          .map((x) => ({ action: x.action, maxAmount: x.maxAmount }))
      : [];
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
    lateOffers,
    cancellable: decideCancellation(changes).allowed,
    cancelled: changes.cancelled,
  };
}

async function orderChoices(
  db: Db,
  orders: Awaited<ReturnType<Context['buyerOrders']>>,
): Promise<OrderChoice[]> {
  const titles = await firstLineTitles(
    db,
    orders.map((o) => o.id),
  );
  return orders.map((o) => ({
    externalId: o.external_id,
    orderedAt: o.ordered_at,
    title: titles.get(o.id) ?? null,
  }));
}
