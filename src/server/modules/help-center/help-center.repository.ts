import { sql } from 'kysely';
import type { Db } from '../../platform/db';

export type HelpMarketplaceRow = {
  id: string;
  name: string;
  currency: string;
  languages: string[];
  default_language: string;
  time_zone: string;
  support_email: string | null;
  support_phone: string | null;
  support_phone_hours: { days: number[]; opens: string; closes: string } | null;
  widget_origins: string[];
};

export async function findHelpMarketplace(db: Db, id: string): Promise<HelpMarketplaceRow | undefined> {
  const r = await sql<HelpMarketplaceRow>`select id, name, currency, languages, default_language, time_zone,
      support_email, support_phone, support_phone_hours, widget_origins
    from marketplace where id = ${id}`.execute(db);
  return r.rows[0];
}

export type BuyerOrderRow = {
  id: string;
  external_id: string;
  ordered_at: Date;
  promised_delivery_date: string | null;
  order_total: string;
  currency: string;
  fulfilment_channel: string;
  item_count: number;
  title: string | null;
  shipped_at: Date | null;
  last_event_code: string | null;
  last_event_at: Date | null;
  return_authorisation: 'pending' | 'authorised' | 'rejected' | null;
  return_received_at: Date | null;
};

/** A buyer's latest orders in one marketplace, with what the state needs, newest first. */
export async function buyerRecentOrders(
  db: Db,
  buyerId: string,
  marketplaceId: string,
  language: string,
  limit: number,
): Promise<BuyerOrderRow[]> {
  const r = await sql<BuyerOrderRow>`
    select o.id, o.external_id, o.ordered_at, o.promised_delivery_date::text as promised_delivery_date,
      o.order_total::text as order_total, o.currency, o.fulfilment_channel,
      (select count(*)::int from order_line l where l.order_id = o.id) as item_count,
      (select coalesce(
          (select p.title from product_page p where p.product_id = l.product_id
             and p.marketplace_id = o.marketplace_id and p.language = ${language}),
          (select p.title from product_page p where p.product_id = l.product_id
             and p.marketplace_id = o.marketplace_id order by p.language limit 1))
        from order_line l where l.order_id = o.id order by l.line_no limit 1) as title,
      s.shipped_at, e.code as last_event_code, e.occurred_at as last_event_at,
      rt.authorisation as return_authorisation, rt.received_at as return_received_at
    from "order" o
    left join lateral (select id, shipped_at from shipment where order_id = o.id
      order by shipped_at desc limit 1) s on true
    left join lateral (select code, occurred_at from shipment_event where shipment_id = s.id
      order by occurred_at desc, id desc limit 1) e on true
    left join lateral (select authorisation, received_at from "return" where order_id = o.id
      order by requested_at desc limit 1) rt on true
    where o.buyer_id = ${buyerId}::uuid and o.marketplace_id = ${marketplaceId}
    order by o.ordered_at desc, o.id
    limit ${limit}`.execute(db);
  return r.rows;
}

export async function updateWidgetOrigins(
  db: Db,
  marketplaceId: string,
  origins: string[],
): Promise<boolean> {
  const r = await sql`update marketplace set widget_origins = ${origins}::text[], updated_at = now()
    where id = ${marketplaceId}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}

export async function updateHelpChannels(
  db: Db,
  marketplaceId: string,
  channels: {
    supportEmail: string | null;
    supportPhone: string | null;
    phoneHours: { days: number[]; opens: string; closes: string } | null;
  },
): Promise<boolean> {
  const r = await sql`update marketplace set support_email = ${channels.supportEmail},
      support_phone = ${channels.supportPhone},
      support_phone_hours = ${channels.phoneHours === null ? null : JSON.stringify(channels.phoneHours)}::jsonb,
      updated_at = now()
    where id = ${marketplaceId}`.execute(db);
  return Number(r.numAffectedRows ?? 0) > 0;
}
