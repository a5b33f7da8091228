import { sql } from 'kysely';
import type { BusinessCalendar, OpeningHours } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import type { Scope } from '../../platform/http/access';

// Reads for staff, sellers and buyers. Every read takes the caller's scope: rows outside it are
// simply not found, so someone else's order answers 404 rather than 403.

const scopeFilter = (scope: Scope, alias = 'o') => {
  if (scope.kind === 'seller') return sql`and ${sql.ref(`${alias}.seller_id`)} = ${scope.sellerId}::uuid`;
  if (scope.kind === 'buyer') return sql`and ${sql.ref(`${alias}.buyer_id`)} = ${scope.buyerId}::uuid`;
  return sql``;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const byIdOrExternal = (alias: string, ref: string) =>
  UUID.test(ref)
    ? sql`${sql.ref(`${alias}.id`)} = ${ref}::uuid`
    : sql`${sql.ref(`${alias}.external_id`)} = ${ref}`;

export type MarketplaceRow = {
  id: string;
  name: string;
  country: string;
  currency: string;
  languages: string[];
  default_language: string;
  time_zone: string;
  weekend_days: number[];
  order_number_pattern: string | null;
};

export async function listMarketplaces(db: Db): Promise<MarketplaceRow[]> {
  const r =
    await sql<MarketplaceRow>`select id, name, country, currency, languages, default_language, time_zone,
    weekend_days, order_number_pattern from marketplace order by id`.execute(db);
  return r.rows;
}

export async function findMarketplace(db: Db, id: string): Promise<MarketplaceRow | undefined> {
  const r =
    await sql<MarketplaceRow>`select id, name, country, currency, languages, default_language, time_zone,
    weekend_days, order_number_pattern from marketplace where id = ${id}`.execute(db);
  return r.rows[0];
}

/** When the marketplace's phone is answered (set on its Contact Us channels); null: not said. */
export async function phoneHoursOf(db: Db, id: string): Promise<OpeningHours | null> {
  const r = await sql<{ hours: OpeningHours | null }>`select support_phone_hours as hours from marketplace
    where id = ${id}`.execute(db);
  return r.rows[0]?.hours ?? null;
}

export async function loadCalendar(db: Db, marketplaceId: string): Promise<BusinessCalendar | undefined> {
  const m = await sql<{ time_zone: string; weekend_days: number[]; holidays: string[] }>`
    select time_zone, weekend_days,
      coalesce((select array_agg(day::text order by day) from public_holiday h where h.marketplace_id = m.id), '{}') as holidays
    from marketplace m where id = ${marketplaceId}`.execute(db);
  const row = m.rows[0];
  return row && { timeZone: row.time_zone, weekendDays: row.weekend_days, holidays: new Set(row.holidays) };
}

export async function listHolidays(db: Db, marketplaceId: string, year: number) {
  const r = await sql<{ day: string; name: string }>`
    select day, name from public_holiday where marketplace_id = ${marketplaceId}
      and day >= make_date(${year}, 1, 1) and day < make_date(${year + 1}, 1, 1) order by day`.execute(db);
  return r.rows;
}

export type SellerRow = {
  id: string;
  external_id: string;
  name: string;
  home_country: string;
  default_email: string;
  languages: string[];
  standing: string;
  account_type: string;
};

export async function findSeller(db: Db, ref: string, scope: Scope): Promise<SellerRow | undefined> {
  if (scope.kind === 'buyer') return undefined;
  const r =
    await sql<SellerRow>`select id, external_id, name, home_country, default_email, languages, standing, account_type from seller s
     where ${byIdOrExternal('s', ref)} ${scope.kind === 'seller' ? sql`and s.id = ${scope.sellerId}::uuid` : sql``}`.execute(
      db,
    );
  return r.rows[0];
}

/** Sellers' references and names by id, for staff lists that name many sellers at once. */
export async function sellerNames(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return new Map<string, { externalId: string; name: string }>();
  const r = await sql<{ id: string; external_id: string; name: string }>`
    select id, external_id, name from seller where id = any(${ids}::uuid[])`.execute(db);
  return new Map(r.rows.map((x) => [x.id, { externalId: x.external_id, name: x.name }]));
}

/** The id of the seller `ref` within the caller's scope; out of scope, or unknown, it is not found. */
export async function sellerIdInScope(db: Db, ref: string, scope: Scope): Promise<string> {
  const seller = await findSeller(db, ref, scope);
  if (!seller) throw notFound('Seller');
  return seller.id;
}

export type OrderSummaryRow = {
  id: string;
  external_id: string;
  marketplace_id: string;
  seller_id: string;
  buyer_id: string;
  fulfilment_channel: string;
  currency: string;
  ordered_at: Date;
  promised_delivery_date: string | null;
  is_preorder: boolean;
  items_total: bigint;
  shipping_charge: bigint;
  order_total: bigint;
};

const orderColumns = sql`o.id, o.external_id, o.marketplace_id, o.seller_id, o.buyer_id, o.fulfilment_channel, o.currency,
  o.ordered_at, o.promised_delivery_date, o.is_preorder, o.items_total, o.shipping_charge, o.order_total`;

export async function listOrders(
  db: Db,
  scope: Scope,
  filter: { marketplaceId?: string; sellerId?: string; before?: Date; limit: number },
): Promise<OrderSummaryRow[]> {
  const r = await sql<OrderSummaryRow>`select ${orderColumns} from "order" o where true ${scopeFilter(scope)}
    ${filter.marketplaceId ? sql`and o.marketplace_id = ${filter.marketplaceId}` : sql``}
    ${filter.sellerId ? sql`and o.seller_id = ${filter.sellerId}::uuid` : sql``}
    ${filter.before ? sql`and o.ordered_at < ${filter.before}` : sql``}
    order by o.ordered_at desc, o.id limit ${filter.limit}`.execute(db);
  return r.rows;
}

/**
 * The title of each order's first line (in the buyer's language where the page has it), for orders
 * listed as choices: one statement for them all rather than the whole order each.
 */
export async function firstLineTitles(db: Db, orderIds: string[]): Promise<Map<string, string | null>> {
  if (orderIds.length === 0) return new Map();
  const r = await sql<{ id: string; title: string | null }>`
    select o.id, (select (select title from product_page pp where pp.product_id = l.product_id
          and pp.marketplace_id = o.marketplace_id order by (pp.language = b.language) desc, pp.language limit 1)
        from order_line l where l.order_id = o.id and l.seller_id = o.seller_id order by l.line_no limit 1) as title
    from "order" o join buyer b on b.id = o.buyer_id where o.id = any(${orderIds}::uuid[])`.execute(db);
  return new Map(r.rows.map((row) => [row.id, row.title]));
}

export type CarrierEventRow = {
  code: string;
  occurred_at: Date;
  location: string | null;
  detail: string | null;
};

export type OrderDetail = OrderSummaryRow & {
  locale: string;
  seller_external_id: string;
  buyer_external_id: string;
  lines: {
    line_no: number;
    product_id: string;
    product_external_id: string;
    sku: string;
    title: string | null;
    units: number;
    unit_price: bigint;
  }[];
  shipments: {
    id: string;
    external_id: string;
    carrier: string;
    tracking_number: string | null;
    shipped_at: Date;
    events: CarrierEventRow[];
  }[];
  returns: {
    id: string;
    external_id: string;
    reason: string;
    requested_at: Date;
    authorisation: string;
    authorised_at: Date | null;
    carrier: string | null;
    tracking_number: string | null;
    received_at: Date | null;
    refunded_at: Date | null;
    lines: { line_no: number; units: number }[];
    events: CarrierEventRow[];
  }[];
};

/** An order with its lines, shipments and returns, if the scope may see it. */
export async function findOrder(db: Db, ref: string, scope: Scope): Promise<OrderDetail | undefined> {
  const head = await sql<
    OrderSummaryRow & {
      seller_external_id: string;
      buyer_external_id: string;
      language: string;
      locale: string;
    }
  >`
    select ${orderColumns}, s.external_id as seller_external_id, b.external_id as buyer_external_id, b.language,
      m.default_language || '-' || m.country as locale
    from "order" o join seller s on s.id = o.seller_id join buyer b on b.id = o.buyer_id join marketplace m on m.id = o.marketplace_id
    where ${byIdOrExternal('o', ref)} ${scopeFilter(scope)}`.execute(db);
  const order = head.rows[0];
  if (!order) return undefined;
  // Each part filters on seller_id too: on a sharded cluster every query stays on the seller's shard.
  const [lines, shipments, returns] = await Promise.all([
    sql<OrderDetail['lines'][number]>`
      select l.line_no, l.product_id, p.external_id as product_external_id, p.sku,
        (select title from product_page pp where pp.product_id = p.id and pp.marketplace_id = ${order.marketplace_id}
          order by (pp.language = ${order.language}) desc, pp.language limit 1) as title,
        l.units, l.unit_price
      from order_line l join product p on p.id = l.product_id
      where l.order_id = ${order.id} and l.seller_id = ${order.seller_id} order by l.line_no`.execute(db),
    sql<OrderDetail['shipments'][number]>`
      select s.id, s.external_id, s.carrier, s.tracking_number, s.shipped_at,
        coalesce((select json_agg(json_build_object('code', e.code, 'occurred_at', e.occurred_at, 'location', e.location,
          'detail', e.detail) order by e.occurred_at) from shipment_event e where e.shipment_id = s.id), '[]') as events
      from shipment s where s.order_id = ${order.id} and s.seller_id = ${order.seller_id} order by s.shipped_at`.execute(
      db,
    ),
    sql<OrderDetail['returns'][number]>`
      select t.id, t.external_id, t.reason, t.requested_at, t.authorisation, t.authorised_at, t.carrier, t.tracking_number,
        t.received_at, t.refunded_at,
        coalesce((select json_agg(json_build_object('line_no', rl.line_no, 'units', rl.units) order by rl.line_no)
          from return_line rl where rl.return_id = t.id), '[]') as lines,
        coalesce((select json_agg(json_build_object('code', e.code, 'occurred_at', e.occurred_at, 'location', e.location,
          'detail', e.detail) order by e.occurred_at) from return_event e where e.return_id = t.id), '[]') as events
      from "return" t where t.order_id = ${order.id} and t.seller_id = ${order.seller_id} order by t.requested_at`.execute(
      db,
    ),
  ]);
  const { language: _language, ...rest } = order;
  return { ...rest, lines: lines.rows, shipments: shipments.rows, returns: returns.rows };
}

export type ProductPageRow = {
  product_id: string;
  external_id: string;
  seller_id: string;
  sku: string;
  category: string;
  returnable: boolean;
  customisable: boolean;
  marketplace_id: string;
  language: string;
  title: string;
  bullet_points: string[];
  description: string;
  attributes: Record<string, string>;
  languages_available: string[];
};

/**
 * A product's detail page in a marketplace, in the asked language or else the marketplace's default.
 * Buyers may read any page (it is public on the marketplace); sellers only their own products'.
 */
export async function findProductPage(
  db: Db,
  ref: string,
  marketplaceId: string,
  language: string | undefined,
  scope: Scope,
): Promise<ProductPageRow | undefined> {
  const r = await sql<ProductPageRow>`
    select p.id as product_id, p.external_id, p.seller_id, p.sku, p.category, p.returnable, p.customisable,
      pp.marketplace_id, pp.language, pp.title, pp.bullet_points, pp.description, pp.attributes,
      (select array_agg(language order by language) from product_page x where x.product_id = p.id
        and x.marketplace_id = ${marketplaceId}) as languages_available
    from product p join product_page pp on pp.product_id = p.id and pp.marketplace_id = ${marketplaceId}
    join marketplace m on m.id = pp.marketplace_id
    where ${byIdOrExternal('p', ref)} ${scope.kind === 'seller' ? sql`and p.seller_id = ${scope.sellerId}::uuid` : sql``}
    order by (pp.language = ${language ?? ''}) desc, (pp.language = m.default_language) desc, pp.language
    limit 1`.execute(db);
  return r.rows[0];
}

export type OrderFacts = {
  id: string;
  external_id: string;
  marketplace_id: string;
  seller_id: string;
  buyer_id: string;
  fulfilment_channel: 'seller' | 'marketplace' | 'premium_seller';
};

/** The few facts about an order that routing and case work need. */
export async function findOrderFacts(db: Db, ref: string): Promise<OrderFacts | undefined> {
  const r =
    await sql<OrderFacts>`select o.id, o.external_id, o.marketplace_id, o.seller_id, o.buyer_id, o.fulfilment_channel
    from "order" o where ${byIdOrExternal('o', ref)}`.execute(db);
  return r.rows[0];
}

export async function findBuyerByEmail(db: Db, email: string) {
  const r = await sql<{ id: string; external_id: string; email: string; language: string }>`
    select id, external_id, email, language from buyer where lower(email) = lower(${email}) order by created_at limit 1`.execute(
    db,
  );
  return r.rows[0];
}

export async function findSellerByEmail(db: Db, email: string) {
  const r = await sql<{ id: string; home_country: string; default_email: string }>`
    select id, home_country, default_email from seller where lower(default_email) = lower(${email}) order by created_at limit 1`.execute(
    db,
  );
  return r.rows[0];
}

export type ContactFacts = {
  marketplace_exists: boolean;
  default_language: string | null;
  languages: string[] | null;
  buyer_language: string | null;
  order: OrderFacts | null;
};

/**
 * Everything intake needs from marketplace data, as one query (one row of `ContactFacts`): the order
 * (if named), the language of the buyer who writes (or of the order's buyer) and the marketplace's
 * default language. A query text rather than a call, so that intake can send it in one statement with
 * the reads other modules own.
 */
export function contactFactsQuery(marketplaceId: string, orderRef: string | null, buyerId: string | null) {
  return sql`
    select exists (select 1 from marketplace where id = ${marketplaceId}) as marketplace_exists,
      (select default_language from marketplace where id = ${marketplaceId}) as default_language,
      (select languages from marketplace where id = ${marketplaceId}) as languages,
      (select b.language from buyer b where b.id = coalesce(${buyerId}::uuid, o.buyer_id)) as buyer_language,
      case when o.id is null then null else json_build_object('id', o.id, 'external_id', o.external_id, 'marketplace_id', o.marketplace_id,
        'seller_id', o.seller_id, 'buyer_id', o.buyer_id, 'fulfilment_channel', o.fulfilment_channel) end as "order"
    from (select 1) one left join "order" o on ${orderRef === null ? sql`false` : byIdOrExternal('o', orderRef)}`;
}

export async function contactFacts(
  db: Db,
  marketplaceId: string,
  orderRef: string | null,
  buyerId: string | null,
): Promise<ContactFacts> {
  const r = await sql<ContactFacts>`${contactFactsQuery(marketplaceId, orderRef, buyerId)}`.execute(db);
  return r.rows[0]!;
}
