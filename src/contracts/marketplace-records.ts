import { z } from 'zod';
import {
  countryCode,
  currencyCode,
  email,
  externalId,
  instant,
  languageCode,
  localDate,
  minorAmount,
  shortText,
  timeZone,
} from './common';

// What the operator's commerce platform sends: one record per entity, keyed by the platform's own ids.
// The same record sent twice changes nothing the second time.

export const fulfilmentChannels = ['seller', 'marketplace', 'premium_seller'] as const;
export const sellerStandings = ['good', 'at_risk', 'suspended', 'closed'] as const;
export const returnAuthorisations = ['pending', 'authorised', 'rejected'] as const;
export const returnReasons = [
  'no_longer_needed',
  'ordered_by_mistake',
  'better_price_available',
  'wrong_item',
  'defective',
  'damaged_in_transit',
  'missing_parts',
  'late_delivery',
  'not_as_described',
  'other',
] as const;
/** Carrier event codes. Every code but `label_created` is a physical scan (SPEC M5 valid tracking). */
export const carrierEventCodes = [
  'label_created',
  'picked_up',
  'in_transit',
  'arrived_at_facility',
  'out_for_delivery',
  'delivery_attempted',
  'delivered',
  'lost',
  'damaged',
  'returned_to_sender',
] as const;
export const isCarrierScan = (code: string) => code !== 'label_created';

const holiday = z.object({ day: localDate, name: shortText });

export const marketplaceRecord = z.object({
  type: z.literal('marketplace'),
  id: z.string().regex(/^[A-Z]{2,8}$/),
  name: shortText,
  country: countryCode,
  currency: currencyCode,
  languages: z.array(languageCode).min(1).max(10),
  defaultLanguage: languageCode,
  timeZone,
  weekendDays: z.array(z.number().int().min(1).max(7)).max(7).default([6, 7]),
  orderNumberPattern: z.string().max(200).nullable().default(null),
  holidays: z.array(holiday).max(1000).optional(),
});

export const sellerRecord = z.object({
  type: z.literal('seller'),
  externalId,
  name: shortText,
  homeCountry: countryCode,
  defaultEmail: email,
  languages: z.array(languageCode).min(1).max(10),
  standing: z.enum(sellerStandings),
  accountType: z.enum(['professional', 'individual']).default('professional'),
});

export const buyerRecord = z.object({
  type: z.literal('buyer'),
  externalId,
  name: shortText,
  email,
  phone: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +390212345678')
    .nullable()
    .default(null),
  language: languageCode,
});

export const productPage = z.object({
  marketplace: z.string().regex(/^[A-Z]{2,8}$/),
  language: languageCode,
  title: z.string().min(1).max(500),
  bulletPoints: z.array(z.string().max(1000)).max(20).default([]),
  description: z.string().max(20_000).default(''),
  attributes: z.record(z.string().max(100), z.string().max(1000)).default({}),
});

export const productRecord = z.object({
  type: z.literal('product'),
  externalId,
  sellerExternalId: externalId,
  sku: z.string().min(1).max(100),
  category: z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'lower-case category code, e.g. home_kitchen'),
  returnable: z.boolean().default(true),
  customisable: z.boolean().default(false),
  pages: z.array(productPage).max(50).default([]),
});

export const orderLine = z.object({
  lineNo: z.number().int().min(1).max(999),
  productExternalId: externalId,
  units: z.number().int().min(1).max(10_000),
  unitPrice: minorAmount,
});

export const orderRecord = z.object({
  type: z.literal('order'),
  externalId,
  marketplace: z.string().regex(/^[A-Z]{2,8}$/),
  sellerExternalId: externalId,
  buyerExternalId: externalId,
  fulfilmentChannel: z.enum(fulfilmentChannels),
  currency: currencyCode,
  orderedAt: instant,
  promisedDeliveryDate: localDate.nullable().default(null),
  isPreorder: z.boolean().default(false),
  lines: z.array(orderLine).min(1).max(200),
  itemsTotal: minorAmount,
  shippingCharge: minorAmount.default(0),
  orderTotal: minorAmount,
});

export const carrierEvent = z.object({
  code: z.enum(carrierEventCodes),
  occurredAt: instant,
  location: z.string().max(200).nullable().default(null),
  detail: z.string().max(1000).nullable().default(null),
});

export const shipmentRecord = z.object({
  type: z.literal('shipment'),
  externalId,
  orderExternalId: externalId,
  carrier: z.string().min(1).max(100),
  trackingNumber: z.string().min(1).max(100).nullable().default(null),
  shippedAt: instant,
  events: z.array(carrierEvent).max(500).default([]),
});

export const shipmentEventsRecord = z.object({
  type: z.literal('shipment_events'),
  shipmentExternalId: externalId,
  events: z.array(carrierEvent).min(1).max(500),
});

export const returnRecord = z.object({
  type: z.literal('return'),
  externalId,
  orderExternalId: externalId,
  reason: z.enum(returnReasons),
  requestedAt: instant,
  authorisation: z.enum(returnAuthorisations),
  authorisedAt: instant.nullable().default(null),
  carrier: z.string().min(1).max(100).nullable().default(null),
  trackingNumber: z.string().min(1).max(100).nullable().default(null),
  receivedAt: instant.nullable().default(null),
  /** M6: when the platform refunded the buyer for this return; a refunded return has no refund deadline. */
  refundedAt: instant.nullable().default(null),
  lines: z
    .array(z.object({ lineNo: z.number().int().min(1).max(999), units: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(200),
  events: z.array(carrierEvent).max(500).default([]),
});

export const returnEventsRecord = z.object({
  type: z.literal('return_events'),
  returnExternalId: externalId,
  events: z.array(carrierEvent).min(1).max(500),
});

export const marketplaceDataRecord = z.discriminatedUnion('type', [
  marketplaceRecord,
  sellerRecord,
  buyerRecord,
  productRecord,
  orderRecord,
  shipmentRecord,
  shipmentEventsRecord,
  returnRecord,
  returnEventsRecord,
]);

export type MarketplaceRecord = z.infer<typeof marketplaceRecord>;
export type SellerRecord = z.infer<typeof sellerRecord>;
export type BuyerRecord = z.infer<typeof buyerRecord>;
export type ProductRecord = z.infer<typeof productRecord>;
export type OrderRecord = z.infer<typeof orderRecord>;
export type ShipmentRecord = z.infer<typeof shipmentRecord>;
export type ShipmentEventsRecord = z.infer<typeof shipmentEventsRecord>;
export type ReturnRecord = z.infer<typeof returnRecord>;
export type ReturnEventsRecord = z.infer<typeof returnEventsRecord>;
export type CarrierEvent = z.infer<typeof carrierEvent>;
export type MarketplaceDataRecord = z.infer<typeof marketplaceDataRecord>;
export type RecordType = MarketplaceDataRecord['type'];

/** The order in which a batch is applied, so that a record can refer to one earlier in the same batch. */
export const recordTypeOrder: readonly RecordType[] = [
  'marketplace',
  'seller',
  'buyer',
  'product',
  'order',
  'shipment',
  'shipment_events',
  'return',
  'return_events',
];
