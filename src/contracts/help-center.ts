import { z } from 'zod';
import { email } from './common';

// The Contact Us page's read and the widget's settings, shared by the server and the web pages.

export const orderStateCodes = [
  'preparing',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'late',
  'delivery_problem',
  'return_requested',
  'return_authorised',
  'returned',
] as const;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const phoneHours = z
  .object({
    /** ISO weekdays, 1 = Monday … 7 = Sunday. */
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    opens: hhmm,
    closes: hhmm,
  })
  .refine((h) => h.opens < h.closes, { path: ['closes'], message: 'closes after it opens' });

export const helpCenterView = z.object({
  marketplace: z.object({
    id: z.string(),
    name: z.string(),
    languages: z.array(z.string()),
    defaultLanguage: z.string(),
    timeZone: z.string(),
  }),
  channels: z.object({
    chat: z.boolean(),
    email: z.string(),
    phone: z.string().nullable(),
    phoneHours: phoneHours.nullable(),
  }),
  orders: z.array(
    z.object({
      externalId: z.string(),
      orderedAt: z.string(),
      promisedDeliveryDate: z.string().nullable(),
      total: z.object({ amount: z.number(), currency: z.string() }),
      /** Lines (different items) in the order; `title` is the first one's. */
      itemCount: z.number().int(),
      title: z.string().nullable(),
      state: z.enum(orderStateCodes),
      /** When the state last changed, where known (the carrier event, the shipment). */
      stateAt: z.string().nullable(),
    }),
  ),
});
export type HelpCenterView = z.infer<typeof helpCenterView>;

/** An exact web origin: scheme, host and port only (`https://shop.example.it`). */
export const webOrigin = z
  .string()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
    } catch {
      return false;
    }
  }, 'an origin like https://shop.example.com (no path, no trailing slash)');

export const widgetOriginsBody = z.object({ origins: z.array(webOrigin).max(50) });
export const widgetSettingsView = z.object({ marketplace: z.string(), origins: z.array(z.string()) });

export const helpChannelsBody = z.object({
  supportEmail: email.nullable(),
  supportPhone: z
    .string()
    .regex(/^\+?[0-9 ()./-]{4,32}$/, 'a phone number')
    .nullable(),
  phoneHours: phoneHours.nullable(),
});
