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
