// Who answers a contact (SPEC R1–R7): a pure decision with a reason code and a sentence anyone can
// read, from the contact, its order, the seller's programme status at that instant and the
// marketplace's rules.

export type ContactChannel = 'chat' | 'email' | 'phone';
export const contactTopics = [
  'order_status',
  'delivery',
  'return',
  'refund',
  'damaged_or_wrong',
  'cancel_or_change',
  'product_question',
  'invoice',
  'customization',
  'payment_or_account',
  'other',
] as const;
export type ContactTopic = (typeof contactTopics)[number];

export type RoutingContact = {
  channel: ContactChannel;
  topic: ContactTopic;
  /** Who wrote: the buyer, or the seller forwarding a buyer's message (R5). */
  sender: 'buyer' | 'seller';
  at: Date;
};
export type RoutingOrder = { fulfilmentChannel: 'seller' | 'marketplace' | 'premium_seller' } | null;
export type SellerProgramStatus = 'trial' | 'active' | 'not_enrolled' | 'withdrawn';
export type MarketplaceRules = { excludedTopics: readonly ContactTopic[] };

export type Handler = 'marketplace_cs' | 'seller' | 'marketplace_fulfilment' | 'refused';
export const routingReasons = [
  'pre_order_inquiry',
  'marketplace_fulfilled_order',
  'excluded_topic',
  'premium_product_question',
  'premium_seller_fulfilled',
  'enrolled_seller_fulfilled',
  'trial_seller_fulfilled',
  'seller_not_enrolled',
  'seller_withdrawn',
  'forwarded_by_seller',
  'forward_refused_not_enrolled',
  'forward_refused_not_seller_fulfilled',
  'forward_refused_no_order',
] as const;
export type RoutingReason = (typeof routingReasons)[number];

export type RoutingDecision = {
  handler: Handler;
  queue: 'standard' | 'premium' | null;
  reason: RoutingReason;
  explanation: string;
};

export const DEFAULT_RULES: MarketplaceRules = { excludedTopics: ['invoice', 'customization'] };

const decision = (
  handler: Handler,
  reason: RoutingReason,
  explanation: string,
  queue: RoutingDecision['queue'] = null,
): RoutingDecision => ({
  handler,
  queue,
  reason,
  explanation,
});

export function routeContact(
  contact: RoutingContact,
  order: RoutingOrder,
  sellerStatus: SellerProgramStatus,
  rules: MarketplaceRules = DEFAULT_RULES,
): RoutingDecision {
  const enrolled = sellerStatus === 'trial' || sellerStatus === 'active';
  if (contact.sender === 'seller') {
    // R5: a seller forwards a buyer's message about an enrolled seller-fulfilled order.
    if (!order)
      return decision(
        'refused',
        'forward_refused_no_order',
        'A forwarded message must name the order it is about.',
      );
    if (order.fulfilmentChannel === 'marketplace') {
      return decision(
        'refused',
        'forward_refused_not_seller_fulfilled',
        'The order is fulfilled by the marketplace; its customer service already owns it.',
      );
    }
    if (order.fulfilmentChannel === 'premium_seller' || enrolled) {
      return decision(
        'marketplace_cs',
        'forwarded_by_seller',
        'Forwarded by the seller: the marketplace answers the buyer on the seller’s behalf.',
        order.fulfilmentChannel === 'premium_seller' ? 'premium' : 'standard',
      );
    }
    return decision(
      'refused',
      'forward_refused_not_enrolled',
      'The seller is not enrolled in the managed service, so the contact stays with the seller.',
    );
  }
  if (!order) {
    return decision(
      'seller',
      'pre_order_inquiry',
      'A question before any order goes to the seller through buyer–seller messaging (R3).',
    );
  }
  if (order.fulfilmentChannel === 'marketplace') {
    return decision(
      'marketplace_fulfilment',
      'marketplace_fulfilled_order',
      'The marketplace ships this order; its own fulfilment service answers, outside the managed service (R4).',
    );
  }
  if (rules.excludedTopics.includes(contact.topic)) {
    return decision(
      'seller',
      'excluded_topic',
      `${contact.topic === 'invoice' ? 'Invoices' : contact.topic === 'customization' ? 'Product customisation' : 'This topic'} stays with the seller, through buyer–seller messaging (R2).`,
    );
  }
  if (order.fulfilmentChannel === 'premium_seller') {
    if (contact.topic === 'product_question') {
      return decision(
        'seller',
        'premium_product_question',
        'Product questions on premium orders stay with the seller (R6).',
      );
    }
    return decision(
      'marketplace_cs',
      'premium_seller_fulfilled',
      'Post-order contacts of premium seller-fulfilled orders always go to the marketplace’s customer service (R6, P6).',
      'premium',
    );
  }
  if (sellerStatus === 'active') {
    return decision(
      'marketplace_cs',
      'enrolled_seller_fulfilled',
      'The seller is enrolled in the managed service: the marketplace answers (R1).',
      'standard',
    );
  }
  if (sellerStatus === 'trial') {
    return decision(
      'marketplace_cs',
      'trial_seller_fulfilled',
      'The seller is in its managed-service trial: the marketplace answers (R1, P2).',
      'standard',
    );
  }
  if (sellerStatus === 'withdrawn') {
    return decision(
      'seller',
      'seller_withdrawn',
      'The seller had withdrawn from the managed service when the contact was opened, so it stays the seller’s (P5).',
    );
  }
  return decision(
    'seller',
    'seller_not_enrolled',
    'The seller is not enrolled in the managed service: the seller answers through buyer–seller messaging.',
  );
}
