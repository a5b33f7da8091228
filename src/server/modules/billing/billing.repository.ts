// SQL of the billing module. It owns the fee tables; the figures are set-based reads of the marketplace
// data (orders, shipments, carrier events), the programme's enrolment periods and the contacts cases
// recorded — one statement for every seller of a marketplace-month, so the monthly run reads each row once.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import {
  addMonths,
  BUILTIN_DISCOUNTS,
  builtinSchedule,
  COUNTED_ROUTING_REASONS,
  type FeeDecision,
  type FeeSchedule,
  inForceAt,
  MARKETPLACE_CAUSED_TOPICS,
  type Month,
  type MonthFigures,
  monthStart,
  type TrackingDiscountPolicy,
  type WindowFigures,
} from './fee-rules';

export type MarketplaceFacts = { id: string; currency: string; timeZone: string };

export async function marketplaceFacts(db: Db, id: string): Promise<MarketplaceFacts | undefined> {
  const r = await sql<{ id: string; currency: string; time_zone: string }>`
    select id, currency, time_zone from marketplace where id = ${id}`.execute(db);
  const m = r.rows[0];
  return m && { id: m.id, currency: m.currency.trim(), timeZone: m.time_zone };
}

export async function allMarketplaces(db: Db): Promise<MarketplaceFacts[]> {
  const r = await sql<{ id: string; currency: string; time_zone: string }>`
    select id, currency, time_zone from marketplace order by id`.execute(db);
  return r.rows.map((m) => ({ id: m.id, currency: m.currency.trim(), timeZone: m.time_zone }));
}

// ---------------------------------------------------------------- schedules and discount policies

type ScheduleRow = {
  id: string;
  effective_from: Date;
  currency: string;
  bands: { upToBp: number; rate: number }[];
  above_rate: bigint;
  default_rate: bigint;
  default_up_to_units: number;
  note: string;
  created_by: string;
  created_by_email: string | null;
  created_at: Date;
};

export type StoredVersion<T> = T & {
  note: string;
  createdBy: string | null;
  createdByEmail: string | null;
  createdAt: Date | null;
};

/** Every version of a marketplace's schedule, oldest first: the default in code, then the stored ones. */
export async function scheduleVersions(db: Db, m: MarketplaceFacts): Promise<StoredVersion<FeeSchedule>[]> {
  const r = await sql<ScheduleRow>`
    select s.id::text, s.effective_from, s.currency, s.bands, s.above_rate, s.default_rate, s.default_up_to_units,
      s.note, s.created_by, u.email as created_by_email, s.created_at
    from fee_schedule s left join app_user u on u.id = s.created_by
    where s.marketplace_id = ${m.id} order by s.effective_from, s.id`.execute(db);
  const builtin = builtinSchedule(m.currency);
  return [
    ...(builtin
      ? [{ ...builtin, note: 'default in code', createdBy: null, createdByEmail: null, createdAt: null }]
      : []),
    ...r.rows.map((s) => ({
      version: `schedule:${s.id}`,
      effectiveFrom: s.effective_from,
      currency: s.currency.trim(),
      bands: s.bands.map((b) => ({ upToBp: b.upToBp, rate: BigInt(b.rate) })),
      aboveRate: BigInt(s.above_rate),
      defaultRate: BigInt(s.default_rate),
      defaultUpToUnits: s.default_up_to_units,
      note: s.note,
      createdBy: s.created_by,
      createdByEmail: s.created_by_email,
      createdAt: s.created_at,
    })),
  ];
}

export async function discountVersions(
  db: Db,
  marketplaceId: string,
): Promise<StoredVersion<TrackingDiscountPolicy>[]> {
  const r = await sql<{
    id: string;
    effective_from: Date;
    settings: Omit<TrackingDiscountPolicy, 'version' | 'effectiveFrom'>;
    note: string;
    created_by: string;
    created_by_email: string | null;
    created_at: Date;
  }>`
    select d.id::text, d.effective_from, d.settings, d.note, d.created_by, u.email as created_by_email, d.created_at
    from tracking_discount_policy d left join app_user u on u.id = d.created_by
    where d.marketplace_id = ${marketplaceId} order by d.effective_from, d.id`.execute(db);
  return [
    ...BUILTIN_DISCOUNTS.map((d) => ({
      ...d,
      note: 'default in code',
      createdBy: null,
      createdByEmail: null,
      createdAt: null,
    })),
    ...r.rows.map((d) => ({
      ...d.settings,
      version: `discount:${d.id}`,
      effectiveFrom: d.effective_from,
      note: d.note,
      createdBy: d.created_by,
      createdByEmail: d.created_by_email,
      createdAt: d.created_at,
    })),
  ].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
}

/** The schedule and discount policy of a month: those in force when it starts. */
export async function policiesOfMonth(db: Db, m: MarketplaceFacts, month: Month) {
  const at = monthStart(month, m.timeZone);
  return {
    schedule: inForceAt(await scheduleVersions(db, m), at),
    discount: inForceAt(await discountVersions(db, m.id), at)!,
  };
}

export async function insertSchedule(
  db: Db,
  m: MarketplaceFacts,
  s: Omit<FeeSchedule, 'version'>,
  note: string,
  by: string,
  at: Date,
): Promise<string> {
  const bands = JSON.stringify(s.bands.map((b) => ({ upToBp: b.upToBp, rate: Number(b.rate) })));
  const r = await sql<{ id: string }>`
    insert into fee_schedule (marketplace_id, effective_from, currency, bands, above_rate, default_rate, default_up_to_units, note, created_by, created_at)
    values (${m.id}, ${s.effectiveFrom}, ${s.currency}, ${bands}::jsonb, ${s.aboveRate}, ${s.defaultRate}, ${s.defaultUpToUnits}, ${note}, ${by}::uuid, ${at})
    returning id::text`.execute(db);
  return `schedule:${r.rows[0]!.id}`;
}

export async function insertDiscount(
  db: Db,
  marketplaceId: string,
  p: Omit<TrackingDiscountPolicy, 'version'>,
  note: string,
  by: string,
  at: Date,
): Promise<string> {
  const { effectiveFrom, ...settings } = p;
  const r = await sql<{ id: string }>`
    insert into tracking_discount_policy (marketplace_id, effective_from, settings, note, created_by, created_at)
    values (${marketplaceId}, ${effectiveFrom}, ${JSON.stringify(settings)}::jsonb, ${note}, ${by}::uuid, ${at})
    returning id::text`.execute(db);
  return `discount:${r.rows[0]!.id}`;
}

// ---------------------------------------------------------------- the figures

export type SellerFigures = { sellerId: string; window: WindowFigures; month: MonthFigures };

const counted = sql.join(COUNTED_ROUTING_REASONS.map((r) => sql`${r}`));
const marketplaceCaused = sql.join(MARKETPLACE_CAUSED_TOPICS.map((r) => sql`${r}`));

/**
 * For every seller enrolled at some time in `month` or its band window (or only `sellerId`): the window's
 * contacts counted, units, orders, shipments and scanned shipments, and the month's units charged, in
 * trial and not enrolled. An order's units count once, when its first shipment ships; premium and
 * marketplace-fulfilled orders are not the managed service's. `until` cuts the month short (the fee so far).
 *
 * A whole marketplace's figures are read from the tallies (`fee_tally`, kept by migration 0070's triggers
 * as the facts are written): one row per seller and month. One seller's, or a month cut short in its
 * middle, are counted from the facts (`figuresFromFacts`, indexed by seller).
 */
export async function figuresOf(
  db: Db,
  m: MarketplaceFacts,
  month: Month,
  options: { sellerId?: string; until?: Date } = {},
): Promise<SellerFigures[]> {
  const ms = monthStart(month, m.timeZone);
  if (!options.sellerId && (!options.until || options.until <= ms))
    return figuresFromTallies(db, m, month, options.until);
  return figuresFromFacts(db, m, month, options);
}

/** The tallied figures of every seller of a marketplace-month (`until` at or before its start: the window only). */
async function figuresFromTallies(
  db: Db,
  m: MarketplaceFacts,
  month: Month,
  until?: Date,
): Promise<SellerFigures[]> {
  const ws = monthStart(addMonths(month, -3), m.timeZone);
  const me = until ?? monthStart(addMonths(month, 1), m.timeZone);
  const window = [-3, -2, -1].map((k) => addMonths(month, k));
  const monthPart = until ? sql`false` : sql`t.month = ${month}`;
  // Facts written earlier in the caller's transaction are tallied at its commit: tally them now.
  if (db.isTransaction) await sql`select fee_tally_flush()`.execute(db);
  const r = await sql<FigureRow>`
    with sellers as (
      select distinct seller_id from service_enrolment
      where marketplace_id = ${m.id} and enrolled_at < ${me} and (withdrawn_at is null or withdrawn_at > ${ws})),
    sums as (
      select t.seller_id,
        sum(t.contacts) filter (where t.month <> ${month})::int as contacts,
        sum(t.units) filter (where t.month <> ${month})::int as units,
        sum(t.orders) filter (where t.month <> ${month})::int as orders,
        sum(t.shipments) filter (where t.month <> ${month})::int as shipments,
        sum(t.scanned) filter (where t.month <> ${month})::int as scanned,
        sum(t.charged_units) filter (where ${monthPart})::int as charged_units,
        sum(t.trial_units) filter (where ${monthPart})::int as trial_units,
        sum(t.not_enrolled_units) filter (where ${monthPart})::int as not_enrolled_units
      from fee_tally t
      where t.marketplace_id = ${m.id} and t.month in (${sql.join([...window, month])})
      group by t.seller_id)
    select s.seller_id, coalesce(u.contacts, 0) as contacts, coalesce(u.units, 0) as units, coalesce(u.orders, 0) as orders,
      coalesce(u.shipments, 0) as shipments, coalesce(u.scanned, 0) as scanned, coalesce(u.charged_units, 0) as charged_units,
      coalesce(u.trial_units, 0) as trial_units, coalesce(u.not_enrolled_units, 0) as not_enrolled_units
    from sellers s left join sums u on u.seller_id = s.seller_id
    order by s.seller_id`.execute(db);
  return r.rows.map(figuresFromRow);
}

type FigureRow = {
  seller_id: string;
  contacts: number;
  units: number;
  orders: number;
  shipments: number;
  scanned: number;
  charged_units: number;
  trial_units: number;
  not_enrolled_units: number;
};

const figuresFromRow = (x: FigureRow): SellerFigures => ({
  sellerId: x.seller_id,
  window: {
    contacts: x.contacts,
    units: x.units,
    orders: x.orders,
    shipments: x.shipments,
    scanned: x.scanned,
  },
  month: {
    chargedUnits: x.charged_units,
    trialUnits: x.trial_units,
    notEnrolledUnits: x.not_enrolled_units,
  },
});

/**
 * The same figures counted from the facts themselves: for one seller (the indexes serve it), a month
 * cut short, and the tests that check the tallies against a recount.
 */
export async function figuresFromFacts(
  db: Db,
  m: MarketplaceFacts,
  month: Month,
  options: { sellerId?: string; until?: Date } = {},
): Promise<SellerFigures[]> {
  // For a whole marketplace the statement hashes a month's shipments: room for that, no JIT (compiling
  // the plan took longer, ≈ 0.5 s, than it saved) and no nested loops — its row estimates through the
  // sellers' set are far too low. For one seller the indexes are right. Reset after, as the caller's
  // transaction goes on with lookups that need nested loops.
  const whole = !options.sellerId;
  const run = async (tx: Db) => {
    if (whole) await sql`set local work_mem = '64MB'`.execute(tx);
    if (whole) await sql`set local enable_nestloop = off`.execute(tx);
    await sql`set local jit = off`.execute(tx);
    // (A failed statement aborts the transaction anyway: nothing to reset then.)
    const figures = await figuresStatement(tx, m, month, options);
    await sql`set local work_mem = default`.execute(tx);
    await sql`set local enable_nestloop = default`.execute(tx);
    await sql`set local jit = default`.execute(tx);
    return figures;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function figuresStatement(
  db: Db,
  m: MarketplaceFacts,
  month: Month,
  options: { sellerId?: string; until?: Date } = {},
): Promise<SellerFigures[]> {
  const ws = monthStart(addMonths(month, -3), m.timeZone);
  const ms = monthStart(month, m.timeZone);
  let me = monthStart(addMonths(month, 1), m.timeZone);
  if (options.until && options.until < me) me = new Date(Math.max(options.until.getTime(), ms.getTime()));
  const one = options.sellerId ? sql`and seller_id = ${options.sellerId}::uuid` : sql``;
  const oneShipment = options.sellerId ? sql`and s.seller_id = ${options.sellerId}::uuid` : sql``;
  const oneContact = options.sellerId ? sql`and c.seller_id = ${options.sellerId}::uuid` : sql``;
  const r = await sql<FigureRow>`
    with periods as materialized (
      select seller_id, enrolled_at, coalesce(withdrawn_at, 'infinity') as withdrawn_at,
        coalesce(trial_ends_at, enrolled_at) as charged_from
      from service_enrolment
      where marketplace_id = ${m.id} and enrolled_at < ${me} and (withdrawn_at is null or withdrawn_at > ${ws}) ${one}),
    sellers as materialized (select distinct seller_id from periods),
    -- Seller-fulfilled shipments of the window and the month.
    ship as materialized (
      select s.id, s.order_id, s.seller_id, s.shipped_at, o.ordered_at
      from shipment s join "order" o on o.id = s.order_id and o.marketplace_id = ${m.id} and o.fulfilment_channel = 'seller'
      where s.shipped_at >= ${ws} and s.shipped_at < ${me} and s.seller_id in (select seller_id from sellers) ${oneShipment}),
    track as (
      select seller_id, count(*)::int as shipments from ship where shipped_at < ${ms} group by seller_id),
    -- A semi-join the planner can hash (and spill), not a lookup per shipment.
    scans as (
      select seller_id, count(*)::int as scanned from ship
      where shipped_at < ${ms}
        and exists (select 1 from shipment_event e where e.shipment_id = ship.id and e.code <> 'label_created')
      group by seller_id),
    -- Each order once, at its first shipment: none earlier in the range, nor before it (only an order
    -- placed before the window can have one); with the enrolment period covering that instant.
    firsts as materialized (
      select f.order_id, f.seller_id, f.shipped_at, p.seller_id is not null as covered,
        coalesce(f.shipped_at >= p.charged_from, false) as charged
      from ship f left join periods p on p.seller_id = f.seller_id and f.shipped_at >= p.enrolled_at and f.shipped_at < p.withdrawn_at
      where not exists (select 1 from ship g where g.order_id = f.order_id and (g.shipped_at, g.id) < (f.shipped_at, f.id))
        and (f.ordered_at >= ${ws} or not exists (select 1 from shipment s2 where s2.order_id = f.order_id and s2.shipped_at < ${ws}))),
    orders as (
      select seller_id, (count(*) filter (where covered and shipped_at < ${ms}))::int as orders from firsts group by seller_id),
    units as (
      select f.seller_id,
        coalesce(sum(l.units) filter (where f.covered and f.shipped_at < ${ms}), 0)::int as units,
        coalesce(sum(l.units) filter (where f.charged and f.shipped_at >= ${ms}), 0)::int as charged_units,
        coalesce(sum(l.units) filter (where f.covered and not f.charged and f.shipped_at >= ${ms}), 0)::int as trial_units,
        coalesce(sum(l.units) filter (where not f.covered and f.shipped_at >= ${ms}), 0)::int as not_enrolled_units
      from firsts f join order_line l on l.order_id = f.order_id group by f.seller_id),
    contacts as (
      select c.seller_id, count(*)::int as contacts
      from contact c
        join "order" o on o.id = c.order_id and o.fulfilment_channel = 'seller' and o.seller_id = c.seller_id
          and o.marketplace_id = c.marketplace_id
        join periods p on p.seller_id = c.seller_id and c.received_at >= p.enrolled_at and c.received_at < p.withdrawn_at
      where c.marketplace_id = ${m.id} and c.handler = 'marketplace_cs' and c.received_at >= ${ws} and c.received_at < ${ms}
        and c.routing_reason in (${counted}) and c.topic not in (${marketplaceCaused}) ${oneContact}
        and not exists (select 1 from fee_contest fc where fc.contact_id = c.id and fc.status = 'accepted')
      group by c.seller_id)
    select s.seller_id, coalesce(c.contacts, 0) as contacts, coalesce(u.units, 0) as units, coalesce(o.orders, 0) as orders,
      coalesce(t.shipments, 0) as shipments, coalesce(sc.scanned, 0) as scanned, coalesce(u.charged_units, 0) as charged_units,
      coalesce(u.trial_units, 0) as trial_units, coalesce(u.not_enrolled_units, 0) as not_enrolled_units
    from sellers s left join units u on u.seller_id = s.seller_id left join orders o on o.seller_id = s.seller_id
      left join track t on t.seller_id = s.seller_id left join scans sc on sc.seller_id = s.seller_id left join contacts c on c.seller_id = s.seller_id
    order by s.seller_id`.execute(db);
  return r.rows.map(figuresFromRow);
}

// ---------------------------------------------------------------- bands and charges

/** A decision as stored (JSON): amounts as integers, instants as ISO text. */
export const decisionJson = (d: FeeDecision) =>
  JSON.parse(JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));

export function decisionFromJson(j: Record<string, unknown>): FeeDecision {
  const d = j as unknown as FeeDecision & { band: { rate: number } };
  return {
    ...d,
    band: { ...d.band, rate: BigInt(d.band.rate) },
    schedule: { ...d.schedule, effectiveFrom: new Date(d.schedule.effectiveFrom) },
    discountPolicy: { ...d.discountPolicy, effectiveFrom: new Date(d.discountPolicy.effectiveFrom) },
  };
}

/** Fixes the bands not fixed yet and returns every seller's band of the month (the first one fixed wins). */
export async function fixBands(
  db: Db,
  marketplaceId: string,
  month: Month,
  decisions: { sellerId: string; decision: FeeDecision }[],
  at: Date,
): Promise<Map<string, FeeDecision>> {
  if (decisions.length === 0) return new Map();
  const rows = decisions.map((d) => ({ seller_id: d.sellerId, decision: decisionJson(d.decision) }));
  const json = JSON.stringify(rows);
  // One statement: the bands inserted now are the decisions given; only those fixed before (the
  // statement's snapshot still shows them, not the new ones) are read back.
  const r = await sql<{ seller_id: string; decision: Record<string, unknown> | null }>`
    with r as (select * from json_to_recordset(${json}::json) as r(seller_id uuid, decision jsonb)),
    added as (
      insert into fee_band (seller_id, marketplace_id, month, decision, fixed_at)
      select seller_id, ${marketplaceId}, ${month}, decision, ${at} from r
      on conflict do nothing returning seller_id)
    select a.seller_id, null as decision from added a
    union all
    select b.seller_id, b.decision from fee_band b
    where b.marketplace_id = ${marketplaceId} and b.month = ${month} and b.seller_id in (select seller_id from r)`.execute(
    db,
  );
  const given = new Map(decisions.map((d) => [d.sellerId, d.decision]));
  const bands = new Map<string, FeeDecision>();
  for (const b of r.rows)
    bands.set(b.seller_id, b.decision ? decisionFromJson(b.decision) : given.get(b.seller_id)!);
  // A band another run fixed while this one waited on it: neither inserted here nor seen before.
  const missing = decisions.filter((d) => !bands.has(d.sellerId)).map((d) => d.sellerId);
  if (missing.length > 0) {
    const late = await sql<{ seller_id: string; decision: Record<string, unknown> }>`
      select seller_id, decision from fee_band
      where marketplace_id = ${marketplaceId} and month = ${month} and seller_id = any(${missing}::uuid[])`.execute(
      db,
    );
    for (const b of late.rows) bands.set(b.seller_id, decisionFromJson(b.decision));
  }
  return bands;
}

export async function bandsOf(db: Db, marketplaceId: string, month: Month, sellerId?: string) {
  const r = await sql<{
    seller_id: string;
    decision: Record<string, unknown>;
    first_decision: Record<string, unknown> | null;
    fixed_at: Date;
    revised_at: Date | null;
  }>`
    select seller_id, decision, first_decision, fixed_at, revised_at from fee_band
    where marketplace_id = ${marketplaceId} and month = ${month} ${sellerId ? sql`and seller_id = ${sellerId}::uuid` : sql``}`.execute(
    db,
  );
  return new Map(r.rows.map((b) => [b.seller_id, { ...b, decision: decisionFromJson(b.decision) }]));
}

export async function reviseBand(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  month: Month,
  d: FeeDecision,
  at: Date,
) {
  await sql`update fee_band set first_decision = coalesce(first_decision, decision), decision = ${JSON.stringify(decisionJson(d))}::jsonb,
      revised_at = ${at}
    where seller_id = ${sellerId}::uuid and marketplace_id = ${marketplaceId} and month = ${month}`.execute(
    db,
  );
}

export type ChargeRow = {
  id: string;
  sellerId: string;
  currency: string;
  chargedUnits: number;
  rate: bigint;
  percentOff: number;
  amount: bigint;
  explanation: object;
};

/** Inserts the charges not made yet; returns the ids of those inserted now. */
export async function insertCharges(
  db: Db,
  marketplaceId: string,
  month: Month,
  rows: ChargeRow[],
  at: Date,
) {
  if (rows.length === 0) return new Set<string>();
  const json = JSON.stringify(
    rows.map((c) => ({
      id: c.id,
      seller_id: c.sellerId,
      currency: c.currency,
      charged_units: c.chargedUnits,
      rate: Number(c.rate),
      percent_off: c.percentOff,
      amount: Number(c.amount),
      explanation: c.explanation,
    })),
  );
  const r = await sql<{ id: string }>`
    insert into fee_charge (id, seller_id, marketplace_id, month, currency, charged_units, rate, percent_off, amount, explanation, charged_at)
    select id, seller_id, ${marketplaceId}, ${month}, currency, charged_units, rate, percent_off, amount, explanation, ${at}
    from json_to_recordset(${json}::json) as r(id uuid, seller_id uuid, currency char(3), charged_units int, rate bigint,
      percent_off int, amount bigint, explanation jsonb)
    on conflict (seller_id, marketplace_id, month) do nothing returning id`.execute(db);
  return new Set(r.rows.map((x) => x.id));
}

export async function chargedSellers(db: Db, marketplaceId: string, month: Month): Promise<Set<string>> {
  const r = await sql<{
    seller_id: string;
  }>`select seller_id from fee_charge where marketplace_id = ${marketplaceId} and month = ${month}`.execute(
    db,
  );
  return new Set(r.rows.map((x) => x.seller_id));
}

export type StoredCharge = {
  id: string;
  seller_id: string;
  marketplace_id: string;
  month: string;
  currency: string;
  charged_units: number;
  rate: bigint;
  percent_off: number;
  amount: bigint;
  explanation: Record<string, unknown>;
  charged_at: Date;
  credited: bigint;
};

export async function chargesOf(db: Db, filter: { sellerId?: string; marketplaceId: string; month?: Month }) {
  const r = await sql<StoredCharge>`
    select f.id, f.seller_id, f.marketplace_id, f.month, f.currency, f.charged_units, f.rate, f.percent_off, f.amount,
      f.explanation, f.charged_at,
      coalesce((select sum(a.credit) from fee_adjustment a where a.seller_id = f.seller_id and a.marketplace_id = f.marketplace_id
        and a.month = f.month), 0)::bigint as credited
    from fee_charge f
    where f.marketplace_id = ${filter.marketplaceId}
      ${filter.sellerId ? sql`and f.seller_id = ${filter.sellerId}::uuid` : sql``}
      ${filter.month ? sql`and f.month = ${filter.month}` : sql``}
    order by f.month desc, f.seller_id`.execute(db);
  return r.rows.map((c) => ({
    ...c,
    rate: BigInt(c.rate),
    amount: BigInt(c.amount),
    credited: BigInt(c.credited),
  }));
}

export async function recordRun(
  db: Db,
  marketplaceId: string,
  month: Month,
  sellers: number,
  total: bigint,
  at: Date,
) {
  await sql`insert into fee_run (marketplace_id, month, sellers, total, finished_at)
    values (${marketplaceId}, ${month}, ${sellers}, ${total}, ${at})
    on conflict (marketplace_id, month) do update set sellers = excluded.sellers, total = excluded.total, finished_at = excluded.finished_at`.execute(
    db,
  );
}

/** The months finished in a marketplace, and the first instant anyone was enrolled there. */
export async function runHistory(db: Db, marketplaceId: string) {
  const r = await sql<{ months: string[]; first_enrolled: Date | null }>`
    select coalesce((select array_agg(month::text) from fee_run where marketplace_id = ${marketplaceId}), '{}') as months,
      (select min(enrolled_at) from service_enrolment where marketplace_id = ${marketplaceId}) as first_enrolled`.execute(
    db,
  );
  const row = r.rows[0]!;
  return { finished: new Set(row.months), firstEnrolled: row.first_enrolled };
}

// ---------------------------------------------------------------- a seller's contacts

export type ContactRow = {
  id: string;
  received_at: Date;
  channel: string;
  topic: string;
  handler: string;
  routing_reason: string;
  order_external_id: string | null;
  fulfilment_channel: string | null;
  case_number: string | null;
  contest_id: string | null;
  contest_status: string | null;
};

/** The contacts the marketplace's CS handled for a seller's orders in a period, with their facts. */
export async function contactsOf(db: Db, sellerId: string, marketplaceId: string, from: Date, to: Date) {
  const r = await sql<ContactRow>`
    select c.id, c.received_at, c.channel, c.topic, c.handler, c.routing_reason, o.external_id as order_external_id,
      o.fulfilment_channel, k.case_number, fc.id as contest_id, fc.status as contest_status
    from contact c
      left join "order" o on o.id = c.order_id
      left join cs_case k on k.id = c.case_id
      left join fee_contest fc on fc.contact_id = c.id
    where c.seller_id = ${sellerId}::uuid and c.handler = 'marketplace_cs' and c.marketplace_id = ${marketplaceId}
      and c.received_at >= ${from} and c.received_at < ${to}
    order by c.received_at, c.id`.execute(db);
  return r.rows;
}

export async function enrolmentPeriods(db: Db, sellerId: string, marketplaceId: string) {
  const r = await sql<{ enrolled_at: Date; trial_ends_at: Date | null; withdrawn_at: Date | null }>`
    select enrolled_at, trial_ends_at, withdrawn_at from service_enrolment
    where seller_id = ${sellerId}::uuid and marketplace_id = ${marketplaceId} order by enrolled_at`.execute(
    db,
  );
  return r.rows.map((p) => ({
    enrolledAt: p.enrolled_at,
    trialEndsAt: p.trial_ends_at,
    withdrawnAt: p.withdrawn_at,
  }));
}

// ---------------------------------------------------------------- revisions after late data

/**
 * The charges of some sellers' month, locked until the transaction ends (a contest's credit and a
 * revision of the same charge wait for each other), with what was credited or charged since.
 */
export async function lockedChargesOf(db: Db, marketplaceId: string, month: Month, sellerIds: string[]) {
  if (sellerIds.length === 0) return new Map<string, StoredCharge & { units_now: number }>();
  const r = await sql<StoredCharge & { units_now: number }>`
    select f.id, f.seller_id, f.marketplace_id, f.month, f.currency, f.charged_units, f.rate, f.percent_off, f.amount,
      f.explanation, f.charged_at,
      coalesce((select sum(a.credit) from fee_adjustment a where a.seller_id = f.seller_id and a.marketplace_id = f.marketplace_id
        and a.month = f.month), 0)::bigint as credited,
      coalesce(f.revised_units, f.charged_units) as units_now
    from fee_charge f
    where f.marketplace_id = ${marketplaceId} and f.month = ${month} and f.seller_id = any(${sellerIds}::uuid[])
    order by f.seller_id
    for update of f`.execute(db);
  return new Map(
    r.rows.map((c) => [
      c.seller_id,
      { ...c, rate: BigInt(c.rate), amount: BigInt(c.amount), credited: BigInt(c.credited) },
    ]),
  );
}

/** The next revision number of each seller's month (the first is 1). */
export async function nextRevisions(db: Db, marketplaceId: string, month: Month, sellerIds: string[]) {
  if (sellerIds.length === 0) return new Map<string, number>();
  const r = await sql<{ seller_id: string; n: number }>`
    select seller_id, max(revision)::int + 1 as n from fee_adjustment
    where marketplace_id = ${marketplaceId} and month = ${month} and revision is not null and seller_id = any(${sellerIds}::uuid[])
    group by seller_id`.execute(db);
  return new Map(r.rows.map((x) => [x.seller_id, x.n]));
}

/** The units each revised charge stands on now. */
export async function reviseChargedUnits(db: Db, units: { chargeId: string; units: number }[], at: Date) {
  if (units.length === 0) return;
  const json = JSON.stringify(units.map((u) => ({ id: u.chargeId, units: u.units })));
  await sql`update fee_charge f set revised_units = r.units, revised_at = ${at}
    from json_to_recordset(${json}::json) as r(id uuid, units int) where f.id = r.id`.execute(db);
}

/** Revised bands, keeping the band first fixed. */
export async function reviseBands(
  db: Db,
  marketplaceId: string,
  month: Month,
  decisions: { sellerId: string; decision: FeeDecision }[],
  at: Date,
) {
  if (decisions.length === 0) return;
  const json = JSON.stringify(
    decisions.map((d) => ({ seller_id: d.sellerId, decision: decisionJson(d.decision) })),
  );
  await sql`update fee_band b set first_decision = coalesce(b.first_decision, b.decision), decision = r.decision, revised_at = ${at}
    from json_to_recordset(${json}::json) as r(seller_id uuid, decision jsonb)
    where b.seller_id = r.seller_id and b.marketplace_id = ${marketplaceId} and b.month = ${month}`.execute(
    db,
  );
}

export async function insertRevisions(
  db: Db,
  marketplaceId: string,
  month: Month,
  currency: string,
  rows: {
    id: string;
    sellerId: string;
    revision: number;
    credit: bigint;
    ledgerBatchId: string;
    explanation: object;
  }[],
  at: Date,
) {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      seller_id: r.sellerId,
      revision: r.revision,
      credit: Number(r.credit),
      ledger_batch_id: r.ledgerBatchId,
      explanation: r.explanation,
    })),
  );
  await sql`insert into fee_adjustment (id, seller_id, marketplace_id, month, currency, credit, explanation, ledger_batch_id, created_at, revision)
    select id, seller_id, ${marketplaceId}, ${month}, ${currency}, credit, explanation, ledger_batch_id, ${at}, revision
    from json_to_recordset(${json}::json) as r(id uuid, seller_id uuid, revision int, credit bigint, ledger_batch_id uuid, explanation jsonb)`.execute(
    db,
  );
}
