// The bot's side of a buyer chat (SPEC C2–C5, K2, K3, R1–R6, D2) as a pure state machine: a state, one
// event, the marketplace's facts and an explicit clock in; the next state, the bot's replies, the effects
// the chat use case must carry out and the reason for the step out. It never touches the database: what
// it needs to know arrives in events, what it wants done leaves as effects, and their answers come back
// as `facts_loaded` / `effect_result` events.
import { carrierEventCodes } from '../../../contracts/marketplace-records';
import { type LocalDate, localDateOf } from '../../platform/business-calendar';
import { type ContactTopic, type DEFAULT_RULES, type RoutingDecision, routeContact } from '../routing';
import { type Params, render, type TextKey, textFormatter } from './dialogue-texts';
import { type BotLanguage, contactTopicOf, type Intent, intents } from './intents';
import type { Understanding } from './understand';

// ---- facts ---------------------------------------------------------------------------------------

export type DialogueFacts = {
  marketplaceName: string;
  country: string;
  timeZone: string;
  currency: string;
  /** D1: days after delivery in which an item may be returned (for the general answer). */
  returnWindowDays: number;
  routingRules: typeof DEFAULT_RULES;
  /**
   * What the marketplace lets the bot do itself (the assistant's `bot_policy`): by default it authorises
   * returns within policy, cancels and re-addresses unshipped orders, and leaves refunds to people.
   */
  botMay: { authoriseReturns: boolean; refunds: boolean; cancelOrders: boolean; changeAddresses: boolean };
  /** Hours the seller has to answer a buyer–seller message (R2, R3, S4). */
  sellerReplyHours: number;
  /** Hours the seller has to answer a case-log question (S1). */
  caseLogDueHours: number;
  /** C8: hours within which an e-mail is answered. */
  emailReplyHours: number;
  /** Languages in which an agent is available right now. */
  agentLanguages: readonly string[];
};

export const DEFAULT_BOT_PERMISSIONS: DialogueFacts['botMay'] = {
  authoriseReturns: true,
  refunds: false,
  cancelOrders: true,
  changeAddresses: true,
};

export type OrderChoice = { externalId: string; orderedAt: Date; title: string | null };
export type ProductRef = { productId: string; title: string; sellerName: string };
export type ReturnReasonCode =
  | 'no_longer_needed'
  | 'ordered_by_mistake'
  | 'better_price_available'
  | 'other'
  | 'wrong_item'
  | 'defective'
  | 'damaged_in_transit'
  | 'missing_parts'
  | 'late_delivery'
  | 'not_as_described';
export type LateOffer = {
  action: 'shipping_fee_refund' | 'returnless_refund' | 'cancel_order';
  maxAmount: bigint;
};
/** The concession reasons (refunds module) the bot refunds for. */
export type RefundReason = 'late_beyond_promise' | 'defective_or_damaged' | 'missing_parts' | 'wrong_item';
export type RefundAction = 'returnless_refund' | 'shipping_fee_refund';

/** One order as the chat use case loads it (`load_order`), in the order's currency (minor units). */
export type DialogueOrder = {
  externalId: string;
  sellerName: string;
  fulfilmentChannel: 'seller' | 'marketplace' | 'premium_seller';
  /** The seller's managed-service status now (routing R1, P5). */
  sellerStatus: 'trial' | 'active' | 'not_enrolled' | 'withdrawn';
  productId: string | null;
  orderedAt: Date;
  promisedDeliveryDate: LocalDate | null;
  isPreorder: boolean;
  currency: string;
  total: bigint;
  lines: readonly { lineNo: number; title: string | null; units: number; unitPrice: bigint }[];
  shipments: readonly {
    carrier: string;
    trackingNumber: string | null;
    shippedAt: Date;
    events: readonly { code: string; occurredAt: Date; location: string | null }[];
  }[];
  returns: readonly {
    externalId: string;
    authorisation: 'pending' | 'authorised' | 'rejected';
    receivedAt: Date | null;
    refundedAt: Date | null;
    /** D6: when the seller must have refunded a received return. */
    sellerRefundDueAt: Date | null;
  }[];
  refunds: readonly { amount: bigint; issuedAt: Date }[];
  /** What the concession policy allows when the order is late beyond its promise (D4). */
  lateOffers: readonly LateOffer[];
  /** The order may still be cancelled under policy (not shipped, not already cancelled). */
  cancellable: boolean;
  cancelled: boolean;
};

/** What the returns module decided and the buyer must know (D1, D2). */
export type ReturnInstructions = {
  returnId: string;
  /** The last day of the return window, in the marketplace's zone: send it back by then. */
  sendBy: LocalDate | null;
  /** Seller-fault returns travel free (no shipping deduction). */
  freeReturnShipping: boolean;
  /** An international seller's return goes abroad, to the seller's country (D1). */
  internationalReturn: boolean;
  returnCountry: string;
};
/** Why the returns module refused a return the bot asked for (its decision's reason). */
export type ReturnRefusal =
  | 'outside_return_window'
  | 'not_returnable_category'
  | 'not_delivered_yet'
  | 'nothing_left_to_return';

// ---- events, replies, effects ----------------------------------------------------------------------

/** The bot module's reading of one message: it acts only on a `confident` one. */
type Reading = Understanding;

export type EffectResult =
  | { effect: 'authorise_return'; outcome: 'authorised'; instructions: ReturnInstructions }
  | {
      effect: 'authorise_return';
      outcome: 'not_eligible';
      reason: ReturnRefusal;
      windowEndsOn: LocalDate | null;
    }
  | { effect: 'grant_refund'; ok: true; amount: bigint }
  | { effect: 'grant_refund'; ok: false; reason: string }
  | { effect: 'cancel_order'; ok: boolean; reason: string }
  | { effect: 'change_address'; ok: boolean; reason: string; address: string }
  | { effect: 'find_product_answer'; passage: string | null; source: 'page' | 'seller_answer' };

export type DialogueEvent =
  | { type: 'started'; lang: BotLanguage; orders: readonly OrderChoice[]; product?: ProductRef | null }
  | { type: 'button'; id: string }
  | { type: 'text'; text: string; understanding: Understanding }
  /** The answer to `load_order`: null when the buyer has no such order. */
  | { type: 'facts_loaded'; order: DialogueOrder | null }
  | { type: 'effect_result'; result: EffectResult };

export type BotButton = { id: string; label: string };
export type BotReply = { text: string; buttons: BotButton[] };

export type HandoffReason =
  | 'buyer_asked'
  | 'manager_asked'
  | 'return_outside_policy'
  | 'return_needs_person'
  | 'refund_needs_person'
  | 'cancel_needs_person'
  | 'address_needs_person'
  | 'change_order'
  | 'replacement_needs_person'
  | 'refund_overdue'
  | 'delivery_problem'
  | 'payment_or_account'
  | 'complaint'
  | 'marketplace_fulfilled_order';

export type Effect =
  | { type: 'load_order'; orderExternalId: string }
  | {
      type: 'authorise_return';
      orderExternalId: string;
      lines: { lineNo: number; units: number }[];
      reason: ReturnReasonCode;
    }
  | { type: 'grant_refund'; orderExternalId: string; action: RefundAction; reason: RefundReason }
  | { type: 'cancel_order'; orderExternalId: string }
  | { type: 'change_address'; orderExternalId: string; address: string }
  | { type: 'find_product_answer'; productId: string; question: string }
  | { type: 'ask_seller_product_question'; productId: string; question: string; dueAt: Date }
  | {
      type: 'open_seller_thread';
      orderExternalId: string | null;
      productId: string | null;
      topic: ContactTopic | 'pre_order';
      routingReason: RoutingDecision['reason'];
      message: string;
      dueAt: Date;
    }
  | {
      type: 'handoff';
      reason: HandoffReason;
      escalate: boolean;
      via: 'chat' | 'email' | 'callback';
      orderExternalId: string | null;
      /** The bot's reading of the buyer, for the person who takes over. */
      reading: { intent: Intent; confidence: number; text: string } | null;
    }
  | { type: 'offer_email_or_callback'; escalate: boolean; reason: HandoffReason }
  | { type: 'close' };

// ---- state -----------------------------------------------------------------------------------------

export type DialoguePhase =
  | 'not_started'
  | 'topics'
  | 'choose_order'
  | 'loading_order'
  | 'order_menu'
  | 'choose_line'
  | 'choose_reason'
  | 'choose_problem'
  | 'choose_remedy'
  | 'choose_late_offer'
  | 'confirm_cancel'
  | 'awaiting_address'
  | 'clarifying'
  | 'working'
  | 'anything_else'
  | 'contact_choice'
  | 'with_person'
  | 'closed';

export type DialogueState = {
  phase: DialoguePhase;
  lang: BotLanguage;
  orders: readonly OrderChoice[];
  order: DialogueOrder | null;
  product: ProductRef | null;
  /** What the buyer asked for, waiting for an order, a line or a reason. */
  pending: Intent | null;
  lineNo: number | null;
  reason: ReturnReasonCode | null;
  /** The buyer's last words and the bot's reading of them, for sellers and for the person. */
  lastText: string;
  reading: { intent: Intent; confidence: number } | null;
  /** A hand-off waiting for the buyer's choice of e-mail or callback. */
  handoff: { reason: HandoffReason; escalate: boolean } | null;
  /** Tries left at giving a usable address before a person helps. */
  retries: number;
  /** What the buyer said happened to a damaged, wrong or missing item. */
  problem: ProblemChoice | null;
};

export const initialDialogueState = (lang: BotLanguage = 'en'): DialogueState => ({
  phase: 'not_started',
  lang,
  orders: [],
  order: null,
  product: null,
  pending: null,
  lineNo: null,
  reason: null,
  lastText: '',
  reading: null,
  handoff: null,
  retries: 0,
  problem: null,
});

export type DialogueStep = { state: DialogueState; replies: BotReply[]; effects: Effect[]; reason: string };

// Intents about one order: the dialogue needs the order before it answers, and routes by it (R1–R6).
const ORDER_INTENTS = new Set<Intent>([
  'track_order',
  'delivery_time',
  'cancel_order',
  'change_order',
  'change_address',
  'return_item',
  'refund_request',
  'refund_status',
  'wrong_item',
  'damaged_item',
  'missing_parts',
  'invoice',
  'customization',
  'complaint',
]);
const orderTopic = (intent: Intent) => (ORDER_INTENTS.has(intent) ? contactTopicOf(intent) : undefined);
/** What may have happened, asked before anything is offered (damaged, wrong or missing items). */
export type ProblemChoice =
  | 'damaged_in_transit'
  | 'defective'
  | 'wrong_item'
  | 'not_as_described'
  | 'missing_parts'
  | 'missing_item';
const problemChoices: Partial<Record<Intent, readonly ProblemChoice[]>> = {
  damaged_item: ['damaged_in_transit', 'defective'],
  wrong_item: ['wrong_item', 'not_as_described'],
  missing_parts: ['missing_parts', 'missing_item'],
};
const returnReasonOf = (p: ProblemChoice): ReturnReasonCode => (p === 'missing_item' ? 'missing_parts' : p);
const refundReasonOf = (p: ProblemChoice): RefundReason =>
  p === 'damaged_in_transit' || p === 'defective'
    ? 'defective_or_damaged'
    : p === 'missing_parts' || p === 'missing_item'
      ? 'missing_parts'
      : 'wrong_item';
const reasonChoices: readonly ReturnReasonCode[] = [
  'no_longer_needed',
  'ordered_by_mistake',
  'defective',
  'damaged_in_transit',
  'wrong_item',
  'missing_parts',
  'not_as_described',
  'other',
];

// ---- the machine -----------------------------------------------------------------------------------

export function step(
  state: DialogueState,
  event: DialogueEvent,
  facts: DialogueFacts,
  now: Date,
): DialogueStep {
  // C4, C6: once a person owns the conversation the bot never speaks in it again.
  if (state.phase === 'with_person') return { state, replies: [], effects: [], reason: 'with_person_silent' };
  return new Turn(state, facts, now).handle(event);
}

class Turn {
  private replies: BotReply[] = [];
  private effects: Effect[] = [];
  private readonly t: (key: TextKey, params?: Params) => string;
  private readonly f: ReturnType<typeof textFormatter>;

  constructor(
    private s: DialogueState,
    private readonly facts: DialogueFacts,
    private readonly now: Date,
  ) {
    this.f = textFormatter(s.lang, facts.country, facts.timeZone);
    this.t = (key, params) => render(this.s.lang, key, params);
  }

  handle(e: DialogueEvent): DialogueStep {
    switch (e.type) {
      case 'started':
        return this.started(e);
      case 'button':
        return this.button(e.id);
      case 'text':
        return this.text(e.text, e.understanding);
      case 'facts_loaded':
        return this.factsLoaded(e.order);
      case 'effect_result':
        return this.effectResult(e.result);
    }
  }

  // -- helpers --------------------------------------------------------------------------------------

  private set(patch: Partial<DialogueState>) {
    this.s = { ...this.s, ...patch };
  }
  private say(key: TextKey, params?: Params, buttons: BotButton[] = []) {
    this.replies.push({ text: this.t(key, params), buttons });
  }
  private btn(id: string, key: TextKey, params?: Params): BotButton {
    return { id, label: this.t(key, params) };
  }
  private get person() {
    return this.btn('talk_to_person', 'button_talk_to_person');
  }
  private get somethingElse() {
    return this.btn('something_else', 'button_something_else');
  }
  private done(reason: string): DialogueStep {
    return { state: this.s, replies: this.replies, effects: this.effects, reason };
  }
  /** The end of every answer: "anything else?" (C3). */
  private answered(reason: string): DialogueStep {
    this.set({ phase: 'anything_else', pending: null, lineNo: null, reason: null });
    this.say('anything_else', {}, [
      this.btn('more:yes', 'button_yes'),
      this.btn('more:no', 'button_no_thanks'),
      this.person,
    ]);
    return this.done(reason);
  }
  private topics(key: TextKey = 'topics_again'): void {
    this.set({ phase: 'topics', pending: null, lineNo: null, reason: null });
    this.say(key, { marketplace: this.facts.marketplaceName }, [
      this.btn('topic:order', 'topic_order'),
      this.btn('topic:payment', 'topic_payment'),
      this.btn('topic:other', 'topic_other'),
      this.person,
    ]);
  }
  private dueAt(hours = this.facts.sellerReplyHours) {
    return new Date(this.now.getTime() + hours * 3_600_000);
  }
  private today() {
    return localDateOf(this.now, this.facts.timeZone);
  }
  private get orderId() {
    return this.s.order?.externalId ?? null;
  }

  // -- events ---------------------------------------------------------------------------------------

  private started(e: Extract<DialogueEvent, { type: 'started' }>): DialogueStep {
    this.set({ ...initialDialogueState(e.lang), orders: e.orders, product: e.product ?? null });
    if (e.product) {
      // Opened from a product's detail page (K2): a question about it is the likely subject.
      this.say('greeting_product', { marketplace: this.facts.marketplaceName, product: e.product.title });
      this.set({ phase: 'topics' });
      this.replies[0]!.buttons = [this.btn('topic:order', 'topic_order'), this.somethingElse, this.person];
      return this.done('greeted_on_product_page');
    }
    this.topics('greeting');
    return this.done('greeted');
  }

  private button(id: string): DialogueStep {
    if (id === 'talk_to_person') return this.handoff('buyer_asked', false);
    const [kind, value = ''] = splitId(id);
    switch (kind) {
      case 'topic':
        return this.topic(value);
      case 'something_else':
        this.set({ phase: 'topics', pending: null });
        this.say('ask_free_text');
        return this.done('asked_for_free_text');
      case 'more':
        if (value === 'yes') {
          this.topics();
          return this.done('buyer_has_more');
        }
        this.set({ phase: 'closed' });
        this.say('goodbye');
        this.effects.push({ type: 'close' });
        return this.done('buyer_done');
      case 'order': {
        const known = this.s.orders.find((o) => o.externalId === value);
        if (!known) break;
        return this.loadOrder(value, this.s.pending);
      }
      case 'intent':
        if (!isIntent(value)) break;
        // A reading the buyer confirmed is as good as a confident one.
        this.set({ reading: { intent: value, confidence: 1 } });
        return this.intent(value, false);
      case 'line': {
        const line = this.s.order?.lines.find((l) => String(l.lineNo) === value);
        if (!line || this.s.phase !== 'choose_line') break;
        this.set({ lineNo: line.lineNo });
        return this.returnFlow();
      }
      case 'reason':
        if (!reasonChoices.includes(value as ReturnReasonCode) || this.s.phase !== 'choose_reason') break;
        this.set({ reason: value as ReturnReasonCode });
        return this.returnFlow();
      case 'problem': {
        const choices = this.s.pending ? (problemChoices[this.s.pending] ?? []) : [];
        const problem = choices.find((c) => c === value);
        if (!problem || this.s.phase !== 'choose_problem' || !this.s.order) break;
        this.set({ problem, reason: returnReasonOf(problem) });
        return this.remedies(this.s.order);
      }
      case 'remedy':
        if (this.s.phase !== 'choose_remedy' || !this.s.problem) break;
        if (value === 'return' && this.s.problem !== 'missing_item') return this.returnFlow();
        if (value === 'refund' && this.facts.botMay.refunds)
          return this.refundNow('returnless_refund', refundReasonOf(this.s.problem));
        if (value === 'replacement') {
          this.say('replacement_by_person');
          return this.handoff('replacement_needs_person', false);
        }
        break;
      case 'late': {
        const order = this.s.order;
        if (this.s.phase !== 'choose_late_offer' || !order) break;
        if (value === 'wait') {
          this.say('late_wait');
          return this.answered('late_buyer_waits');
        }
        const offer = order.lateOffers.find((o) => o.action === value);
        if (!offer) break;
        if (offer.action === 'cancel_order') return this.cancelFlow(order);
        if (!this.facts.botMay.refunds) {
          this.say('refund_by_person');
          return this.handoff('refund_needs_person', false);
        }
        return this.refundNow(offer.action, 'late_beyond_promise');
      }
      case 'confirm_cancel':
        if (this.s.phase !== 'confirm_cancel' || !this.orderId) break;
        this.set({ phase: 'working' });
        this.effects.push({ type: 'cancel_order', orderExternalId: this.orderId });
        return this.done('cancel_requested');
      case 'keep_order':
        this.say('order_kept');
        return this.answered('cancel_declined');
      case 'contact':
        if (this.s.phase !== 'contact_choice' || !this.s.handoff) break;
        if (value === 'email' || value === 'callback') return this.handOver(value);
        break;
    }
    this.say('unknown_button');
    this.topics();
    return this.done('unknown_button');
  }

  private topic(value: string): DialogueStep {
    if (value === 'order') {
      this.set({ pending: null });
      return this.askOrder('topic_order_chosen');
    }
    if (value === 'payment') {
      this.set({ phase: 'topics', pending: null });
      this.say('ask_payment');
      return this.done('topic_payment_chosen');
    }
    this.set({ phase: 'topics', pending: null });
    this.say('ask_free_text');
    return this.done('topic_other_chosen');
  }

  private text(text: string, u: Reading): DialogueStep {
    this.set({ lang: u.lang, lastText: text, reading: { intent: u.intent, confidence: u.confidence } });
    // The words for a person hand off at any moment (C4, C5).
    if (u.intent === 'human_agent')
      return this.handoff(u.escalation ? 'manager_asked' : 'buyer_asked', u.escalation);
    // While an address is awaited, what the buyer types is the address — unless it confidently asks
    // something else.
    const otherQuestion = u.confident && u.intent !== 'none' && u.intent !== 'change_address';
    if (this.s.phase === 'awaiting_address' && this.orderId && !otherQuestion) {
      this.set({ phase: 'working' });
      this.effects.push({ type: 'change_address', orderExternalId: this.orderId, address: text.trim() });
      return this.done('address_received');
    }
    // An order number in the marketplace's format, or a number the buyer calls an order (the chat
    // checks it is one of theirs when it loads it).
    const number = u.entities.orderNumbers[0] ?? u.entities.orderReferences[0];
    if (!u.confident || u.intent === 'none') return this.clarify(u, number);
    if (number && number !== this.orderId && orderTopic(u.intent)) return this.loadOrder(number, u.intent);
    return this.intent(u.intent, Boolean(number && !orderTopic(u.intent)));
  }

  /** It never guesses (C3): its best readings as buttons, with "Something else" and a person. */
  private clarify(u: Reading, number: string | undefined): DialogueStep {
    const readings = [u.intent, ...u.alternatives.map((a) => a.intent)]
      .filter((i, n, all) => i !== 'none' && i !== 'human_agent' && all.indexOf(i) === n)
      .slice(0, 3);
    if (number && readings.length === 0) return this.loadOrder(number, null);
    this.set({ phase: 'clarifying' });
    if (readings.length === 0) {
      this.say('not_understood', {}, [
        this.btn('topic:order', 'topic_order'),
        this.btn('topic:payment', 'topic_payment'),
        this.somethingElse,
        this.person,
      ]);
      return this.done('not_understood');
    }
    this.say('did_you_mean', {}, [
      ...readings.map((i) => this.btn(`intent:${i}`, `intent_${i}` as TextKey)),
      this.somethingElse,
      this.person,
    ]);
    return this.done('not_confident_offered_readings');
  }

  private askOrder(reason: string): DialogueStep {
    if (this.s.orders.length === 0) {
      this.say('no_orders');
      this.topics();
      return this.done(`${reason}_no_orders`);
    }
    this.set({ phase: 'choose_order' });
    this.say(
      'choose_order',
      {},
      this.s.orders.map((o) => ({
        id: `order:${o.externalId}`,
        label: this.t(o.title ? 'order_button' : 'order_button_untitled', {
          number: o.externalId,
          title: o.title ?? '',
          date: this.f.date(o.orderedAt),
        }),
      })),
    );
    this.replies.at(-1)!.buttons.push(this.somethingElse, this.person);
    return this.done(reason);
  }

  private loadOrder(externalId: string, pending: Intent | null): DialogueStep {
    this.set({ phase: 'loading_order', pending, lineNo: null, reason: null });
    this.effects.push({ type: 'load_order', orderExternalId: externalId });
    return this.done('order_requested');
  }

  private factsLoaded(order: DialogueOrder | null): DialogueStep {
    if (this.s.phase !== 'loading_order') return this.done('facts_ignored_not_waiting');
    if (!order) {
      this.say('order_not_found');
      return this.askOrder('order_not_found');
    }
    this.set({ order });
    if (this.s.pending) return this.intent(this.s.pending, false);
    this.set({ phase: 'order_menu' });
    const shipped = order.shipments.length > 0;
    const menu: Intent[] = ['track_order', 'return_item', 'damaged_item', 'wrong_item', 'refund_status'];
    if (!shipped) menu.push('cancel_order', 'change_address');
    this.say('order_menu', { number: order.externalId, title: orderTitle(order) }, [
      ...menu.map((i) => this.btn(`intent:${i}`, `intent_${i}` as TextKey)),
      this.somethingElse,
      this.person,
    ]);
    return this.done('order_loaded_menu');
  }

  /** A confident intent (or a confirmed reading). */
  private intent(intent: Intent, mentionedOtherNumber: boolean): DialogueStep {
    const topic = orderTopic(intent);
    if (topic) {
      if (!this.s.order || mentionedOtherNumber) {
        this.set({ pending: intent });
        return this.askOrder('order_needed');
      }
      const routing = routeContact(
        { channel: 'chat', topic, sender: 'buyer', at: this.now },
        { fulfilmentChannel: this.s.order.fulfilmentChannel },
        this.s.order.sellerStatus,
        this.facts.routingRules,
      );
      return this.orderIntent(intent, topic, routing);
    }
    switch (intent) {
      case 'human_agent':
        return this.handoff('buyer_asked', false);
      case 'return_policy':
        this.say('return_policy', { days: String(this.facts.returnWindowDays) });
        return this.answered('answered_return_policy');
      case 'payment':
      case 'account':
        this.say('payment_to_person');
        return this.handoff('payment_or_account', false);
      case 'feedback':
        this.say('thanks_feedback');
        return this.answered('feedback_thanked');
      case 'product_question':
        return this.productQuestion();
      case 'pre_purchase':
        return this.toSeller('pre_order', null, 'pre_order_inquiry');
      default:
        this.say('not_understood');
        this.topics();
        return this.done('no_answer_for_intent');
    }
  }

  private orderIntent(intent: Intent, topic: ContactTopic, routing: RoutingDecision): DialogueStep {
    const order = this.s.order!;
    // It acts only where the marketplace's CS answers (R1–R6).
    if (routing.handler === 'marketplace_fulfilment') {
      this.say('marketplace_fulfilled', { marketplace: this.facts.marketplaceName });
      return this.handoff('marketplace_fulfilled_order', false, false);
    }
    if (routing.handler !== 'marketplace_cs') return this.toSeller(topic, order, routing.reason);
    switch (intent) {
      case 'track_order':
      case 'delivery_time':
        return this.whereIsIt(order);
      case 'return_item':
        return this.returnFlow();
      case 'wrong_item':
      case 'damaged_item':
      case 'missing_parts':
        return this.problem(intent, order);
      case 'refund_status':
        return this.refundStatus(order, false);
      case 'refund_request':
        return this.refundStatus(order, true);
      case 'cancel_order':
        return this.cancelFlow(order);
      case 'change_address':
        if (order.cancelled) {
          this.say('order_is_cancelled', { number: order.externalId });
          return this.answered('address_refused_cancelled');
        }
        if (order.shipments.length > 0) {
          this.say('address_already_shipped');
          return this.answered('address_refused_shipped');
        }
        if (!this.facts.botMay.changeAddresses) return this.handoff('address_needs_person', false);
        this.set({ phase: 'awaiting_address', retries: 1 });
        this.say('ask_address');
        return this.done('address_asked');
      case 'change_order':
        return this.handoff('change_order', false);
      default:
        return this.handoff('complaint', false);
    }
  }

  /** R2, R3: the seller answers through buyer–seller messaging; the buyer is told who and by when. */
  private toSeller(
    topic: ContactTopic | 'pre_order',
    order: DialogueOrder | null,
    reason: RoutingDecision['reason'],
  ): DialogueStep {
    const product = this.s.product;
    if (!order && !product) {
      // Before any order the seller is known only from the product: its page has the way to ask.
      this.say('pre_order_needs_product');
      return this.answered('pre_order_without_product');
    }
    const dueAt = this.dueAt();
    this.effects.push({
      type: 'open_seller_thread',
      orderExternalId: order?.externalId ?? null,
      productId: order?.productId ?? product?.productId ?? null,
      topic,
      routingReason: reason,
      message: this.s.lastText,
      dueAt,
    });
    this.say(order ? 'seller_answers_order' : 'seller_answers_pre_order', {
      seller: order?.sellerName ?? product?.sellerName ?? '',
      due: this.f.dateTime(dueAt),
    });
    return this.answered(`seller_thread_${reason}`);
  }

  private whereIsIt(order: DialogueOrder): DialogueStep {
    const promised = order.promisedDeliveryDate;
    const shipment = order.shipments.at(-1);
    const last = shipment ? [...shipment.events].sort(byTime).at(-1) : undefined;
    const delivered = last?.code === 'delivered' ? last.occurredAt : null;
    if (!shipment) {
      this.say(order.isPreorder ? 'not_shipped_preorder' : 'not_shipped', {
        title: orderTitle(order),
        promised: promised ? this.f.localDate(promised) : '—',
      });
    } else if (delivered) {
      this.say(last?.location ? 'delivered_at' : 'delivered', {
        title: orderTitle(order),
        date: this.f.dateTime(delivered),
        location: last?.location ?? '',
      });
    } else {
      const status = last
        ? this.t(`carrier_${knownCode(last.code)}` as TextKey)
        : this.t('carrier_label_created');
      this.say(last?.location ? 'in_transit_at' : 'in_transit', {
        title: orderTitle(order),
        carrier: shipment.carrier,
        status,
        date: this.f.dateTime(last?.occurredAt ?? shipment.shippedAt),
        location: last?.location ?? '',
        tracking: shipment.trackingNumber ?? '—',
      });
      if (promised) this.say('promised_by', { promised: this.f.localDate(promised) });
    }
    const deliveredOn = delivered ? localDateOf(delivered, this.facts.timeZone) : null;
    const late = promised !== null && (deliveredOn ? deliveredOn > promised : this.today() > promised);
    if (last && ['lost', 'damaged', 'returned_to_sender', 'delivery_attempted'].includes(last.code)) {
      this.say('delivery_problem');
      return this.handoff('delivery_problem', false);
    }
    if (late && order.lateOffers.length > 0) {
      // D4: late beyond the promise; what the concession policy allows, offered as buttons. Accepting
      // one is granted within the bot's policy, or by a person.
      this.set({ phase: 'choose_late_offer' });
      this.say('late_offers', {}, [
        ...order.lateOffers.map((o) =>
          this.btn(`late:${o.action}`, `offer_${o.action}`, {
            amount: this.f.money(o.maxAmount, order.currency),
          }),
        ),
        this.btn('late:wait', 'button_late_wait'),
        this.person,
      ]);
      return this.done('late_offers_offered');
    }
    if (late) this.say('late');
    return this.answered(
      late ? 'answered_late_delivery' : delivered ? 'answered_delivered' : 'answered_tracking',
    );
  }

  /** Damaged, wrong or missing: what happened, then what the marketplace lets the bot do. */
  private problem(intent: Intent, order: DialogueOrder): DialogueStep {
    const shipment = order.shipments.at(-1);
    const delivered = shipment?.events.find((e) => e.code === 'delivered');
    if (!delivered) {
      // Nothing can be damaged, wrong or missing before it arrives: where it is, then.
      this.say('problem_not_delivered');
      return this.whereIsIt(order);
    }
    this.say(`sorry_${intent}` as TextKey, { title: orderTitle(order) });
    this.say('what_happened_delivered', {
      date: this.f.dateTime(delivered.occurredAt),
      carrier: shipment!.carrier,
    });
    this.set({ phase: 'choose_problem', pending: intent, problem: null });
    this.say('what_happened', {}, [
      ...(problemChoices[intent] ?? []).map((p) => this.btn(`problem:${p}`, `problem_${p}` as TextKey)),
      this.person,
    ]);
    return this.done(`problem_asked_${intent}`);
  }

  /** What the marketplace's policy lets the bot do for the problem (D4, D5, D8). */
  private remedies(order: DialogueOrder): DialogueStep {
    const problem = this.s.problem!;
    if (order.lines.length === 1) this.set({ lineNo: order.lines[0]!.lineNo });
    const buttons: BotButton[] = [];
    // A missing item cannot come back; anything else can, free of charge (seller's fault).
    if (this.facts.botMay.authoriseReturns && problem !== 'missing_item')
      buttons.push(this.btn('remedy:return', 'button_return_free'));
    if (this.facts.botMay.refunds) buttons.push(this.btn('remedy:refund', 'button_refund_now'));
    if (problem !== 'not_as_described') buttons.push(this.btn('remedy:replacement', 'button_replacement'));
    this.set({ phase: 'choose_remedy' });
    this.say(this.facts.botMay.refunds ? 'remedy_options' : 'remedy_options_no_refund', {}, [
      ...buttons,
      this.person,
    ]);
    return this.done(`remedy_offered_${problem}`);
  }

  /** Cancel before shipment where the policy and the marketplace's bot policy allow (D3). */
  private cancelFlow(order: DialogueOrder): DialogueStep {
    if (order.cancelled) {
      this.say('order_is_cancelled', { number: order.externalId });
      return this.answered('cancel_refused_already_cancelled');
    }
    if (order.shipments.length > 0) {
      this.say('cancel_already_shipped');
      return this.answered('cancel_refused_shipped');
    }
    if (!order.cancellable || !this.facts.botMay.cancelOrders) {
      this.say('cancel_by_person');
      return this.handoff('cancel_needs_person', false);
    }
    this.set({ phase: 'confirm_cancel' });
    this.say('confirm_cancel', { number: order.externalId, title: orderTitle(order) }, [
      this.btn('confirm_cancel', 'button_confirm_cancel'),
      this.btn('keep_order', 'button_keep_order'),
      this.person,
    ]);
    return this.done('cancel_confirmation_asked');
  }

  /** A return: which item, why, then the returns module's decision (D2) through an effect. */
  private returnFlow(): DialogueStep {
    const order = this.s.order!;
    if (!this.facts.botMay.authoriseReturns) return this.handoff('return_needs_person', false);
    if (this.s.lineNo === null && order.lines.length === 1) this.set({ lineNo: order.lines[0]!.lineNo });
    if (this.s.lineNo === null) {
      this.set({ phase: 'choose_line', pending: 'return_item' });
      this.say(
        'choose_line',
        {},
        order.lines.map((l) => ({ id: `line:${l.lineNo}`, label: l.title ?? `#${l.lineNo}` })),
      );
      return this.done('return_line_asked');
    }
    if (this.s.reason === null) {
      this.set({ phase: 'choose_reason', pending: 'return_item' });
      this.say(
        'choose_reason',
        {},
        reasonChoices.map((r) => this.btn(`reason:${r}`, `reason_${r}` as TextKey)),
      );
      return this.done('return_reason_asked');
    }
    const line = order.lines.find((l) => l.lineNo === this.s.lineNo)!;
    this.set({ phase: 'working' });
    this.effects.push({
      type: 'authorise_return',
      orderExternalId: order.externalId,
      lines: [{ lineNo: line.lineNo, units: line.units }],
      reason: this.s.reason,
    });
    return this.done('return_requested');
  }

  private refundNow(action: RefundAction, reason: RefundReason): DialogueStep {
    const order = this.s.order!;
    this.set({ phase: 'working' });
    this.effects.push({ type: 'grant_refund', orderExternalId: order.externalId, action, reason });
    return this.done('refund_requested');
  }

  private refundStatus(order: DialogueOrder, wantsRefund: boolean): DialogueStep {
    let overdue = false;
    for (const r of order.returns) {
      if (!r.refundedAt && r.sellerRefundDueAt && r.sellerRefundDueAt < this.now) overdue = true;
      if (r.refundedAt)
        this.say('return_refunded', { number: r.externalId, date: this.f.date(r.refundedAt) });
      else if (r.receivedAt)
        this.say(r.sellerRefundDueAt ? 'return_received_due' : 'return_received', {
          number: r.externalId,
          date: this.f.date(r.receivedAt),
          due: r.sellerRefundDueAt ? this.f.dateTime(r.sellerRefundDueAt) : '',
        });
      else if (r.authorisation === 'authorised') this.say('return_on_its_way', { number: r.externalId });
      else this.say('return_pending', { number: r.externalId });
    }
    for (const r of order.refunds)
      this.say('refund_issued', {
        amount: this.f.money(r.amount, order.currency),
        date: this.f.date(r.issuedAt),
      });
    if (overdue) {
      // D6: the seller's deadline has passed; customer service may refund in the buyer's favour.
      this.say('refund_overdue');
      return this.handoff('refund_overdue', false);
    }
    if (order.returns.length === 0 && order.refunds.length === 0) {
      if (wantsRefund) {
        // A refund rests on a reason (D4): the bot asks which, and each flow applies its policy.
        if (order.lateOffers.length > 0) return this.whereIsIt(order);
        this.set({ phase: 'order_menu' });
        this.say('refund_why', {}, [
          ...(['return_item', 'damaged_item', 'wrong_item', 'missing_parts'] as const).map((i) =>
            this.btn(`intent:${i}`, `intent_${i}`),
          ),
          this.person,
        ]);
        return this.done('refund_reason_asked');
      }
      this.say('no_refund_yet', {}, [this.btn('intent:return_item', 'intent_return_item')]);
    }
    return this.answered('answered_refund_status');
  }

  /** K2, K3: from the detail page, else the seller is asked through the case log. */
  private productQuestion(): DialogueStep {
    const productId = this.s.product?.productId ?? this.s.order?.productId ?? null;
    if (!productId) {
      this.say('which_product');
      return this.askOrder('product_needed');
    }
    this.set({ phase: 'working', pending: 'product_question' });
    this.effects.push({ type: 'find_product_answer', productId, question: this.s.lastText });
    return this.done('product_answer_requested');
  }

  private effectResult(r: EffectResult): DialogueStep {
    if (this.s.phase !== 'working') return this.done('result_ignored_not_waiting');
    switch (r.effect) {
      case 'authorise_return': {
        if (r.outcome === 'not_eligible') {
          // Outside the policy: the reason in words, then a person, who may make an exception (D3, D7).
          this.say(`return_refused_${r.reason}` as TextKey, {
            date: r.windowEndsOn ? this.f.localDate(r.windowEndsOn) : '',
          });
          this.say('return_outside_policy');
          return this.handoff('return_outside_policy', false);
        }
        const i = r.instructions;
        this.say(i.sendBy ? 'return_authorised' : 'return_authorised_no_date', {
          number: i.returnId,
          date: i.sendBy ? this.f.localDate(i.sendBy) : '',
        });
        if (i.internationalReturn) this.say('return_international', { country: i.returnCountry });
        this.say(i.freeReturnShipping ? 'return_free' : 'return_paid');
        return this.answered('return_authorised');
      }
      case 'grant_refund':
        if (!r.ok) {
          this.say('refund_by_person');
          return this.handoff('refund_needs_person', false);
        }
        this.say('refund_granted', { amount: this.f.money(r.amount, this.s.order!.currency) });
        return this.answered('refund_granted');
      case 'cancel_order':
        if (!r.ok) {
          if (r.reason === 'already_shipped') {
            this.say('cancel_already_shipped');
            return this.answered('cancel_refused_shipped');
          }
          this.say('cancel_by_person');
          return this.handoff('cancel_needs_person', false);
        }
        this.say('cancelled', { number: this.orderId ?? '' });
        return this.answered('order_cancelled');
      case 'change_address':
        if (r.ok) {
          this.say('address_changed', { address: r.address });
          return this.answered('address_changed');
        }
        if (r.reason === 'address_incomplete' && this.s.retries > 0) {
          this.set({ phase: 'awaiting_address', retries: this.s.retries - 1 });
          this.say('address_incomplete');
          return this.done('address_asked_again');
        }
        if (r.reason === 'already_shipped') {
          this.say('address_already_shipped');
          return this.answered('address_refused_shipped');
        }
        this.say('address_by_person');
        return this.handoff('address_needs_person', false);
      case 'find_product_answer': {
        const productId = this.s.product?.productId ?? this.s.order?.productId ?? '';
        if (r.passage) {
          this.say(r.source === 'page' ? 'product_answer_page' : 'product_answer_seller', {
            passage: r.passage,
          });
          return this.answered('answered_from_product_page');
        }
        const dueAt = this.dueAt(this.facts.caseLogDueHours);
        this.effects.push({
          type: 'ask_seller_product_question',
          productId,
          question: this.s.lastText,
          dueAt,
        });
        this.say('product_asked_seller', { due: this.f.dateTime(dueAt) });
        return this.answered('product_question_sent_to_seller');
      }
    }
  }

  /** Hand-off (C4–C6); with no agent of the language free, e-mail or a callback is offered first. */
  private handoff(reason: HandoffReason, escalate: boolean, announce = true): DialogueStep {
    this.set({ handoff: { reason, escalate } });
    if (!this.facts.agentLanguages.includes(this.s.lang)) {
      this.set({ phase: 'contact_choice' });
      this.effects.push({ type: 'offer_email_or_callback', escalate, reason });
      this.say('no_agent_free', { hours: String(this.facts.emailReplyHours) }, [
        this.btn('contact:email', 'button_email', { hours: String(this.facts.emailReplyHours) }),
        this.btn('contact:callback', 'button_callback'),
        this.somethingElse,
      ]);
      return this.done(`no_agent_of_language_${reason}`);
    }
    if (announce) this.say(escalate ? 'handoff_manager' : 'handoff');
    return this.handOver('chat');
  }

  private handOver(via: 'chat' | 'email' | 'callback'): DialogueStep {
    const { reason, escalate } = this.s.handoff!;
    this.effects.push({
      type: 'handoff',
      reason,
      escalate,
      via,
      orderExternalId: this.orderId,
      reading: this.s.reading ? { ...this.s.reading, text: this.s.lastText } : null,
    });
    if (via === 'email') this.say('email_promised', { hours: String(this.facts.emailReplyHours) });
    if (via === 'callback') this.say('callback_promised');
    this.set({ phase: 'with_person' });
    return this.done(`handoff_${reason}_${via}`);
  }
}

// ---- small pure helpers ----------------------------------------------------------------------------

const knownCode = (code: string) =>
  (carrierEventCodes as readonly string[]).includes(code) ? code : 'in_transit';
const byTime = (a: { occurredAt: Date }, b: { occurredAt: Date }) =>
  a.occurredAt.getTime() - b.occurredAt.getTime();
const orderTitle = (o: DialogueOrder) => o.lines[0]?.title ?? o.externalId;
const splitId = (id: string): [string, string?] => {
  const at = id.indexOf(':');
  return at < 0 ? [id] : [id.slice(0, at), id.slice(at + 1)];
};
const isIntent = (v: string): v is Intent => (intents as readonly string[]).includes(v);
