-- Fees of the managed service (SPEC F1–F4), seller support (S5). Schedules and tracking discounts are
-- effective-dated data per marketplace: every saved version stays, with who saved it and why, and the
-- latest one effective at a month's start applies (the defaults in code when none is stored).
create table fee_schedule (
  id bigint generated always as identity primary key,
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  currency char(3) not null,
  -- [{"upToBp": 500, "rate": 10}, …] ascending; rates in minor units per unit shipped
  bands jsonb not null,
  above_rate bigint not null check (above_rate >= 0),
  default_rate bigint not null check (default_rate >= 0),
  default_up_to_units integer not null check (default_up_to_units >= 0),
  note text not null,
  created_by uuid not null references app_user (id),
  created_at timestamptz not null
);
create index fee_schedule_in_force on fee_schedule (marketplace_id, effective_from, id);

create table tracking_discount_policy (
  id bigint generated always as identity primary key,
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  -- {"trackingTargetBp": 9500, "freeCpu": {"bp": 300, "inclusive": false}, "freeUnderOrders": 30, "percentOffByBand": {…}}
  settings jsonb not null,
  note text not null,
  created_by uuid not null references app_user (id),
  created_at timestamptz not null
);
create index tracking_discount_in_force on tracking_discount_policy (marketplace_id, effective_from, id);

-- The band of a month, fixed on its 1st from the three months before (F2). Revised only by an
-- accepted contest, which keeps the first figures in `first_decision`.
create table fee_band (
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  month char(7) not null,
  decision jsonb not null,
  first_decision jsonb,
  fixed_at timestamptz not null,
  revised_at timestamptz,
  primary key (seller_id, marketplace_id, month)
);

-- One charge per seller, marketplace and month: the unique key is what makes the monthly run
-- idempotent; a run killed half-way leaves the charged sellers charged and the others to the next run.
create table fee_charge (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  month char(7) not null,
  currency char(3) not null,
  charged_units integer not null,
  rate bigint not null,
  percent_off integer not null,
  amount bigint not null check (amount >= 0),
  explanation jsonb not null,
  charged_at timestamptz not null,
  unique (seller_id, marketplace_id, month)
);
create index fee_charge_month on fee_charge (marketplace_id, month);

-- Each marketplace-month the run finished, so a missed month is caught up and a finished one not redone.
create table fee_run (
  marketplace_id text not null references marketplace (id),
  month char(7) not null,
  sellers integer not null,
  total bigint not null,
  finished_at timestamptz not null,
  primary key (marketplace_id, month)
);

-- A seller contests one counted contact (F4); staff decide. One contest per contact.
create table fee_contest (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null unique references contact (id),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  reason text not null check (reason in ('caused_by_marketplace', 'duplicate', 'not_about_my_order', 'other')),
  comment text not null default '',
  status text not null check (status in ('open', 'accepted', 'rejected')),
  filed_by uuid not null references app_user (id),
  filed_at timestamptz not null,
  decided_by uuid references app_user (id),
  decided_at timestamptz,
  decision_note text,
  decision_key text,
  check ((status = 'open') = (decided_at is null))
);
create index fee_contest_seller on fee_contest (seller_id, filed_at desc);
create index fee_contest_open on fee_contest (filed_at) where status = 'open';

-- What an accepted contest gave back for a month already charged.
create table fee_adjustment (
  id uuid primary key default gen_random_uuid(),
  contest_id uuid not null references fee_contest (id),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  month char(7) not null,
  currency char(3) not null,
  credit bigint not null check (credit > 0),
  explanation jsonb not null,
  ledger_batch_id uuid not null,
  created_at timestamptz not null,
  unique (contest_id, month)
);
create index fee_adjustment_seller on fee_adjustment (seller_id, marketplace_id, month);

-- Seller support (S5): a seller's question to the operator about how an order was resolved or about a
-- charge — apart from buyer customer service, answered by staff.
create table seller_support_request (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null references seller (id),
  marketplace_id text references marketplace (id),
  subject text not null check (subject in ('order_resolution', 'charge', 'other')),
  order_id uuid references "order" (id),
  charge_month char(7),
  question text not null,
  status text not null check (status in ('open', 'answered')),
  asked_by uuid not null references app_user (id),
  asked_at timestamptz not null,
  answer text,
  answered_by uuid references app_user (id),
  answered_at timestamptz,
  check ((status = 'answered') = (answer is not null))
);
create index seller_support_seller on seller_support_request (seller_id, asked_at desc);
create index seller_support_open on seller_support_request (asked_at) where status = 'open';

-- A seller's own figures (its fee page) are read per seller and window, not by scanning every row.
create index contact_seller_received on contact (seller_id, received_at) where handler = 'marketplace_cs';
create index shipment_seller_shipped on shipment (seller_id, shipped_at);

