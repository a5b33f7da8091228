import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../routing';
import {
  type BotReply,
  DEFAULT_BOT_PERMISSIONS,
  type DialogueEvent,
  type DialogueFacts,
  type DialogueOrder,
  type DialogueState,
  type DialogueStep,
  type Effect,
  initialDialogueState,
  step,
} from './dialogue';
import { type BotLanguage, botLanguages, type Intent } from './intents';
import type { Understanding } from './understand';

const NOW = new Date('2026-03-12T09:00:00Z');
const H = 3_600_000;

const facts = (over: Partial<DialogueFacts> = {}): DialogueFacts => ({
  marketplaceName: 'Onbehalf Italia',
  country: 'IT',
  timeZone: 'Europe/Rome',
  currency: 'EUR',
  returnWindowDays: 30,
  routingRules: DEFAULT_RULES,
  botMay: DEFAULT_BOT_PERMISSIONS,
  sellerReplyHours: 24,
  caseLogDueHours: 24,
  emailReplyHours: 48,
  agentLanguages: [...botLanguages],
  ...over,
});

const shipment = (events: [string, string, string?][]) => ({
  carrier: 'BRT',
  trackingNumber: 'BRT123456',
  shippedAt: new Date('2026-03-05T10:00:00Z'),
  events: events.map(([code, at, location]) => ({
    code,
    occurredAt: new Date(at),
    location: location ?? null,
  })),
});
const inTransit = shipment([
  ['picked_up', '2026-03-05T12:00:00Z', 'Milano'],
  ['in_transit', '2026-03-06T08:00:00Z', 'Bologna'],
]);
const delivered = shipment([
  ['in_transit', '2026-03-06T08:00:00Z'],
  ['delivered', '2026-03-07T15:30:00Z', 'Roma'],
]);

const order = (over: Partial<DialogueOrder> = {}): DialogueOrder => ({
  externalId: '402-1234567-7654321',
  sellerName: 'Casa Bella',
  fulfilmentChannel: 'seller',
  sellerStatus: 'active',
  productId: 'P-1',
  orderedAt: new Date('2026-03-01T10:00:00Z'),
  promisedDeliveryDate: '2026-03-14',
  isPreorder: false,
  currency: 'EUR',
  total: 3498n,
  lines: [{ lineNo: 1, title: 'Lampada da tavolo', units: 1, unitPrice: 2999n }],
  shipments: [inTransit],
  returns: [],
  refunds: [],
  lateOffers: [],
  cancellable: false,
  cancelled: false,
  ...over,
});

const reading = (
  intent: Intent,
  lang: BotLanguage = 'en',
  over: Omit<Partial<Understanding>, 'alternatives'> & { alternatives?: readonly { intent: Intent }[] } = {},
): Understanding => {
  const confidence = over.confidence ?? 0.95;
  return {
    lang,
    intent,
    escalation: false,
    entities: { orderNumbers: [], orderReferences: [], amounts: [], dates: [], emails: [] },
    ...over,
    confidence,
    // As the calibrated model says it: acted on only above its threshold (≈ 0.92–0.95).
    confident: over.confident ?? confidence >= 0.92,
    alternatives: (over.alternatives ?? []).map((a) => ({ intent: a.intent, confidence: 0.1 })),
  };
};
const text = (intent: Intent, lang: BotLanguage = 'en', over: Parameters<typeof reading>[2] = {}) =>
  ({ type: 'text', text: `a message about ${intent}`, understanding: reading(intent, lang, over) }) as const;
const button = (id: string) => ({ type: 'button', id }) as const;
const loaded = (o: DialogueOrder | null) => ({ type: 'facts_loaded', order: o }) as const;
const started = (lang: BotLanguage, o = [order()]) =>
  ({
    type: 'started',
    lang,
    orders: o.map((x) => ({ externalId: x.externalId, orderedAt: x.orderedAt, title: x.lines[0]!.title })),
  }) as const;

/** Runs events in order from a fresh state; returns every step. */
function run(events: DialogueEvent[], f = facts(), now = NOW, from: DialogueState = initialDialogueState()) {
  const steps: DialogueStep[] = [];
  let state = from;
  for (const e of events) {
    const s = step(state, e, f, now);
    steps.push(s);
    state = s.state;
  }
  return { steps, last: steps.at(-1)!, state };
}
// Intl separates amounts and units with no-break spaces; compare with plain ones.
const texts = (s: DialogueStep) => s.replies.map((r) => r.text.replace(/[\u00a0\u202f]/g, ' ')).join('\n');
const ids = (r: BotReply | undefined) => r?.buttons.map((b) => b.id) ?? [];
const effect = <T extends Effect['type']>(s: DialogueStep, type: T) =>
  s.effects.find((e) => e.type === type) as Extract<Effect, { type: T }> | undefined;

/** A buyer who picks "An item I ordered", then the order, then asks with words. */
const withOrder = (lang: BotLanguage, o: DialogueOrder): DialogueEvent[] => [
  started(lang, [o]),
  button('topic:order'),
  button(`order:${o.externalId}`),
  loaded(o),
];

describe('greeting and topics', () => {
  it.each([
    ['it', 'Un articolo che ho ordinato', 'Pagamento o account'],
    ['es', 'Un artículo que he pedido', 'Pago o cuenta'],
    ['fr', 'Un article que j’ai commandé', 'Paiement ou compte'],
    ['de', 'Ein bestellter Artikel', 'Zahlung oder Konto'],
    ['en', 'An item I ordered', 'Payment or account'],
  ] as const)('greets in %s with the seeds’ help topics and the headset button', (lang, item, payment) => {
    const { last } = run([started(lang)]);
    expect(last.reason).toBe('greeted');
    expect(last.state.phase).toBe('topics');
    expect(texts(last)).toContain('Onbehalf Italia');
    const r = last.replies[0]!;
    expect(ids(r)).toEqual(['topic:order', 'topic:payment', 'topic:other', 'talk_to_person']);
    expect(r.buttons.map((b) => b.label)).toEqual(expect.arrayContaining([item, payment]));
  });

  it.each(['it', 'de'] as const)(
    'lists the buyer’s orders as buttons for "an item I ordered" (%s)',
    (lang) => {
      const other = order({
        externalId: '402-0000000-1111111',
        lines: [{ lineNo: 1, title: 'Tazza', units: 2, unitPrice: 500n }],
      });
      const { last } = run([started(lang, [order(), other]), button('topic:order')]);
      expect(last.state.phase).toBe('choose_order');
      expect(ids(last.replies[0])).toEqual([
        'order:402-1234567-7654321',
        'order:402-0000000-1111111',
        'something_else',
        'talk_to_person',
      ]);
      expect(last.replies[0]!.buttons[1]!.label).toContain('Tazza');
    },
  );

  it('says so when the buyer has no orders, and offers the topics again', () => {
    const { last } = run([started('en', []), button('topic:order')]);
    expect(last.reason).toBe('topic_order_chosen_no_orders');
    expect(ids(last.replies.at(-1))).toContain('topic:order');
  });

  it('loads a chosen order and offers what can be done with it', () => {
    const { steps, last } = run(withOrder('en', order({ shipments: [], cancellable: true })));
    expect(effect(steps[2]!, 'load_order')).toEqual({
      type: 'load_order',
      orderExternalId: '402-1234567-7654321',
    });
    expect(last.reason).toBe('order_loaded_menu');
    expect(ids(last.replies[0])).toEqual(
      expect.arrayContaining(['intent:track_order', 'intent:cancel_order']),
    );
  });

  it('loads an order number typed in free text, then answers what was asked', () => {
    const typed = text('track_order', 'es', {
      entities: {
        orderNumbers: ['402-1234567-7654321'],
        orderReferences: [],
        amounts: [],
        dates: [],
        emails: [],
      },
    });
    const { steps, last } = run([started('es'), typed, loaded(order())]);
    expect(effect(steps[1]!, 'load_order')?.orderExternalId).toBe('402-1234567-7654321');
    expect(last.reason).toBe('answered_tracking');
    expect(texts(last)).toContain('BRT123456');
  });

  it('loads a number the buyer calls an order outside the marketplace pattern ("Bestellnummer 3707955617")', () => {
    const typed = text('track_order', 'de', {
      entities: { orderNumbers: [], orderReferences: ['3707955617'], amounts: [], dates: [], emails: [] },
    });
    const { steps } = run([started('de'), typed]);
    expect(effect(steps[1]!, 'load_order')?.orderExternalId).toBe('3707955617');
  });

  it('tells the buyer when the typed number is not one of theirs', () => {
    const typed = text('track_order', 'en', {
      entities: {
        orderNumbers: ['999-9999999-9999999'],
        orderReferences: [],
        amounts: [],
        dates: [],
        emails: [],
      },
    });
    const { last } = run([started('en'), typed, loaded(null)]);
    expect(last.reason).toBe('order_not_found');
    expect(texts(last)).toContain('can’t find that order');
  });

  it('asks "anything else?" after each answer, and closes politely on "no"', () => {
    const { steps, last } = run([
      ...withOrder('fr', order()),
      button('intent:track_order'),
      button('more:no'),
    ]);
    expect(ids(steps[4]!.replies.at(-1))).toEqual(['more:yes', 'more:no', 'talk_to_person']);
    expect(last.state.phase).toBe('closed');
    expect(last.effects).toEqual([{ type: 'close' }]);
  });

  it('lets the buyer change topic at any time', () => {
    const { last } = run([...withOrder('en', order()), text('return_policy')]);
    expect(last.reason).toBe('answered_return_policy');
    expect(texts(last)).toContain('30 days');
  });
});

describe('where is my parcel', () => {
  it.each([
    ['it', order(), 'answered_tracking', ['BRT', 'Bologna', 'BRT123456', 'in transito', '14 marzo']],
    ['en', order(), 'answered_tracking', ['BRT', 'Bologna', 'in transit', 'Saturday 14 March']],
    ['es', order({ shipments: [delivered] }), 'answered_delivered', ['se entregó', 'Roma', '7 de marzo']],
    ['de', order({ shipments: [delivered] }), 'answered_delivered', ['zugestellt', 'Roma', '7. März']],
    ['it', order({ shipments: [] }), 'answered_tracking', ['non è ancora stato spedito', '14 marzo']],
    ['en', order({ shipments: [], isPreorder: true }), 'answered_tracking', ['pre-order']],
  ] as const)('answers in %s from the shipment facts (%s)', (lang, o, reason, expected) => {
    const { last } = run([...withOrder(lang, o), text('track_order', lang)]);
    expect(last.reason).toBe(reason);
    for (const e of expected) expect(texts(last)).toContain(e);
    expect(last.state.phase).toBe('anything_else');
  });

  it.each([
    ['2026-03-09T20:00:00Z', 'answered_tracking'],
    ['2026-03-10T22:59:00Z', 'answered_tracking'], // still 10 March in Rome
    ['2026-03-10T23:01:00Z', 'answered_late_delivery'], // 11 March in Rome
  ])('decides lateness on the explicit clock in the marketplace’s zone (%s)', (now, reason) => {
    const o = order({ promisedDeliveryDate: '2026-03-10' });
    const { last } = run([...withOrder('en', o), text('delivery_time')], facts(), new Date(now));
    expect(last.reason).toBe(reason);
  });

  it('hands a lost parcel to a person', () => {
    const lost = order({ shipments: [shipment([['lost', '2026-03-08T10:00:00Z']])] });
    const { last } = run([...withOrder('en', lost), text('track_order')]);
    expect(effect(last, 'handoff')?.reason).toBe('delivery_problem');
    expect(last.state.phase).toBe('with_person');
  });
});

describe('late beyond the promise (D4)', () => {
  const late = order({
    promisedDeliveryDate: '2026-03-10',
    lateOffers: [
      { action: 'shipping_fee_refund', maxAmount: 499n },
      { action: 'returnless_refund', maxAmount: 2999n },
    ],
  });
  const mayRefund = facts({ botMay: { ...DEFAULT_BOT_PERMISSIONS, refunds: true } });
  it.each([
    ['fr', ['en retard', '4,99 €', '29,99 €']],
    ['en', ['later than promised', '€4.99', '€29.99']],
    ['de', ['später als zugesagt', '4,99 €', '29,99 €']],
  ] as const)('offers what the concession policy allows, as buttons (%s)', (lang, expected) => {
    const { last } = run([...withOrder(lang, late), text('track_order', lang)]);
    expect(last.reason).toBe('late_offers_offered');
    expect(last.state.phase).toBe('choose_late_offer');
    expect(last.effects).toEqual([]);
    const offer = last.replies.at(-1)!;
    expect(ids(offer)).toEqual([
      'late:shipping_fee_refund',
      'late:returnless_refund',
      'late:wait',
      'talk_to_person',
    ]);
    const all = `${texts(last)}\n${offer.buttons.map((b) => b.label).join('\n')}`.replace(
      /[\u00a0\u202f]/g,
      ' ',
    );
    for (const e of expected) expect(all).toContain(e);
  });

  it('accepting an offer goes to a person when the bot may not refund (the default)', () => {
    const { last } = run([...withOrder('en', late), text('track_order'), button('late:shipping_fee_refund')]);
    expect(effect(last, 'grant_refund')).toBeUndefined();
    expect(effect(last, 'handoff')?.reason).toBe('refund_needs_person');
  });

  it('accepting an offer is granted by the bot where its policy lets it', () => {
    const { steps, last } = run(
      [
        ...withOrder('en', late),
        text('track_order'),
        button('late:shipping_fee_refund'),
        { type: 'effect_result', result: { effect: 'grant_refund', ok: true, amount: 499n } },
      ],
      mayRefund,
    );
    expect(effect(steps[5]!, 'grant_refund')).toEqual({
      type: 'grant_refund',
      orderExternalId: late.externalId,
      action: 'shipping_fee_refund',
      reason: 'late_beyond_promise',
    });
    expect(last.reason).toBe('refund_granted');
    expect(texts(last)).toContain('€4.99');
  });

  it('an offer to cancel an unshipped late order leads to the confirmation', () => {
    const unshipped = order({
      shipments: [],
      cancellable: true,
      promisedDeliveryDate: '2026-03-10',
      lateOffers: [{ action: 'cancel_order', maxAmount: 3498n }],
    });
    const { last } = run([...withOrder('en', unshipped), text('delivery_time'), button('late:cancel_order')]);
    expect(last.reason).toBe('cancel_confirmation_asked');
  });

  it('the buyer may simply wait', () => {
    const { last } = run([...withOrder('it', late), text('track_order', 'it'), button('late:wait')]);
    expect(last.reason).toBe('late_buyer_waits');
    expect(last.effects).toEqual([]);
  });

  it('a refund request on a late order offers the late options', () => {
    const { last } = run([...withOrder('en', late), text('refund_request')]);
    expect(last.reason).toBe('late_offers_offered');
  });

  it('an offer not on the list does nothing', () => {
    const { last } = run(
      [...withOrder('en', late), text('track_order'), button('late:cancel_order')],
      mayRefund,
    );
    expect(last.reason).toBe('unknown_button');
    expect(last.effects).toEqual([]);
  });
});

describe('returns (D2) and refunds (D6)', () => {
  const deliveredOrder = order({ shipments: [delivered] });
  const instructions = {
    returnId: 'R-0042',
    sendBy: '2026-03-26',
    freeReturnShipping: false,
    internationalReturn: false,
    returnCountry: 'IT',
  };
  it.each([
    ['en', 'Return R-0042 is authorised', 'send it back by', 'Thursday 26 March', 'taken off the refund'],
    ['it', 'Reso R-0042 autorizzato', 'spediscilo entro', '26 marzo', 'trattenuto dal rimborso'],
    ['de', 'Rücksendung R-0042 genehmigt', 'zurück', '26. März', 'abgezogen'],
  ] as const)(
    'authorises a return within policy at once, with its instructions (%s)',
    (lang, ...expected) => {
      const { steps, last } = run([
        ...withOrder(lang, deliveredOrder),
        text('return_item', lang),
        button('reason:no_longer_needed'),
        {
          type: 'effect_result',
          result: { effect: 'authorise_return', outcome: 'authorised', instructions },
        },
      ]);
      expect(steps[4]!.reason).toBe('return_reason_asked');
      expect(effect(steps[5]!, 'authorise_return')).toEqual({
        type: 'authorise_return',
        orderExternalId: '402-1234567-7654321',
        lines: [{ lineNo: 1, units: 1 }],
        reason: 'no_longer_needed',
      });
      expect(last.reason).toBe('return_authorised');
      for (const e of expected) expect(texts(last)).toContain(e);
    },
  );

  it('tells an international return where it goes', () => {
    const { last } = run([
      ...withOrder('en', deliveredOrder),
      text('return_item'),
      button('reason:defective'),
      {
        type: 'effect_result',
        result: {
          effect: 'authorise_return',
          outcome: 'authorised',
          instructions: {
            ...instructions,
            freeReturnShipping: true,
            internationalReturn: true,
            returnCountry: 'DE',
          },
        },
      },
    ]);
    expect(texts(last)).toContain('address in DE');
    expect(texts(last)).toContain('free');
  });

  it('a refund the seller should already have made (D6) goes to a person', () => {
    const overdue = order({
      shipments: [delivered],
      returns: [
        {
          externalId: 'R-8',
          authorisation: 'authorised',
          receivedAt: new Date('2026-03-05T08:00:00Z'),
          refundedAt: null,
          sellerRefundDueAt: new Date('2026-03-09T22:59:00Z'),
        },
      ],
    });
    const { last } = run([...withOrder('en', overdue), text('refund_status')]);
    expect(texts(last)).toContain('should already have refunded');
    expect(effect(last, 'handoff')?.reason).toBe('refund_overdue');
  });

  it('asks which item when the order has several lines', () => {
    const two = order({
      shipments: [delivered],
      lines: [
        { lineNo: 1, title: 'Lampada', units: 1, unitPrice: 2999n },
        { lineNo: 2, title: 'Lampadina', units: 3, unitPrice: 300n },
      ],
    });
    const { steps } = run([
      ...withOrder('en', two),
      text('return_item'),
      button('line:2'),
      button('reason:defective'),
    ]);
    expect(ids(steps[4]!.replies[0])).toEqual(['line:1', 'line:2']);
    expect(effect(steps[6]!, 'authorise_return')?.lines).toEqual([{ lineNo: 2, units: 3 }]);
  });

  it.each([
    ['en', 'ended on Sunday 1 March'],
    ['es', 'terminó el domingo, 1 de marzo'],
  ] as const)('hands a return outside policy to a person, with the reason in words (%s)', (lang, why) => {
    const { last } = run([
      ...withOrder(lang, deliveredOrder),
      text('return_item', lang),
      button('reason:no_longer_needed'),
      {
        type: 'effect_result',
        result: {
          effect: 'authorise_return',
          outcome: 'not_eligible',
          reason: 'outside_return_window',
          windowEndsOn: '2026-03-01',
        },
      },
    ]);
    expect(texts(last)).toContain(why);
    expect(effect(last, 'handoff')).toMatchObject({
      reason: 'return_outside_policy',
      escalate: false,
      via: 'chat',
    });
    expect(last.state.phase).toBe('with_person');
  });

  it('leaves returns to people when the marketplace does not let the bot authorise them', () => {
    const f = facts({ botMay: { ...DEFAULT_BOT_PERMISSIONS, authoriseReturns: false } });
    const { last } = run([...withOrder('en', deliveredOrder), text('return_item')], f);
    expect(effect(last, 'handoff')?.reason).toBe('return_needs_person');
  });

  it.each([
    ['en', 'must refund you by', 'Monday 16 March'],
    ['it', 'deve rimborsarti entro', '16 marzo'],
  ] as const)('tells the state of a refund and the seller’s deadline (%s)', (lang, deadline, date) => {
    const withReturn = order({
      shipments: [delivered],
      returns: [
        {
          externalId: 'R-7',
          authorisation: 'authorised',
          receivedAt: new Date('2026-03-12T08:00:00Z'),
          refundedAt: null,
          sellerRefundDueAt: new Date('2026-03-16T22:59:00Z'),
        },
      ],
      refunds: [{ amount: 499n, issuedAt: new Date('2026-03-11T10:00:00Z') }],
    });
    const { last } = run([...withOrder(lang, withReturn), text('refund_status', lang)]);
    expect(last.reason).toBe('answered_refund_status');
    expect(texts(last)).toContain(deadline);
    expect(texts(last)).toContain(date);
    expect(texts(last)).toContain(lang === 'en' ? '€4.99' : '4,99 €');
  });

  it('asks why for a refund request with nothing to show, each reason leading to its own flow', () => {
    const { last } = run([...withOrder('fr', deliveredOrder), text('refund_request', 'fr')]);
    expect(last.reason).toBe('refund_reason_asked');
    expect(last.effects).toEqual([]);
    expect(ids(last.replies[0])).toEqual([
      'intent:return_item',
      'intent:damaged_item',
      'intent:wrong_item',
      'intent:missing_parts',
      'talk_to_person',
    ]);
  });
});

describe('damaged, wrong or missing', () => {
  const deliveredOrder = order({ shipments: [delivered] });
  it.each([
    ['damaged_item', 'en', 'arrived damaged', 'problem:damaged_in_transit', 'damaged_in_transit'],
    ['damaged_item', 'es', 'dañado', 'problem:defective', 'defective'],
    ['wrong_item', 'it', 'articolo diverso', 'problem:wrong_item', 'wrong_item'],
    ['wrong_item', 'fr', 'article', 'problem:not_as_described', 'not_as_described'],
    ['missing_parts', 'de', 'Teile fehlen', 'problem:missing_parts', 'missing_parts'],
  ] as const)(
    '%s (%s): asks what happened, then a free return by default',
    (intent, lang, sorry, problem, reason) => {
      const { steps, last } = run([
        ...withOrder(lang, deliveredOrder),
        text(intent, lang),
        button(problem),
        button('remedy:return'),
      ]);
      const asked = steps[4]!;
      expect(asked.reason).toBe(`problem_asked_${intent}`);
      expect(texts(asked)).toContain(sorry);
      expect(texts(asked)).toContain('BRT');
      expect(asked.effects).toEqual([]);
      expect(ids(asked.replies.at(-1))).toContain(problem);
      expect(ids(steps[5]!.replies.at(-1))[0]).toBe('remedy:return');
      expect(ids(steps[5]!.replies.at(-1))).not.toContain('remedy:refund');
      expect(effect(last, 'authorise_return')?.reason).toBe(reason);
    },
  );

  it('a missing item cannot come back: no return is offered, a replacement goes to a person', () => {
    const { steps, last } = run([
      ...withOrder('en', deliveredOrder),
      text('missing_parts'),
      button('problem:missing_item'),
      button('remedy:replacement'),
    ]);
    expect(ids(steps[5]!.replies.at(-1))).toEqual(['remedy:replacement', 'talk_to_person']);
    expect(effect(last, 'handoff')?.reason).toBe('replacement_needs_person');
  });

  it('before delivery nothing is damaged yet: it says so and tells where the parcel is', () => {
    const { last } = run([...withOrder('en', order()), text('damaged_item')]);
    expect(texts(last)).toContain('hasn’t been delivered yet');
    expect(texts(last)).toContain('Bologna');
    expect(last.reason).toBe('answered_tracking');
  });

  it('offers a refund only when the marketplace lets the bot refund', () => {
    const f = facts({ botMay: { ...DEFAULT_BOT_PERMISSIONS, refunds: true } });
    const { steps, last } = run(
      [
        ...withOrder('en', deliveredOrder),
        text('damaged_item'),
        button('problem:damaged_in_transit'),
        button('remedy:refund'),
        { type: 'effect_result', result: { effect: 'grant_refund', ok: true, amount: 2999n } },
      ],
      f,
    );
    expect(ids(steps[5]!.replies.at(-1))).toEqual([
      'remedy:return',
      'remedy:refund',
      'remedy:replacement',
      'talk_to_person',
    ]);
    expect(effect(steps[6]!, 'grant_refund')).toEqual({
      type: 'grant_refund',
      orderExternalId: deliveredOrder.externalId,
      action: 'returnless_refund',
      reason: 'defective_or_damaged',
    });
    expect(texts(last)).toContain('€29.99');
  });

  it('hands a refund the refunds module refused (above the bot’s limit) to a person', () => {
    const f = facts({ botMay: { ...DEFAULT_BOT_PERMISSIONS, refunds: true } });
    const { last } = run(
      [
        ...withOrder('en', deliveredOrder),
        text('wrong_item'),
        button('problem:wrong_item'),
        button('remedy:refund'),
        { type: 'effect_result', result: { effect: 'grant_refund', ok: false, reason: 'above_limit' } },
      ],
      f,
    );
    expect(effect(last, 'handoff')?.reason).toBe('refund_needs_person');
  });

  it('ignores a refund button the marketplace does not allow', () => {
    const { last } = run([
      ...withOrder('en', deliveredOrder),
      text('damaged_item'),
      button('problem:defective'),
      button('remedy:refund'),
    ]);
    expect(last.effects).toEqual([]);
    expect(last.reason).toBe('unknown_button');
  });
});

describe('cancel and change of address', () => {
  const notShipped = order({ shipments: [], cancellable: true });
  it.each(['en', 'es'] as const)('cancels before shipment after the buyer confirms (%s)', (lang) => {
    const { steps, last } = run([
      ...withOrder(lang, notShipped),
      text('cancel_order', lang),
      button('confirm_cancel'),
      { type: 'effect_result', result: { effect: 'cancel_order', ok: true, reason: 'cancelled' } },
    ]);
    expect(ids(steps[4]!.replies[0])).toEqual(['confirm_cancel', 'keep_order', 'talk_to_person']);
    expect(effect(steps[5]!, 'cancel_order')).toEqual({
      type: 'cancel_order',
      orderExternalId: notShipped.externalId,
    });
    expect(last.reason).toBe('order_cancelled');
  });

  it('does not cancel a shipped order', () => {
    const { last } = run([...withOrder('it', order()), text('cancel_order', 'it')]);
    expect(last.reason).toBe('cancel_refused_shipped');
    expect(last.effects).toEqual([]);
  });

  it.each(['de', 'en'] as const)('changes the address before shipment (%s)', (lang) => {
    const { steps, last } = run([
      ...withOrder(lang, notShipped),
      text('change_address', lang),
      {
        type: 'text',
        text: 'Via Roma 1, 00100 Roma',
        understanding: reading('none', lang, { confidence: 0.2 }),
      },
      {
        type: 'effect_result',
        result: {
          effect: 'change_address',
          ok: true,
          reason: 'not_shipped_yet',
          address: 'Via Roma 1, 00100 Roma',
        },
      },
    ]);
    expect(steps[4]!.reason).toBe('address_asked');
    expect(effect(steps[5]!, 'change_address')?.address).toBe('Via Roma 1, 00100 Roma');
    expect(last.reason).toBe('address_changed');
    expect(texts(last)).toContain('Via Roma 1, 00100 Roma');
  });

  it('asks once more for an incomplete address, then hands it to a person', () => {
    const incomplete = {
      type: 'effect_result',
      result: { effect: 'change_address', ok: false, reason: 'address_incomplete', address: 'Roma' },
    } as const;
    const { steps, last } = run([
      ...withOrder('en', notShipped),
      text('change_address'),
      { type: 'text', text: 'Roma', understanding: reading('none') },
      incomplete,
      { type: 'text', text: 'Roma centro', understanding: reading('none') },
      incomplete,
    ]);
    expect(steps[6]!.reason).toBe('address_asked_again');
    expect(texts(steps[6]!)).toContain('street and number');
    expect(effect(steps[7]!, 'change_address')?.address).toBe('Roma centro');
    expect(effect(last, 'handoff')?.reason).toBe('address_needs_person');
  });

  it('a confident new question while an address is awaited is answered, not taken for an address', () => {
    const { last } = run([...withOrder('en', notShipped), text('change_address'), text('return_policy')]);
    expect(last.reason).toBe('answered_return_policy');
    expect(effect(last, 'change_address')).toBeUndefined();
  });

  it.each([
    ['cancel_order', 'cancel_refused_already_cancelled'],
    ['change_address', 'address_refused_cancelled'],
  ] as const)(
    'an order already cancelled is neither cancelled again nor re-addressed (%s)',
    (intent, reason) => {
      const cancelled = order({ shipments: [], cancellable: false, cancelled: true });
      const { last } = run([...withOrder('en', cancelled), text(intent)]);
      expect(last.reason).toBe(reason);
      expect(texts(last)).toContain('already cancelled');
      expect(last.effects).toEqual([]);
    },
  );

  it.each([
    ['cancel_order', { cancelOrders: false }, 'cancel_needs_person'],
    ['change_address', { changeAddresses: false }, 'address_needs_person'],
  ] as const)('leaves %s to people where the marketplace’s bot policy says so', (intent, may, reason) => {
    const f = facts({ botMay: { ...DEFAULT_BOT_PERMISSIONS, ...may } });
    const { last } = run([...withOrder('en', notShipped), text(intent)], f);
    expect(effect(last, 'handoff')?.reason).toBe(reason);
    expect(last.effects.some((e) => e.type === 'cancel_order' || e.type === 'change_address')).toBe(false);
  });

  it('reports a cancellation the order module refused because the order shipped meanwhile', () => {
    const { last } = run([
      ...withOrder('en', notShipped),
      text('cancel_order'),
      button('confirm_cancel'),
      { type: 'effect_result', result: { effect: 'cancel_order', ok: false, reason: 'already_shipped' } },
    ]);
    expect(last.reason).toBe('cancel_refused_shipped');
  });
});

describe('it acts only where the marketplace’s CS answers (R1–R6)', () => {
  it.each([
    [
      'not enrolled, tracking',
      order({ sellerStatus: 'not_enrolled' }),
      'track_order',
      'seller_not_enrolled',
      'en',
    ],
    ['withdrawn, return', order({ sellerStatus: 'withdrawn' }), 'return_item', 'seller_withdrawn', 'it'],
    ['invoice (R2)', order(), 'invoice', 'excluded_topic', 'fr'],
    ['customisation (R2)', order(), 'customization', 'excluded_topic', 'en'],
    ['premium invoice', order({ fulfilmentChannel: 'premium_seller' }), 'invoice', 'excluded_topic', 'de'],
  ] as const)(
    '%s: the seller answers through buyer–seller messaging',
    (_, o, intent, routingReason, lang) => {
      const { last } = run([...withOrder(lang, o), text(intent, lang)]);
      const thread = effect(last, 'open_seller_thread');
      expect(thread).toMatchObject({ orderExternalId: o.externalId, routingReason });
      expect(thread?.dueAt).toEqual(new Date(NOW.getTime() + 24 * H));
      expect(texts(last)).toContain('Casa Bella');
      expect(last.effects.some((e) => e.type === 'authorise_return' || e.type === 'handoff')).toBe(false);
    },
  );

  it.each(['en', 'es'] as const)(
    'premium orders are always the marketplace’s, enrolled or not (%s)',
    (lang) => {
      const premium = order({ fulfilmentChannel: 'premium_seller', sellerStatus: 'not_enrolled' });
      const { last } = run([...withOrder(lang, premium), text('track_order', lang)]);
      expect(last.reason).toBe('answered_tracking');
    },
  );

  it('a question before ordering goes to the product’s seller (R3), who is named with the due time', () => {
    const onPage = {
      ...started('it'),
      product: { productId: 'P-9', title: 'Lampada', sellerName: 'Luce Srl' },
    } as const;
    const { last } = run([onPage, text('pre_purchase', 'it')]);
    expect(effect(last, 'open_seller_thread')).toMatchObject({
      topic: 'pre_order',
      routingReason: 'pre_order_inquiry',
      orderExternalId: null,
      productId: 'P-9',
      dueAt: new Date(NOW.getTime() + 24 * H),
    });
    expect(texts(last)).toContain('prima dell’acquisto');
    expect(texts(last)).toContain('Luce Srl');
    expect(texts(last)).toContain('venerdì 13 marzo');
  });

  it('without a product or an order the seller is unknown: the buyer is told where to ask', () => {
    const { last } = run([started('en'), text('pre_purchase')]);
    expect(effect(last, 'open_seller_thread')).toBeUndefined();
    expect(last.reason).toBe('pre_order_without_product');
    expect(texts(last)).toContain('product’s page');
  });

  it('an order the marketplace ships goes to its fulfilment service (R4)', () => {
    const fba = order({ fulfilmentChannel: 'marketplace' });
    const { last } = run([...withOrder('en', fba), text('return_item')]);
    expect(effect(last, 'handoff')?.reason).toBe('marketplace_fulfilled_order');
    expect(effect(last, 'authorise_return')).toBeUndefined();
  });
});

describe('product questions (K2, K3)', () => {
  const onPage = {
    ...started('en'),
    product: { productId: 'P-9', title: 'Desk lamp', sellerName: 'Luce Srl' },
  } as const;
  it.each(['en', 'it'] as const)('answers from the detail page and shows the passage (%s)', (lang) => {
    const { steps, last } = run([
      { ...onPage, lang },
      text('product_question', lang),
      {
        type: 'effect_result',
        result: { effect: 'find_product_answer', passage: 'LED 8 W, 2700 K', source: 'page' },
      },
    ]);
    expect(effect(steps[1]!, 'find_product_answer')).toEqual({
      type: 'find_product_answer',
      productId: 'P-9',
      question: 'a message about product_question',
    });
    expect(texts(last)).toContain('LED 8 W, 2700 K');
  });

  it.each(['en', 'fr'] as const)(
    'asks the seller when the page cannot answer, and says by when (%s)',
    (lang) => {
      const { last } = run([
        { ...onPage, lang },
        text('product_question', lang),
        { type: 'effect_result', result: { effect: 'find_product_answer', passage: null, source: 'page' } },
      ]);
      expect(effect(last, 'ask_seller_product_question')).toMatchObject({
        productId: 'P-9',
        dueAt: new Date(NOW.getTime() + 24 * H),
      });
      expect(texts(last)).toContain(lang === 'en' ? 'Friday 13 March' : 'vendredi 13 mars');
    },
  );
});

describe('it never guesses', () => {
  it.each([
    ['low confidence, no alternatives', 'en', { confidence: 0.55 }, ['intent:track_order']],
    [
      'not confident, with alternatives',
      'it',
      {
        confidence: 0.9,
        confident: false,
        alternatives: [{ intent: 'delivery_time' as const }, { intent: 'refund_status' as const }],
      },
      ['intent:track_order', 'intent:delivery_time', 'intent:refund_status'],
    ],
  ] as const)('%s: offers its readings, "Something else" and a person (%s)', (_, lang, over, readings) => {
    const { last } = run([...withOrder(lang, order()), text('track_order', lang, over)]);
    expect(last.reason).toBe('not_confident_offered_readings');
    expect(last.effects).toEqual([]);
    expect(ids(last.replies[0])).toEqual([...readings, 'something_else', 'talk_to_person']);
  });

  it('acts on a reading once the buyer picks it', () => {
    const { last } = run([
      ...withOrder('es', order()),
      text('track_order', 'es', { confidence: 0.5 }),
      button('intent:track_order'),
    ]);
    expect(last.reason).toBe('answered_tracking');
  });

  it('trusts the model’s own confident flag over the raw number', () => {
    const { last } = run([
      ...withOrder('en', order()),
      text('track_order', 'en', { confidence: 0.6, confident: true }),
    ]);
    expect(last.reason).toBe('answered_tracking');
  });

  it.each(['en', 'de'] as const)('offers the topics when it understood nothing (%s)', (lang) => {
    const { last } = run([started(lang), text('none', lang, { confidence: 0.9 })]);
    expect(last.reason).toBe('not_understood');
    expect(ids(last.replies[0])).toEqual([
      'topic:order',
      'topic:payment',
      'something_else',
      'talk_to_person',
    ]);
  });
});

describe('hand-off to a person (C4–C6)', () => {
  const deliveredOrder = order({ shipments: [delivered] });
  const moments: [string, DialogueEvent[]][] = [
    ['at the greeting', [started('en')]],
    ['choosing an order', [started('en'), button('topic:order')]],
    [
      'choosing a return reason',
      [...withOrder('en', deliveredOrder), text('return_item'), text('none', 'en', { confidence: 0.1 })],
    ],
    ['while clarifying', [started('en'), text('refund_status', 'en', { confidence: 0.3 })]],
    ['while asked for an address', [...withOrder('en', order({ shipments: [] })), text('change_address')]],
  ];
  it.each(moments)('by words, %s', (_, before) => {
    const { last } = run([...before, text('human_agent')]);
    expect(effect(last, 'handoff')).toMatchObject({ reason: 'buyer_asked', escalate: false, via: 'chat' });
    expect(last.state.phase).toBe('with_person');
  });
  it.each(moments)('by the headset button, %s', (_, before) => {
    const { last } = run([...before, button('talk_to_person')]);
    expect(effect(last, 'handoff')?.reason).toBe('buyer_asked');
  });

  it.each([
    ['en', 'manager'],
    ['it', 'responsabile'],
  ] as const)('"I want a manager" escalates to a supervisor (%s)', (lang, word) => {
    const { last } = run([started(lang), text('human_agent', lang, { escalation: true })]);
    expect(effect(last, 'handoff')).toMatchObject({ reason: 'manager_asked', escalate: true });
    expect(texts(last)).toContain(word);
  });

  it('gives the person the bot’s reading and the order', () => {
    const { last } = run([
      ...withOrder('en', deliveredOrder),
      text('refund_status', 'en', { confidence: 0.4 }),
      button('talk_to_person'),
    ]);
    expect(effect(last, 'handoff')).toMatchObject({
      orderExternalId: deliveredOrder.externalId,
      reading: { intent: 'refund_status', confidence: 0.4, text: 'a message about refund_status' },
    });
  });

  it.each([
    ['email', 'de', '48 Stunden'],
    ['callback', 'fr', 'rappellera'],
  ] as const)(
    'with no agent of the language free, offers e-mail or a callback (%s, %s)',
    (via, lang, promise) => {
      const f = facts({ agentLanguages: ['it', 'en'] });
      const { steps, last } = run([started(lang), button('talk_to_person'), button(`contact:${via}`)], f);
      expect(effect(steps[1]!, 'offer_email_or_callback')).toEqual({
        type: 'offer_email_or_callback',
        escalate: false,
        reason: 'buyer_asked',
      });
      expect(effect(steps[1]!, 'handoff')).toBeUndefined();
      expect(ids(steps[1]!.replies[0])).toEqual(['contact:email', 'contact:callback', 'something_else']);
      expect(effect(last, 'handoff')).toMatchObject({ via });
      expect(texts(last)).toContain(promise);
      expect(last.state.phase).toBe('with_person');
    },
  );

  it('follows the language the buyer writes in', () => {
    const { last } = run([started('it'), text('return_policy', 'es')]);
    expect(texts(last)).toContain('Puedes devolver');
    expect(last.state.lang).toBe('es');
  });
});

describe('after a hand-off the bot never speaks again', () => {
  const after: [string, DialogueEvent][] = [
    ['a greeting', started('en')],
    ['a text', text('track_order')],
    ['the words for a person', text('human_agent')],
    ['a button', button('talk_to_person')],
    ['a topic', button('topic:order')],
    ['loaded facts', loaded(order())],
    [
      'an effect result',
      { type: 'effect_result', result: { effect: 'cancel_order', ok: true, reason: 'cancelled' } },
    ],
  ];
  it.each(after)('%s gets no reply and no effect', (_, e) => {
    const handedOff = run([started('en'), button('talk_to_person')]).state;
    const s = step(handedOff, e, facts(), NOW);
    expect(s).toEqual({ state: handedOff, replies: [], effects: [], reason: 'with_person_silent' });
  });
});

describe('stale answers', () => {
  it('ignores loaded facts and effect results it is not waiting for', () => {
    const greeted = run([started('en')]).state;
    expect(step(greeted, loaded(order()), facts(), NOW)).toMatchObject({
      replies: [],
      effects: [],
      reason: 'facts_ignored_not_waiting',
    });
    const r = step(
      greeted,
      { type: 'effect_result', result: { effect: 'cancel_order', ok: true, reason: 'x' } },
      facts(),
      NOW,
    );
    expect(r).toMatchObject({ replies: [], effects: [], reason: 'result_ignored_not_waiting' });
  });

  it('answers an unknown button with the topics, doing nothing', () => {
    const { last } = run([started('en'), button('order:not-mine')]);
    expect(last.reason).toBe('unknown_button');
    expect(last.effects).toEqual([]);
  });
});

// Every path, in every language: what the texts test reads for placeholders and raw codes.
function everyPathReplies(lang: BotLanguage): string[] {
  const late = order({
    promisedDeliveryDate: '2026-03-01',
    lateOffers: [{ action: 'cancel_order', maxAmount: 3498n }],
  });
  const paths: DialogueEvent[][] = [
    [started(lang), button('topic:payment'), text('payment', lang)],
    [started(lang), button('topic:other'), text('feedback', lang), button('more:yes'), button('more:no')],
    [...withOrder(lang, late), text('track_order', lang)],
    [...withOrder(lang, order({ shipments: [delivered] })), text('refund_status', lang)],
    [
      ...withOrder(lang, order({ shipments: [delivered] })),
      text('damaged_item', lang),
      button('problem:damaged_in_transit'),
      button('remedy:return'),
    ],
    [...withOrder(lang, order({ shipments: [delivered] })), text('refund_request', lang)],
    [...withOrder(lang, order({ shipments: [] })), text('change_address', lang)],
    [...withOrder(lang, order({ sellerStatus: 'not_enrolled' })), text('track_order', lang)],
    [
      started(lang),
      text('track_order', lang, { confidence: 0.2, alternatives: [{ intent: 'refund_status' }] }),
    ],
    [started(lang), button('talk_to_person'), button('contact:email')],
  ];
  const f = facts({ agentLanguages: [] });
  return paths.flatMap((p) =>
    run(p, f).steps.flatMap((s) => s.replies.flatMap((r) => [r.text, ...r.buttons.map((b) => b.label)])),
  );
}

describe('rendered replies', () => {
  it.each(botLanguages)('leave no {placeholder} and no raw code in %s', (lang) => {
    const all = everyPathReplies(lang);
    expect(all.length).toBeGreaterThan(30);
    for (const reply of all) {
      expect(reply, reply).not.toMatch(/\{\w*\}/);
      expect(reply, reply).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
      expect(reply.trim(), 'empty reply').not.toBe('');
    }
  });
});
