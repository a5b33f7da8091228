-- Billing's running tallies (issue 18, bench): the figures of each seller-month kept up to date when the
-- facts are written, so the month-end run reads one small row per seller and month instead of every
-- order, shipment, carrier scan and contact of four months.
--
-- Two levels. `fee_order_tally` holds what each order contributes to each marketplace month (its units
-- at its first shipment, its shipments and scanned shipments, its contacts counted); `fee_tally` is
-- their sum per seller, marketplace and month. `fee_tally_refresh(order ids)` computes orders'
-- contributions again from the facts, replaces the stored ones and adds the difference to the
-- seller-month sums — so a correction (a shipment re-dated, a line removed, a contest accepted, a
-- back-dated enrolment) moves the figures exactly as a recount would.
--
-- Statement-level triggers (a statement's rows as one set) mark the orders any write touched; the marked
-- orders are refreshed once per transaction, at its commit. Every writer — the commerce import, cases
-- recording contacts, programmes enrolling, contests — keeps the tallies without knowing of them, and an
-- import's batch pays one refresh for its orders, lines, shipments and scans.
-- Billing owns the tables, the function and the triggers (this file). The rules are those of
-- `figuresFromFacts` (billing.repository.ts), which stays as the recount the tests compare against.
create table fee_order_tally (
  order_id uuid not null,
  month char(7) not null,
  seller_id uuid not null,
  marketplace_id text not null,
  -- at the order's first shipment, in the month it fell in: units while covered by an enrolment period
  -- (trial included), 1 if covered, and the split of the units into charged / in trial / not enrolled
  units integer not null default 0,
  orders integer not null default 0,
  charged_units integer not null default 0,
  trial_units integer not null default 0,
  not_enrolled_units integer not null default 0,
  -- its shipments shipped in the month, those with a carrier scan, and its contacts counted in the month
  shipments integer not null default 0,
  scanned integer not null default 0,
  contacts integer not null default 0
);
create index fee_order_tally_order on fee_order_tally (order_id);

create table fee_tally (
  seller_id uuid not null,
  marketplace_id text not null,
  month char(7) not null,
  units integer not null default 0,
  orders integer not null default 0,
  charged_units integer not null default 0,
  trial_units integer not null default 0,
  not_enrolled_units integer not null default 0,
  shipments integer not null default 0,
  scanned integer not null default 0,
  contacts integer not null default 0,
  primary key (marketplace_id, month, seller_id)
);

-- The contacts of an order (the refresh looks them up by order).
create index contact_order on contact (order_id) where order_id is not null;

-- No JIT (its compile time, seconds, is more than a refresh takes) and room to hash a bulk import's batch.
create function fee_tally_refresh(order_ids uuid[]) returns void language plpgsql
set jit = off set work_mem = '32MB' as $$
begin
  if order_ids is null or cardinality(order_ids) = 0 then
    return;
  end if;
  -- Every fact is looked up per order (LATERAL, by the indexes on order_id), so the plan stays a lookup
  -- per order whatever the planner guesses of a batch just written and never analysed.
  with ids as (select distinct unnest(order_ids) as id),
  gone as (
    delete from fee_order_tally t using ids where t.order_id = ids.id returning t.*),
  o as materialized (
    select o.id, o.seller_id, o.marketplace_id, mk.time_zone
    from ids join "order" o on o.id = ids.id join marketplace mk on mk.id = o.marketplace_id
    where o.fulfilment_channel = 'seller'),
  fresh as (
    select order_id, month, seller_id, marketplace_id,
      sum(units)::int as units, sum(orders)::int as orders, sum(charged_units)::int as charged_units,
      sum(trial_units)::int as trial_units, sum(not_enrolled_units)::int as not_enrolled_units,
      sum(shipments)::int as shipments, sum(scanned)::int as scanned, sum(contacts)::int as contacts
    from (
      -- The order's units once, at its first shipment, with the enrolment period covering that instant.
      select o.id as order_id, to_char(f.shipped_at at time zone o.time_zone, 'YYYY-MM') as month, o.seller_id, o.marketplace_id,
        case when p.covered then l.units else 0 end as units, case when p.covered then 1 else 0 end as orders,
        case when p.charged then l.units else 0 end as charged_units,
        case when p.covered and not p.charged then l.units else 0 end as trial_units,
        case when p.covered then 0 else l.units end as not_enrolled_units,
        0 as shipments, 0 as scanned, 0 as contacts
      from o
        cross join lateral (
          select s.shipped_at from shipment s where s.order_id = o.id order by s.shipped_at, s.id limit 1) f
        cross join lateral (select coalesce(sum(l.units), 0)::int as units from order_line l where l.order_id = o.id) l
        cross join lateral (
          select coalesce(bool_or(true), false) as covered,
            coalesce(bool_or(f.shipped_at >= coalesce(e.trial_ends_at, e.enrolled_at)), false) as charged
          from (select * from service_enrolment e
            where e.seller_id = o.seller_id and e.marketplace_id = o.marketplace_id and f.shipped_at >= e.enrolled_at
              and (e.withdrawn_at is null or f.shipped_at < e.withdrawn_at)
            order by e.enrolled_at limit 1) e) p
      union all
      -- Its shipments, and those a carrier scanned (any event but the label's).
      select o.id, to_char(s.shipped_at at time zone o.time_zone, 'YYYY-MM'), o.seller_id, o.marketplace_id,
        0, 0, 0, 0, 0, 1,
        case when exists (select 1 from shipment_event e where e.shipment_id = s.id and e.code <> 'label_created') then 1 else 0 end,
        0
      from o cross join lateral (select s.id, s.shipped_at from shipment s where s.order_id = o.id) s
      union all
      -- Its contacts counted (F2): see COUNTED_ROUTING_REASONS and MARKETPLACE_CAUSED_TOPICS in fee-rules.ts.
      select o.id, to_char(c.received_at at time zone o.time_zone, 'YYYY-MM'), o.seller_id, o.marketplace_id,
        0, 0, 0, 0, 0, 0, 0, 1
      from o cross join lateral (
        select c.received_at
        -- by the order alone (OFFSET 0 keeps the lookup apart): given the seller too, the planner may
        -- walk all the seller's contacts for each order
        from (select * from contact c where c.order_id = o.id offset 0) c
        where c.seller_id = o.seller_id and c.marketplace_id = o.marketplace_id
          and c.handler = 'marketplace_cs'
          and c.routing_reason in ('enrolled_seller_fulfilled', 'trial_seller_fulfilled', 'forwarded_by_seller', 'continued_case')
          and c.topic not in ('payment_or_account')
          and exists (select 1 from service_enrolment e where e.seller_id = c.seller_id and e.marketplace_id = c.marketplace_id
            and c.received_at >= e.enrolled_at and (e.withdrawn_at is null or c.received_at < e.withdrawn_at))
          and not exists (select 1 from fee_contest fc where fc.contact_id = c.id and fc.status = 'accepted')) c
    ) x
    group by order_id, month, seller_id, marketplace_id),
  -- After `gone` (the scalar subquery makes it run first), so an order's old rows are gone before its new ones.
  added as (
    insert into fee_order_tally select * from fresh where (select count(*) from gone) >= 0 returning *),
  difference as (
    select seller_id, marketplace_id, month, sum(units)::int as units, sum(orders)::int as orders,
      sum(charged_units)::int as charged_units, sum(trial_units)::int as trial_units,
      sum(not_enrolled_units)::int as not_enrolled_units, sum(shipments)::int as shipments,
      sum(scanned)::int as scanned, sum(contacts)::int as contacts
    from (
      select seller_id, marketplace_id, month, units, orders, charged_units, trial_units, not_enrolled_units, shipments, scanned, contacts
      from added
      union all
      select seller_id, marketplace_id, month, -units, -orders, -charged_units, -trial_units, -not_enrolled_units, -shipments,
        -scanned, -contacts
      from gone) d
    group by seller_id, marketplace_id, month)
  insert into fee_tally as t (seller_id, marketplace_id, month, units, orders, charged_units, trial_units, not_enrolled_units,
    shipments, scanned, contacts)
  select * from difference
  where (units, orders, charged_units, trial_units, not_enrolled_units, shipments, scanned, contacts) <> (0, 0, 0, 0, 0, 0, 0, 0)
  order by marketplace_id, month, seller_id
  on conflict (marketplace_id, month, seller_id) do update set units = t.units + excluded.units, orders = t.orders + excluded.orders,
    charged_units = t.charged_units + excluded.charged_units, trial_units = t.trial_units + excluded.trial_units,
    not_enrolled_units = t.not_enrolled_units + excluded.not_enrolled_units, shipments = t.shipments + excluded.shipments,
    scanned = t.scanned + excluded.scanned, contacts = t.contacts + excluded.contacts;
end $$;

-- Writes mark the orders they touched; the marked orders are refreshed once, when the transaction commits
-- (or when a read of the tallies asks first, `fee_tally_flush()`): a bulk import's batch writes its
-- orders, lines, shipments and scans in several statements, and pays one refresh for all of them.
-- `fee_tally_pending` holds only the marks of transactions not committed yet (the flush deletes them).
-- Its key is also what keeps two transactions from refreshing one order at once: the second to mark
-- it waits until the first has committed, and its own refresh then reads what the first wrote.
create table fee_tally_pending (order_id uuid primary key);
-- One row per transaction with marks: its insert queues the one flush at commit.
create table fee_tally_flush_due (xact xid8 primary key);

create function fee_tally_flush() returns void language plpgsql as $$
declare
  marked uuid[];
begin
  with gone as (delete from fee_tally_pending returning order_id) select array_agg(order_id) into marked from gone;
  perform fee_tally_refresh(marked);
end $$;

create function fee_tally_mark(order_ids uuid[]) returns void language plpgsql as $$
begin
  if order_ids is null or cardinality(order_ids) = 0 then
    return;
  end if;
  -- Sorted: two transactions marking the same orders wait for each other in one order.
  insert into fee_tally_pending select distinct id from unnest(order_ids) id where id is not null order by id
  on conflict do nothing;
  insert into fee_tally_flush_due values (pg_current_xact_id()) on conflict do nothing;
end $$;

create function fee_tally_flush_at_commit() returns trigger language plpgsql as $$
begin
  perform fee_tally_flush();
  delete from fee_tally_flush_due where xact = new.xact;
  return null;
end $$;
create constraint trigger fee_tally_flush_at_commit after insert on fee_tally_flush_due
  deferrable initially deferred for each row execute function fee_tally_flush_at_commit();

-- The triggers: each marks the orders its statement touched.
create function fee_tally_orders_changed() returns trigger language plpgsql as $$
begin
  -- An order's channel, marketplace or seller decides what it counts for.
  perform fee_tally_mark(array(
    select n.id from new_rows n join old_rows o on o.id = n.id
    where (n.fulfilment_channel, n.marketplace_id, n.seller_id) is distinct from (o.fulfilment_channel, o.marketplace_id, o.seller_id)));
  return null;
end $$;
create trigger fee_tally_order_update after update on "order" referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_orders_changed();

-- Rows that name their order (order_line, shipment, contact): new rows on insert, old on delete, both on update.
create function fee_tally_rows_inserted() returns trigger language plpgsql as $$
begin
  perform fee_tally_mark(array(select distinct order_id from new_rows where order_id is not null));
  return null;
end $$;
create function fee_tally_rows_deleted() returns trigger language plpgsql as $$
begin
  perform fee_tally_mark(array(select distinct order_id from old_rows where order_id is not null));
  return null;
end $$;
create function fee_tally_rows_updated() returns trigger language plpgsql as $$
begin
  perform fee_tally_mark(array(
    select order_id from new_rows where order_id is not null union select order_id from old_rows where order_id is not null));
  return null;
end $$;

create trigger fee_tally_line_insert after insert on order_line referencing new table as new_rows
  for each statement execute function fee_tally_rows_inserted();
create trigger fee_tally_line_update after update on order_line referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_rows_updated();
create trigger fee_tally_line_delete after delete on order_line referencing old table as old_rows
  for each statement execute function fee_tally_rows_deleted();
create trigger fee_tally_shipment_insert after insert on shipment referencing new table as new_rows
  for each statement execute function fee_tally_rows_inserted();
create trigger fee_tally_shipment_update after update on shipment referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_rows_updated();
create trigger fee_tally_shipment_delete after delete on shipment referencing old table as old_rows
  for each statement execute function fee_tally_rows_deleted();
create trigger fee_tally_contact_insert after insert on contact referencing new table as new_rows
  for each statement execute function fee_tally_rows_inserted();
create trigger fee_tally_contact_update after update on contact referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_rows_updated();
create trigger fee_tally_contact_delete after delete on contact referencing old table as old_rows
  for each statement execute function fee_tally_rows_deleted();

-- Carrier events name their shipment; only a scan can change whether a shipment counts as scanned.
create function fee_tally_events_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform fee_tally_mark(array(
      select distinct s.order_id from old_rows e join shipment s on s.id = e.shipment_id where e.code <> 'label_created'));
  elsif tg_op = 'UPDATE' then
    perform fee_tally_mark(array(
      select s.order_id from new_rows e join shipment s on s.id = e.shipment_id
      union select s.order_id from old_rows e join shipment s on s.id = e.shipment_id));
  else
    perform fee_tally_mark(array(
      select distinct s.order_id from new_rows e join shipment s on s.id = e.shipment_id where e.code <> 'label_created'));
  end if;
  return null;
end $$;
create trigger fee_tally_event_insert after insert on shipment_event referencing new table as new_rows
  for each statement execute function fee_tally_events_changed();
create trigger fee_tally_event_update after update on shipment_event referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_events_changed();
create trigger fee_tally_event_delete after delete on shipment_event referencing old table as old_rows
  for each statement execute function fee_tally_events_changed();

-- A contest accepted (or no longer) takes its contact out of the count (or puts it back).
create function fee_tally_contests_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    perform fee_tally_mark(array(select distinct c.order_id from old_rows fc join contact c on c.id = fc.contact_id));
  elsif tg_op = 'UPDATE' then
    perform fee_tally_mark(array(
      select c.order_id from new_rows fc join old_rows b on b.id = fc.id join contact c on c.id = fc.contact_id
      where fc.status is distinct from b.status));
  else
    perform fee_tally_mark(array(
      select distinct c.order_id from new_rows fc join contact c on c.id = fc.contact_id where fc.status = 'accepted'));
  end if;
  return null;
end $$;
create trigger fee_tally_contest_insert after insert on fee_contest referencing new table as new_rows
  for each statement execute function fee_tally_contests_changed();
create trigger fee_tally_contest_update after update on fee_contest referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_contests_changed();
create trigger fee_tally_contest_delete after delete on fee_contest referencing old table as old_rows
  for each statement execute function fee_tally_contests_changed();

-- An enrolment period decides what is covered and charged from its earliest instant that changed: the
-- seller's orders shipped, or contacted about, since then are refreshed.
-- The orders of a seller in a marketplace shipped, or contacted about, since an instant.
create function fee_tally_seller_orders(seller uuid, marketplace text, since timestamptz) returns setof uuid
language sql stable as $$
  select s.order_id from shipment s join "order" o on o.id = s.order_id and o.marketplace_id = marketplace
  where s.seller_id = seller and s.shipped_at >= since
  union
  select c.order_id from contact c
  where c.seller_id = seller and c.marketplace_id = marketplace and c.received_at >= since and c.handler = 'marketplace_cs'
    and c.order_id is not null
$$;

create function fee_tally_enrolments_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform fee_tally_mark(array(
      select x.id from new_rows n cross join lateral fee_tally_seller_orders(n.seller_id, n.marketplace_id, n.enrolled_at) x(id)));
  elsif tg_op = 'DELETE' then
    perform fee_tally_mark(array(
      select x.id from old_rows b cross join lateral fee_tally_seller_orders(b.seller_id, b.marketplace_id, b.enrolled_at) x(id)));
  else
    perform fee_tally_mark(array(
      select x.id from new_rows n join old_rows b on b.id = n.id
        cross join lateral (values (n.seller_id, n.marketplace_id), (b.seller_id, b.marketplace_id)) k(seller_id, marketplace_id)
        cross join lateral fee_tally_seller_orders(k.seller_id, k.marketplace_id,
          least(n.enrolled_at, b.enrolled_at, n.trial_ends_at, b.trial_ends_at, n.withdrawn_at, b.withdrawn_at)) x(id)
      where (n.enrolled_at, n.trial_ends_at, n.withdrawn_at, n.seller_id, n.marketplace_id)
        is distinct from (b.enrolled_at, b.trial_ends_at, b.withdrawn_at, b.seller_id, b.marketplace_id)));
  end if;
  return null;
end $$;
create trigger fee_tally_enrolment_insert after insert on service_enrolment referencing new table as new_rows
  for each statement execute function fee_tally_enrolments_changed();
create trigger fee_tally_enrolment_update after update on service_enrolment referencing old table as old_rows new table as new_rows
  for each statement execute function fee_tally_enrolments_changed();
create trigger fee_tally_enrolment_delete after delete on service_enrolment referencing old table as old_rows
  for each statement execute function fee_tally_enrolments_changed();

-- The data already stored, tallied once.
select fee_tally_refresh(array(select id from "order" where fulfilment_channel = 'seller'));
