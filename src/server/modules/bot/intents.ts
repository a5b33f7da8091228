import type { ContactTopic } from '../routing';
// The bot's intents: the taxonomy of ../shared/data/bot-eval/README.md, same names.
export const intents = [
  'track_order',
  'delivery_time',
  'cancel_order',
  'change_order',
  'change_address',
  'return_item',
  'refund_request',
  'refund_status',
  'return_policy',
  'wrong_item',
  'damaged_item',
  'missing_parts',
  'product_question',
  'invoice',
  'customization',
  'payment',
  'account',
  'human_agent',
  'complaint',
  'feedback',
  'pre_purchase',
  'none',
] as const;
export type Intent = (typeof intents)[number];

export const botLanguages = ['it', 'es', 'fr', 'de', 'en'] as const;
export type BotLanguage = (typeof botLanguages)[number];
export const isBotLanguage = (l: string): l is BotLanguage => (botLanguages as readonly string[]).includes(l);

/** The contact topic (routing's, R1–R6) an intent asks about; every other intent is `other`. */
const TOPIC_OF_INTENT: Partial<Record<Intent, ContactTopic>> = {
  track_order: 'order_status',
  delivery_time: 'delivery',
  cancel_order: 'cancel_or_change',
  change_order: 'cancel_or_change',
  change_address: 'cancel_or_change',
  return_item: 'return',
  return_policy: 'return',
  refund_request: 'refund',
  refund_status: 'refund',
  wrong_item: 'damaged_or_wrong',
  damaged_item: 'damaged_or_wrong',
  missing_parts: 'damaged_or_wrong',
  product_question: 'product_question',
  invoice: 'invoice',
  customization: 'customization',
  payment: 'payment_or_account',
  account: 'payment_or_account',
};
export const contactTopicOf = (intent: Intent): ContactTopic => TOPIC_OF_INTENT[intent] ?? 'other';
