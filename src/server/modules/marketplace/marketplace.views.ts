// How marketplace rows are shown over HTTP: camelCase, ISO instants, money as minor units + currency.
import { z } from 'zod';
import { isCarrierScan } from '../../../contracts/marketplace-records';
import { formatMoney, money } from '../../platform/money';
import type {
  CarrierEventRow,
  MarketplaceRow,
  OrderDetail,
  OrderSummaryRow,
  ProductPageRow,
  SellerRow,
} from './marketplace.repository';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const moneySchema = z.object({
  amount: z.number().int(),
  currency: z.string(),
  formatted: z.string(),
});
const moneyOf = (amount: bigint | number | string, currency: string, locale: string) => ({
  amount: Number(amount),
  currency,
  formatted: formatMoney(money(BigInt(amount), currency), locale),
});

export const marketplaceView = {
  schema: z.object({
    id: z.string(),
    name: z.string(),
    country: z.string(),
    currency: z.string(),
    languages: z.array(z.string()),
    defaultLanguage: z.string(),
    timeZone: z.string(),
    weekendDays: z.array(z.number()),
  }),
  from: (m: MarketplaceRow) => ({
    id: m.id,
    name: m.name,
    country: m.country,
    currency: m.currency,
    languages: m.languages,
    defaultLanguage: m.default_language,
    timeZone: m.time_zone,
    weekendDays: m.weekend_days,
  }),
};

export const sellerView = {
  schema: z.object({
    id: z.string(),
    externalId: z.string(),
    name: z.string(),
    homeCountry: z.string(),
    defaultEmail: z.string(),
    languages: z.array(z.string()),
    standing: z.string(),
    accountType: z.string(),
  }),
  from: (s: SellerRow) => ({
    id: s.id,
    externalId: s.external_id,
    name: s.name,
    homeCountry: s.home_country,
    defaultEmail: s.default_email,
    languages: s.languages,
    standing: s.standing,
    accountType: s.account_type,
  }),
};

export const orderSummaryView = {
  schema: z.object({
    id: z.string(),
    externalId: z.string(),
    marketplace: z.string(),
    sellerId: z.string(),
    buyerId: z.string(),
    fulfilmentChannel: z.string(),
    orderedAt: z.string(),
    promisedDeliveryDate: z.string().nullable(),
    isPreorder: z.boolean(),
    orderTotal: z.object({ amount: z.number(), currency: z.string() }),
  }),
  from: (o: OrderSummaryRow) => ({
    id: o.id,
    externalId: o.external_id,
    marketplace: o.marketplace_id,
    sellerId: o.seller_id,
    buyerId: o.buyer_id,
    fulfilmentChannel: o.fulfilment_channel,
    orderedAt: iso(o.ordered_at)!,
    promisedDeliveryDate: o.promised_delivery_date,
    isPreorder: o.is_preorder,
    orderTotal: { amount: Number(o.order_total), currency: o.currency },
  }),
};

const eventSchema = z.object({
  code: z.string(),
  occurredAt: z.string(),
  location: z.string().nullable(),
  detail: z.string().nullable(),
});
const eventOf = (e: CarrierEventRow) => ({
  code: e.code,
  occurredAt: iso(e.occurred_at)!,
  location: e.location,
  detail: e.detail,
});

export const orderDetailView = {
  schema: orderSummaryView.schema.extend({
    sellerExternalId: z.string(),
    buyerExternalId: z.string(),
    itemsTotal: moneySchema,
    shippingCharge: moneySchema,
    orderTotal: moneySchema,
    lines: z.array(
      z.object({
        lineNo: z.number(),
        productId: z.string(),
        productExternalId: z.string(),
        sku: z.string(),
        title: z.string().nullable(),
        units: z.number(),
        unitPrice: moneySchema,
        lineTotal: moneySchema,
      }),
    ),
    shipments: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        carrier: z.string(),
        trackingNumber: z.string().nullable(),
        shippedAt: z.string(),
        hasValidTracking: z.boolean(),
        deliveredAt: z.string().nullable(),
        events: z.array(eventSchema),
      }),
    ),
    returns: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        reason: z.string(),
        requestedAt: z.string(),
        authorisation: z.string(),
        authorisedAt: z.string().nullable(),
        carrier: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        receivedAt: z.string().nullable(),
        refundedAt: z.string().nullable(),
        lines: z.array(z.object({ lineNo: z.number(), units: z.number() })),
        events: z.array(eventSchema),
      }),
    ),
  }),
  from: (o: OrderDetail, locale: string) => {
    const m = (amount: bigint | number) => moneyOf(amount, o.currency, locale);
    return {
      ...orderSummaryView.from(o),
      sellerExternalId: o.seller_external_id,
      buyerExternalId: o.buyer_external_id,
      itemsTotal: m(o.items_total),
      shippingCharge: m(o.shipping_charge),
      orderTotal: m(o.order_total),
      lines: o.lines.map((l) => ({
        lineNo: l.line_no,
        productId: l.product_id,
        productExternalId: l.product_external_id,
        sku: l.sku,
        title: l.title,
        units: l.units,
        unitPrice: m(l.unit_price),
        lineTotal: m(BigInt(l.unit_price) * BigInt(l.units)),
      })),
      shipments: o.shipments.map((s) => ({
        id: s.id,
        externalId: s.external_id,
        carrier: s.carrier,
        trackingNumber: s.tracking_number,
        shippedAt: iso(s.shipped_at)!,
        // SPEC M5: valid tracking means at least one physical carrier scan.
        hasValidTracking: s.events.some((e) => isCarrierScan(e.code)),
        deliveredAt: iso(s.events.find((e) => e.code === 'delivered')?.occurred_at ?? null),
        events: s.events.map(eventOf),
      })),
      returns: o.returns.map((r) => ({
        id: r.id,
        externalId: r.external_id,
        reason: r.reason,
        requestedAt: iso(r.requested_at)!,
        authorisation: r.authorisation,
        authorisedAt: iso(r.authorised_at),
        carrier: r.carrier,
        trackingNumber: r.tracking_number,
        receivedAt: iso(r.received_at),
        refundedAt: iso(r.refunded_at),
        lines: r.lines.map((l) => ({ lineNo: l.line_no, units: l.units })),
        events: r.events.map(eventOf),
      })),
    };
  },
};

export const productPageView = {
  schema: z.object({
    productId: z.string(),
    externalId: z.string(),
    sku: z.string(),
    category: z.string(),
    returnable: z.boolean(),
    customisable: z.boolean(),
    marketplace: z.string(),
    language: z.string(),
    languagesAvailable: z.array(z.string()),
    title: z.string(),
    bulletPoints: z.array(z.string()),
    description: z.string(),
    attributes: z.record(z.string(), z.string()),
  }),
  from: (p: ProductPageRow) => ({
    productId: p.product_id,
    externalId: p.external_id,
    sku: p.sku,
    category: p.category,
    returnable: p.returnable,
    customisable: p.customisable,
    marketplace: p.marketplace_id,
    language: p.language,
    languagesAvailable: p.languages_available,
    title: p.title,
    bulletPoints: p.bullet_points,
    description: p.description,
    attributes: p.attributes,
  }),
};
