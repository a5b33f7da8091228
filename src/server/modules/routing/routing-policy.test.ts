import { describe, expect, it } from 'vitest';
import {
  type ContactTopic,
  type RoutingContact,
  type RoutingOrder,
  routeContact,
  type SellerProgramStatus,
} from './routing-policy';

const at = new Date('2026-03-12T09:00:00Z');
const buyer = (topic: ContactTopic = 'order_status'): RoutingContact => ({
  channel: 'chat',
  topic,
  sender: 'buyer',
  at,
});
const seller = (topic: ContactTopic = 'order_status'): RoutingContact => ({
  channel: 'email',
  topic,
  sender: 'seller',
  at,
});
const order = (fulfilmentChannel: 'seller' | 'marketplace' | 'premium_seller'): RoutingOrder => ({
  fulfilmentChannel,
});

describe('routing (R1–R7): every rule and their combinations', () => {
  const cases: [string, RoutingContact, RoutingOrder, SellerProgramStatus, string, string, string | null][] =
    [
      // name, contact, order, seller status, handler, reason, queue
      [
        'pre-order inquiry, enrolled seller',
        buyer('product_question'),
        null,
        'active',
        'seller',
        'pre_order_inquiry',
        null,
      ],
      [
        'pre-order inquiry, not enrolled',
        buyer('product_question'),
        null,
        'not_enrolled',
        'seller',
        'pre_order_inquiry',
        null,
      ],
      [
        'marketplace-fulfilled, enrolled seller',
        buyer(),
        order('marketplace'),
        'active',
        'marketplace_fulfilment',
        'marketplace_fulfilled_order',
        null,
      ],
      [
        'marketplace-fulfilled, invoice',
        buyer('invoice'),
        order('marketplace'),
        'not_enrolled',
        'marketplace_fulfilment',
        'marketplace_fulfilled_order',
        null,
      ],
      [
        'seller-fulfilled, enrolled',
        buyer(),
        order('seller'),
        'active',
        'marketplace_cs',
        'enrolled_seller_fulfilled',
        'standard',
      ],
      [
        'seller-fulfilled, trial',
        buyer('refund'),
        order('seller'),
        'trial',
        'marketplace_cs',
        'trial_seller_fulfilled',
        'standard',
      ],
      [
        'seller-fulfilled, withdrawn',
        buyer(),
        order('seller'),
        'withdrawn',
        'seller',
        'seller_withdrawn',
        null,
      ],
      [
        'seller-fulfilled, never enrolled',
        buyer(),
        order('seller'),
        'not_enrolled',
        'seller',
        'seller_not_enrolled',
        null,
      ],
      [
        'seller-fulfilled, enrolled, invoice',
        buyer('invoice'),
        order('seller'),
        'active',
        'seller',
        'excluded_topic',
        null,
      ],
      [
        'seller-fulfilled, enrolled, customisation',
        buyer('customization'),
        order('seller'),
        'active',
        'seller',
        'excluded_topic',
        null,
      ],
      [
        'seller-fulfilled, enrolled, product question',
        buyer('product_question'),
        order('seller'),
        'active',
        'marketplace_cs',
        'enrolled_seller_fulfilled',
        'standard',
      ],
      [
        'premium, never enrolled',
        buyer('damaged_or_wrong'),
        order('premium_seller'),
        'not_enrolled',
        'marketplace_cs',
        'premium_seller_fulfilled',
        'premium',
      ],
      [
        'premium, withdrawn',
        buyer('return'),
        order('premium_seller'),
        'withdrawn',
        'marketplace_cs',
        'premium_seller_fulfilled',
        'premium',
      ],
      [
        'premium, product question',
        buyer('product_question'),
        order('premium_seller'),
        'active',
        'seller',
        'premium_product_question',
        null,
      ],
      [
        'premium, invoice',
        buyer('invoice'),
        order('premium_seller'),
        'active',
        'seller',
        'excluded_topic',
        null,
      ],
      [
        'forwarded by seller, enrolled',
        seller(),
        order('seller'),
        'active',
        'marketplace_cs',
        'forwarded_by_seller',
        'standard',
      ],
      [
        'forwarded by seller, trial',
        seller(),
        order('seller'),
        'trial',
        'marketplace_cs',
        'forwarded_by_seller',
        'standard',
      ],
      [
        'forwarded by seller, premium not enrolled',
        seller(),
        order('premium_seller'),
        'not_enrolled',
        'marketplace_cs',
        'forwarded_by_seller',
        'premium',
      ],
      [
        'forwarded by seller, not enrolled',
        seller(),
        order('seller'),
        'not_enrolled',
        'refused',
        'forward_refused_not_enrolled',
        null,
      ],
      [
        'forwarded by seller, withdrawn',
        seller(),
        order('seller'),
        'withdrawn',
        'refused',
        'forward_refused_not_enrolled',
        null,
      ],
      [
        'forwarded by seller, marketplace-fulfilled',
        seller(),
        order('marketplace'),
        'active',
        'refused',
        'forward_refused_not_seller_fulfilled',
        null,
      ],
      [
        'forwarded by seller, no order',
        seller(),
        null,
        'active',
        'refused',
        'forward_refused_no_order',
        null,
      ],
    ];
  it.each(cases)('%s', (_name, contact, o, status, handler, reason, queue) => {
    const d = routeContact(contact, o, status);
    expect(d).toMatchObject({ handler, reason, queue });
    expect(d.explanation.length).toBeGreaterThan(20); // R7: every decision explains itself
  });

  it('uses the marketplace’s own excluded topics', () => {
    const d = routeContact(buyer('invoice'), order('seller'), 'active', { excludedTopics: [] });
    expect(d.reason).toBe('enrolled_seller_fulfilled');
  });
});
