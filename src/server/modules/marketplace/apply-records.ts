// Applies records from the commerce platform in sets: one statement per table per batch, so a
// million orders load at bulk speed, yet every record is checked alone and a rejected record
// writes nothing. Used by the single upserts, the all-or-nothing batch and the bulk import.
import { sql } from 'kysely';
import {
  type CarrierEvent,
  type MarketplaceDataRecord,
  marketplaceDataRecord,
  type RecordType,
  recordTypeOrder,
} from '../../../contracts/marketplace-records';
import type { Db } from '../../platform/db';
import type { ErrorDetail } from '../../platform/errors';
import { zodDetails } from '../../platform/validation';
import {
  checkIdentity,
  checkMarketplace,
  checkOrder,
  checkProduct,
  checkReturn,
  type IdentityType,
  type identityFields,
  type MarketplaceFacts,
  type StoredIdentity,
} from './record-rules';

export type RecordRejection = { index: number; errors: ErrorDetail[] };
export type ApplyResult = {
  accepted: number;
  created: number;
  updated: number;
  rejected: RecordRejection[];
};

type Item<T extends RecordType> = { index: number; record: Extract<MarketplaceDataRecord, { type: T }> };
type Counts = { created: number; updated: number };

class Batch {
  readonly rejected = new Map<number, ErrorDetail[]>();
  readonly counts: Counts = { created: 0, updated: 0 };
  constructor(
    readonly tx: Db,
    public marketplaces: Map<string, MarketplaceFacts>,
  ) {}

  reject(index: number, errors: ErrorDetail[]) {
    if (errors.length > 0) this.rejected.set(index, [...(this.rejected.get(index) ?? []), ...errors]);
  }

  /** Keeps the items that pass `check`, rejecting the others with the problems it found. */
  keep<T extends { index: number }>(items: T[], check: (item: T) => ErrorDetail[]): T[] {
    return items.filter((item) => {
      const errors = check(item);
      this.reject(item.index, errors);
      return errors.length === 0;
    });
  }

  count(rows: { inserted: boolean }[]) {
    for (const r of rows) r.inserted ? this.counts.created++ : this.counts.updated++;
  }
}

export type ParsedRecords = {
  size: number;
  byType: Map<RecordType, { index: number; record: MarketplaceDataRecord }[]>;
  rejected: Map<number, ErrorDetail[]>;
};

/** Checks each record against its schema; pure and CPU-only, so it can run while the database works. */
export function parseRecords(input: readonly unknown[]): ParsedRecords {
  const byType: ParsedRecords['byType'] = new Map();
  const rejected = new Map<number, ErrorDetail[]>();
  for (const [index, raw] of input.entries()) {
    const parsed = marketplaceDataRecord.safeParse(raw);
    if (!parsed.success) {
      rejected.set(index, zodDetails(parsed.error));
      continue;
    }
    const list = byType.get(parsed.data.type) ?? [];
    list.push({ index, record: parsed.data });
    byType.set(parsed.data.type, list);
  }
  return { size: input.length, byType, rejected };
}

/** Validates and applies `input` inside the caller's transaction. */
export async function applyRecords(tx: Db, input: readonly unknown[] | ParsedRecords): Promise<ApplyResult> {
  const parsed = Array.isArray(input) ? parseRecords(input) : (input as ParsedRecords);
  const batch = new Batch(tx, await loadMarketplaces(tx));
  for (const [index, errors] of parsed.rejected) batch.reject(index, errors);
  for (const type of recordTypeOrder) {
    const items = lastPerKey(parsed.byType.get(type) ?? []);
    if (items.length > 0) await appliers[type](batch, items as never);
  }
  const rejected = [...batch.rejected]
    .map(([index, errors]) => ({ index, errors }))
    .sort((a, b) => a.index - b.index);
  return { accepted: parsed.size - rejected.length, ...batch.counts, rejected };
}

export async function loadMarketplaces(db: Db): Promise<Map<string, MarketplaceFacts>> {
  const rows = await sql<MarketplaceFacts>`select id, currency, languages from marketplace`.execute(db);
  return new Map(rows.rows.map((m) => [m.id, m]));
}

// Within one batch the same entity may come twice; the last one wins (a set statement cannot
// touch a row twice). Event records have no key and are all kept.
function lastPerKey<T extends { index: number; record: MarketplaceDataRecord }>(items: T[]): T[] {
  const key = (r: MarketplaceDataRecord) => ('externalId' in r ? r.externalId : 'id' in r ? r.id : null);
  const last = new Map<string, T>();
  const keyless: T[] = [];
  for (const item of items) {
    const k = key(item.record);
    if (k === null) keyless.push(item);
    else last.set(k, item);
  }
  return [...last.values(), ...keyless].sort((a, b) => a.index - b.index);
}

const json = (rows: unknown[]) => JSON.stringify(rows);
const unknownRef = (path: string, what: string, id: string): ErrorDetail => ({
  path,
  code: 'unknown_reference',
  message: `no ${what} with external id ${id}`,
});

async function lookup<Extra extends object = object>(
  tx: Db,
  table: 'seller' | 'buyer' | 'product' | '"order"' | 'shipment' | '"return"',
  externalIds: string[],
  extra = '',
): Promise<Map<string, { id: string } & Extra>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql<{ id: string; external_id: string } & Extra>`
    select id, external_id ${sql.raw(extra ? `, ${extra}` : '')} from ${sql.raw(table)}
    where external_id = any(${[...new Set(externalIds)]}::text[])`.execute(tx);
  return new Map(rows.rows.map((r) => [r.external_id, r]));
}

// Where each identifying field of a stored record is read from, named as the record names it.
const identitySources: {
  [T in IdentityType]: { from: string; fields: Record<(typeof identityFields)[T][number], string> };
} = {
  order: {
    from: '"order" t join seller s on s.id = t.seller_id join buyer b on b.id = t.buyer_id',
    fields: {
      marketplace: 't.marketplace_id',
      sellerExternalId: 's.external_id',
      buyerExternalId: 'b.external_id',
      currency: 't.currency',
    },
  },
  product: {
    from: 'product t join seller s on s.id = t.seller_id',
    fields: { sellerExternalId: 's.external_id' },
  },
  shipment: {
    from: 'shipment t join "order" o on o.id = t.order_id',
    fields: { orderExternalId: 'o.external_id' },
  },
  return: {
    from: '"return" t join "order" o on o.id = t.order_id',
    fields: { orderExternalId: 'o.external_id' },
  },
};

/** What the stored versions of these records belong to, by external id; new records are absent. */
async function storedIdentities(
  tx: Db,
  type: IdentityType,
  items: { record: { externalId: string } }[],
): Promise<Map<string, StoredIdentity>> {
  const { from, fields } = identitySources[type];
  const columns = Object.entries(fields).map(([name, column]) => `${column} as "${name}"`);
  const rows = await sql<{ external_id: string } & StoredIdentity>`
    select t.external_id, ${sql.raw(columns.join(', '))} from ${sql.raw(from)}
    where t.external_id = any(${items.map((i) => i.record.externalId)}::text[])`.execute(tx);
  return new Map(rows.rows.map(({ external_id, ...identity }) => [external_id, identity]));
}

const eventRows = (ownerExternalId: string, events: CarrierEvent[]) =>
  events.map((e) => ({
    owner: ownerExternalId,
    code: e.code,
    occurred_at: e.occurredAt,
    location: e.location,
    detail: e.detail,
  }));

const appliers: { [T in RecordType]: (batch: Batch, items: Item<T>[]) => Promise<void> } = {
  async marketplace(batch, items) {
    const ok = batch.keep(items, (i) => checkMarketplace(i.record));
    if (ok.length === 0) return;
    const rows = ok.map(({ record: r }) => ({
      id: r.id,
      name: r.name,
      country: r.country,
      currency: r.currency,
      languages: r.languages,
      default_language: r.defaultLanguage,
      time_zone: r.timeZone,
      weekend_days: r.weekendDays,
      order_number_pattern: r.orderNumberPattern,
    }));
    const result = await sql<{ inserted: boolean }>`
      insert into marketplace as m (id, name, country, currency, languages, default_language, time_zone, weekend_days, order_number_pattern)
      select * from json_to_recordset(${json(rows)}::json) as r(id text, name text, country text, currency text,
        languages text[], default_language text, time_zone text, weekend_days smallint[], order_number_pattern text)
      on conflict (id) do update set name = excluded.name, country = excluded.country, currency = excluded.currency,
        languages = excluded.languages, default_language = excluded.default_language, time_zone = excluded.time_zone,
        weekend_days = excluded.weekend_days, order_number_pattern = excluded.order_number_pattern, updated_at = now()
      where (m.name, m.country, m.currency, m.languages, m.default_language, m.time_zone, m.weekend_days, m.order_number_pattern)
        is distinct from (excluded.name, excluded.country, excluded.currency, excluded.languages, excluded.default_language,
        excluded.time_zone, excluded.weekend_days, excluded.order_number_pattern)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
    // A record that lists holidays replaces the marketplace's holiday calendar.
    const withHolidays = ok.filter((i) => i.record.holidays !== undefined);
    if (withHolidays.length > 0) {
      const ids = withHolidays.map((i) => i.record.id);
      const holidays = withHolidays.flatMap((i) =>
        i.record.holidays!.map((h) => ({ m: i.record.id, day: h.day, name: h.name })),
      );
      await sql`
        with wanted as (select * from json_to_recordset(${json(holidays)}::json) as r(m text, day date, name text)),
        gone as (delete from public_holiday h where h.marketplace_id = any(${ids}::text[])
          and not exists (select 1 from wanted w where w.m = h.marketplace_id and w.day = h.day))
        insert into public_holiday (marketplace_id, day, name) select m, day, name from wanted
        on conflict (marketplace_id, day) do update set name = excluded.name where public_holiday.name <> excluded.name`.execute(
        batch.tx,
      );
    }
    batch.marketplaces = await loadMarketplaces(batch.tx);
  },

  async seller(batch, items) {
    const rows = items.map(({ record: r }) => ({
      external_id: r.externalId,
      name: r.name,
      home_country: r.homeCountry,
      default_email: r.defaultEmail,
      languages: r.languages,
      standing: r.standing,
      account_type: r.accountType,
    }));
    const result = await sql<{ inserted: boolean }>`
      insert into seller as s (external_id, name, home_country, default_email, languages, standing, account_type)
      select * from json_to_recordset(${json(rows)}::json) as r(external_id text, name text, home_country text,
        default_email text, languages text[], standing text, account_type text)
      on conflict (external_id) do update set name = excluded.name, home_country = excluded.home_country,
        default_email = excluded.default_email, languages = excluded.languages, standing = excluded.standing,
        account_type = excluded.account_type, updated_at = now()
      where (s.name, s.home_country, s.default_email, s.languages, s.standing, s.account_type) is distinct from
        (excluded.name, excluded.home_country, excluded.default_email, excluded.languages, excluded.standing, excluded.account_type)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
  },

  async buyer(batch, items) {
    const rows = items.map(({ record: r }) => ({
      external_id: r.externalId,
      name: r.name,
      email: r.email,
      phone: r.phone,
      language: r.language,
    }));
    const result = await sql<{ inserted: boolean }>`
      insert into buyer as b (external_id, name, email, phone, language)
      select * from json_to_recordset(${json(rows)}::json) as r(external_id text, name text, email text, phone text, language text)
      on conflict (external_id) do update set name = excluded.name, email = excluded.email, phone = excluded.phone,
        language = excluded.language, updated_at = now()
      where (b.name, b.email, b.phone, b.language) is distinct from (excluded.name, excluded.email, excluded.phone, excluded.language)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
  },

  async product(batch, items) {
    const sellers = await lookup(
      batch.tx,
      'seller',
      items.map((i) => i.record.sellerExternalId),
    );
    const stored = await storedIdentities(batch.tx, 'product', items);
    const ok = batch.keep(items, ({ record: r }) => [
      ...(sellers.has(r.sellerExternalId)
        ? []
        : [unknownRef('sellerExternalId', 'seller', r.sellerExternalId)]),
      ...checkProduct(r, batch.marketplaces),
      ...checkIdentity('product', r, stored.get(r.externalId)),
    ]);
    if (ok.length === 0) return;
    const rows = ok.map(({ record: r }) => ({
      external_id: r.externalId,
      seller_id: sellers.get(r.sellerExternalId)!.id,
      sku: r.sku,
      category: r.category,
      returnable: r.returnable,
      customisable: r.customisable,
    }));
    const result = await sql<{ inserted: boolean }>`
      insert into product as p (external_id, seller_id, sku, category, returnable, customisable)
      select * from json_to_recordset(${json(rows)}::json) as r(external_id text, seller_id uuid, sku text, category text,
        returnable boolean, customisable boolean)
      on conflict (external_id) do update set seller_id = excluded.seller_id, sku = excluded.sku, category = excluded.category,
        returnable = excluded.returnable, customisable = excluded.customisable, updated_at = now()
      where (p.seller_id, p.sku, p.category, p.returnable, p.customisable) is distinct from
        (excluded.seller_id, excluded.sku, excluded.category, excluded.returnable, excluded.customisable)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
    // The record describes the product's full set of pages: add, change, and drop the ones no longer sent.
    const pages = ok.flatMap(({ record: r }) =>
      r.pages.map((p) => ({
        product: r.externalId,
        marketplace_id: p.marketplace,
        language: p.language,
        title: p.title,
        bullet_points: p.bulletPoints,
        description: p.description,
        attributes: p.attributes,
      })),
    );
    await sql`
      with wanted as (
        select p.id as product_id, p.seller_id, w.* from json_to_recordset(${json(pages)}::json) as w(product text,
          marketplace_id text, language text, title text, bullet_points text[], description text, attributes jsonb)
        cross join lateral (select id, seller_id from product where external_id = w.product) p),
      gone as (delete from product_page pp using product p where pp.product_id = p.id
        and p.external_id = any(${ok.map((i) => i.record.externalId)}::text[])
        and not exists (select 1 from wanted w where w.product_id = pp.product_id and w.marketplace_id = pp.marketplace_id
          and w.language = pp.language))
      insert into product_page as pp (product_id, marketplace_id, language, seller_id, title, bullet_points, description, attributes)
      select product_id, marketplace_id, language, seller_id, title, bullet_points, description, attributes from wanted
      on conflict (product_id, marketplace_id, language) do update set title = excluded.title,
        bullet_points = excluded.bullet_points, description = excluded.description, attributes = excluded.attributes,
        updated_at = now()
      where (pp.title, pp.bullet_points, pp.description, pp.attributes) is distinct from
        (excluded.title, excluded.bullet_points, excluded.description, excluded.attributes)`.execute(
      batch.tx,
    );
  },

  async order(batch, items) {
    const [sellers, buyers, products, stored] = await Promise.all([
      lookup(
        batch.tx,
        'seller',
        items.map((i) => i.record.sellerExternalId),
      ),
      lookup(
        batch.tx,
        'buyer',
        items.map((i) => i.record.buyerExternalId),
      ),
      lookup<{ seller_id: string }>(
        batch.tx,
        'product',
        items.flatMap((i) => i.record.lines.map((l) => l.productExternalId)),
        'seller_id',
      ),
      storedIdentities(batch.tx, 'order', items),
    ]);
    const ok = batch.keep(items, ({ record: r }) => {
      const seller = sellers.get(r.sellerExternalId);
      const errors = [
        ...checkOrder(r, batch.marketplaces),
        ...checkIdentity('order', r, stored.get(r.externalId)),
      ];
      if (!seller) errors.push(unknownRef('sellerExternalId', 'seller', r.sellerExternalId));
      if (!buyers.has(r.buyerExternalId))
        errors.push(unknownRef('buyerExternalId', 'buyer', r.buyerExternalId));
      r.lines.forEach((l, i) => {
        const product = products.get(l.productExternalId);
        if (!product) errors.push(unknownRef(`lines.${i}.productExternalId`, 'product', l.productExternalId));
        else if (seller && product.seller_id !== seller.id) {
          errors.push({
            path: `lines.${i}.productExternalId`,
            code: 'unknown_reference',
            message: `product ${l.productExternalId} is not sold by seller ${r.sellerExternalId}`,
          });
        }
      });
      return errors;
    });
    if (ok.length === 0) return;
    const orders = ok.map(({ record: r }) => ({
      external_id: r.externalId,
      marketplace_id: r.marketplace,
      seller_id: sellers.get(r.sellerExternalId)!.id,
      buyer_id: buyers.get(r.buyerExternalId)!.id,
      fulfilment_channel: r.fulfilmentChannel,
      currency: r.currency,
      ordered_at: r.orderedAt,
      promised_delivery_date: r.promisedDeliveryDate,
      is_preorder: r.isPreorder,
      items_total: r.itemsTotal,
      shipping_charge: r.shippingCharge,
      order_total: r.orderTotal,
    }));
    const result = await sql<{ inserted: boolean }>`
      insert into "order" as o (external_id, marketplace_id, seller_id, buyer_id, fulfilment_channel, currency, ordered_at,
        promised_delivery_date, is_preorder, items_total, shipping_charge, order_total)
      select * from json_to_recordset(${json(orders)}::json) as r(external_id text, marketplace_id text, seller_id uuid,
        buyer_id uuid, fulfilment_channel text, currency text, ordered_at timestamptz, promised_delivery_date date,
        is_preorder boolean, items_total bigint, shipping_charge bigint, order_total bigint)
      on conflict (external_id) do update set marketplace_id = excluded.marketplace_id, seller_id = excluded.seller_id,
        buyer_id = excluded.buyer_id, fulfilment_channel = excluded.fulfilment_channel, currency = excluded.currency,
        ordered_at = excluded.ordered_at, promised_delivery_date = excluded.promised_delivery_date,
        is_preorder = excluded.is_preorder, items_total = excluded.items_total, shipping_charge = excluded.shipping_charge,
        order_total = excluded.order_total, updated_at = now()
      where (o.marketplace_id, o.seller_id, o.buyer_id, o.fulfilment_channel, o.currency, o.ordered_at,
        o.promised_delivery_date, o.is_preorder, o.items_total, o.shipping_charge, o.order_total) is distinct from
        (excluded.marketplace_id, excluded.seller_id, excluded.buyer_id, excluded.fulfilment_channel, excluded.currency,
        excluded.ordered_at, excluded.promised_delivery_date, excluded.is_preorder, excluded.items_total,
        excluded.shipping_charge, excluded.order_total)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
    const lines = ok.flatMap(({ record: r }) =>
      r.lines.map((l) => ({
        o: r.externalId,
        line_no: l.lineNo,
        product_id: products.get(l.productExternalId)!.id,
        units: l.units,
        unit_price: l.unitPrice,
      })),
    );
    // An order upsert carries all its lines: lines no longer sent are removed.
    await sql`
      with wanted as (
        select o.id as order_id, o.seller_id, w.line_no, w.product_id, w.units, w.unit_price
        from json_to_recordset(${json(lines)}::json) as w(o text, line_no smallint, product_id uuid, units integer, unit_price bigint)
        cross join lateral (select id, seller_id from "order" where external_id = w.o) o),
      gone as (delete from order_line ol using "order" o where ol.order_id = o.id
        and o.external_id = any(${ok.map((i) => i.record.externalId)}::text[])
        and not exists (select 1 from wanted w where w.order_id = ol.order_id and w.line_no = ol.line_no))
      insert into order_line as ol (order_id, line_no, seller_id, product_id, units, unit_price)
      select order_id, line_no, seller_id, product_id, units, unit_price from wanted
      on conflict (order_id, line_no) do update set seller_id = excluded.seller_id, product_id = excluded.product_id,
        units = excluded.units, unit_price = excluded.unit_price
      where (ol.seller_id, ol.product_id, ol.units, ol.unit_price) is distinct from
        (excluded.seller_id, excluded.product_id, excluded.units, excluded.unit_price)`.execute(batch.tx);
  },

  async shipment(batch, items) {
    const orders = await lookup<{ seller_id: string }>(
      batch.tx,
      '"order"',
      items.map((i) => i.record.orderExternalId),
      'seller_id',
    );
    const stored = await storedIdentities(batch.tx, 'shipment', items);
    const ok = batch.keep(items, ({ record: r }) => [
      ...(orders.has(r.orderExternalId) ? [] : [unknownRef('orderExternalId', 'order', r.orderExternalId)]),
      ...checkIdentity('shipment', r, stored.get(r.externalId)),
    ]);
    if (ok.length === 0) return;
    const rows = ok.map(({ record: r }) => {
      const order = orders.get(r.orderExternalId)!;
      return {
        external_id: r.externalId,
        order_id: order.id,
        seller_id: order.seller_id,
        carrier: r.carrier,
        tracking_number: r.trackingNumber,
        shipped_at: r.shippedAt,
      };
    });
    const result = await sql<{ inserted: boolean }>`
      insert into shipment as s (external_id, order_id, seller_id, carrier, tracking_number, shipped_at)
      select * from json_to_recordset(${json(rows)}::json) as r(external_id text, order_id uuid, seller_id uuid,
        carrier text, tracking_number text, shipped_at timestamptz)
      on conflict (external_id) do update set order_id = excluded.order_id, seller_id = excluded.seller_id,
        carrier = excluded.carrier, tracking_number = excluded.tracking_number, shipped_at = excluded.shipped_at,
        updated_at = now()
      where (s.order_id, s.seller_id, s.carrier, s.tracking_number, s.shipped_at) is distinct from
        (excluded.order_id, excluded.seller_id, excluded.carrier, excluded.tracking_number, excluded.shipped_at)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
    await appendEvents(
      batch.tx,
      'shipment',
      ok.flatMap(({ record: r }) => eventRows(r.externalId, r.events)),
    );
  },

  shipment_events: (batch, items) =>
    appendEventRecords(batch, items, 'shipment', (r) => r.shipmentExternalId),

  async return(batch, items) {
    const orderRows = await sql<{
      external_id: string;
      id: string;
      seller_id: string;
      line_no: number;
      units: number;
    }>`
      select o.external_id, o.id, o.seller_id, l.line_no, l.units from "order" o join order_line l on l.order_id = o.id
      where o.external_id = any(${[...new Set(items.map((i) => i.record.orderExternalId))]}::text[])`.execute(
      batch.tx,
    );
    const orders = new Map<string, { id: string; sellerId: string; units: Map<number, number> }>();
    for (const row of orderRows.rows) {
      const o = orders.get(row.external_id) ?? { id: row.id, sellerId: row.seller_id, units: new Map() };
      o.units.set(row.line_no, row.units);
      orders.set(row.external_id, o);
    }
    const stored = await storedIdentities(batch.tx, 'return', items);
    const ok = batch.keep(items, ({ record: r }) => {
      const order = orders.get(r.orderExternalId);
      return [
        ...(order
          ? checkReturn(r, order.units)
          : [unknownRef('orderExternalId', 'order', r.orderExternalId)]),
        ...checkIdentity('return', r, stored.get(r.externalId)),
      ];
    });
    if (ok.length === 0) return;
    const rows = ok.map(({ record: r }) => {
      const order = orders.get(r.orderExternalId)!;
      return {
        external_id: r.externalId,
        order_id: order.id,
        seller_id: order.sellerId,
        reason: r.reason,
        requested_at: r.requestedAt,
        authorisation: r.authorisation,
        authorised_at: r.authorisedAt,
        carrier: r.carrier,
        tracking_number: r.trackingNumber,
        received_at: r.receivedAt,
        refunded_at: r.refundedAt,
      };
    });
    const result = await sql<{ inserted: boolean }>`
      insert into "return" as t (external_id, order_id, seller_id, reason, requested_at, authorisation, authorised_at,
        carrier, tracking_number, received_at, refunded_at)
      select * from json_to_recordset(${json(rows)}::json) as r(external_id text, order_id uuid, seller_id uuid, reason text,
        requested_at timestamptz, authorisation text, authorised_at timestamptz, carrier text, tracking_number text,
        received_at timestamptz, refunded_at timestamptz)
      on conflict (external_id) do update set order_id = excluded.order_id, seller_id = excluded.seller_id,
        reason = excluded.reason, requested_at = excluded.requested_at, authorisation = excluded.authorisation,
        authorised_at = excluded.authorised_at, carrier = excluded.carrier, tracking_number = excluded.tracking_number,
        received_at = excluded.received_at, refunded_at = excluded.refunded_at, updated_at = now()
      where (t.order_id, t.reason, t.requested_at, t.authorisation, t.authorised_at, t.carrier, t.tracking_number,
        t.received_at, t.refunded_at) is distinct from (excluded.order_id, excluded.reason, excluded.requested_at,
        excluded.authorisation, excluded.authorised_at, excluded.carrier, excluded.tracking_number, excluded.received_at,
        excluded.refunded_at)
      returning (xmax = 0) as inserted`.execute(batch.tx);
    batch.count(result.rows);
    const lines = ok.flatMap(({ record: r }) =>
      r.lines.map((l) => ({ t: r.externalId, line_no: l.lineNo, units: l.units })),
    );
    await sql`
      with wanted as (
        select t.id as return_id, t.seller_id, w.line_no, w.units
        from json_to_recordset(${json(lines)}::json) as w(t text, line_no smallint, units integer)
        cross join lateral (select id, seller_id from "return" where external_id = w.t) t),
      gone as (delete from return_line rl using "return" t where rl.return_id = t.id
        and t.external_id = any(${ok.map((i) => i.record.externalId)}::text[])
        and not exists (select 1 from wanted w where w.return_id = rl.return_id and w.line_no = rl.line_no))
      insert into return_line as rl (return_id, line_no, seller_id, units) select return_id, line_no, seller_id, units from wanted
      on conflict (return_id, line_no) do update set units = excluded.units where rl.units <> excluded.units`.execute(
      batch.tx,
    );
    await appendEvents(
      batch.tx,
      'return',
      ok.flatMap(({ record: r }) => eventRows(r.externalId, r.events)),
    );
  },

  return_events: (batch, items) => appendEventRecords(batch, items, 'return', (r) => r.returnExternalId),
};

/** Event records: known owners get their events appended; unknown owners reject the record. */
async function appendEventRecords<R extends { events: CarrierEvent[] }>(
  batch: Batch,
  items: { index: number; record: R }[],
  owner: 'shipment' | 'return',
  ownerRef: (record: R) => string,
): Promise<void> {
  const owners = await lookup(
    batch.tx,
    owner === 'shipment' ? 'shipment' : '"return"',
    items.map((i) => ownerRef(i.record)),
  );
  const field = owner === 'shipment' ? 'shipmentExternalId' : 'returnExternalId';
  const ok = batch.keep(items, ({ record }) =>
    owners.has(ownerRef(record)) ? [] : [unknownRef(field, owner, ownerRef(record))],
  );
  await appendEvents(
    batch.tx,
    owner,
    ok.flatMap(({ record }) => eventRows(ownerRef(record), record.events)),
  );
}

/**
 * Appends carrier events; an event already stored (same owner, code and time) is skipped.
 * Owners are found by a LATERAL index lookup per row: the planner cannot size json_to_recordset
 * and would otherwise hash-join the whole (growing) owner table on every batch.
 */
async function appendEvents(
  tx: Db,
  owner: 'shipment' | 'return',
  rows: ReturnType<typeof eventRows>,
): Promise<void> {
  if (rows.length === 0) return;
  const ownerTable = owner === 'shipment' ? sql.raw('shipment') : sql.raw('"return"');
  const eventTable = sql.raw(`${owner}_event`);
  const ownerColumn = sql.raw(`${owner}_id`);
  await sql`
    insert into ${eventTable} (${ownerColumn}, seller_id, code, occurred_at, location, detail)
    select o.id, o.seller_id, e.code, e.occurred_at, e.location, e.detail
    from json_to_recordset(${json(rows)}::json) as e(owner text, code text, occurred_at timestamptz, location text, detail text)
    cross join lateral (select id, seller_id from ${ownerTable} where external_id = e.owner) o
    on conflict do nothing`.execute(tx);
}
