-- Marketplace data received from the operator's commerce platform (SPEC M1–M6).
-- Every seller-owned table carries seller_id so the schema can later be sharded by seller.

create table marketplace (
  id text primary key check (id ~ '^[A-Z]{2,8}$'),
  name text not null,
  country char(2) not null,
  currency char(3) not null,
  languages text[] not null check (cardinality(languages) > 0),
  default_language text not null,
  time_zone text not null,
  -- ISO weekday numbers (1 = Monday … 7 = Sunday) that are not business days.
  weekend_days smallint[] not null default '{6,7}',
  order_number_pattern text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (default_language = any (languages))
);

create table public_holiday (
  marketplace_id text not null references marketplace (id) on delete cascade,
  day date not null,
  name text not null,
  primary key (marketplace_id, day)
);

create table seller (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  name text not null,
  home_country char(2) not null,
  default_email text not null,
  languages text[] not null,
  standing text not null check (standing in ('good', 'at_risk', 'suspended', 'closed')),
  account_type text not null default 'professional' check (account_type in ('professional', 'individual')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table buyer (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  name text not null,
  email text not null,
  phone text,
  language text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table product (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  seller_id uuid not null references seller (id),
  sku text not null,
  category text not null,
  returnable boolean not null default true,
  customisable boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index product_seller_idx on product (seller_id);

-- The detail page CS answers from: one per product, marketplace and language.
create table product_page (
  product_id uuid not null references product (id) on delete cascade,
  marketplace_id text not null references marketplace (id),
  language text not null,
  seller_id uuid not null,
  title text not null,
  bullet_points text[] not null default '{}',
  description text not null default '',
  attributes jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (product_id, marketplace_id, language)
);

create table "order" (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  marketplace_id text not null references marketplace (id),
  seller_id uuid not null references seller (id),
  buyer_id uuid not null references buyer (id),
  fulfilment_channel text not null check (fulfilment_channel in ('seller', 'marketplace', 'premium_seller')),
  currency char(3) not null,
  ordered_at timestamptz not null,
  promised_delivery_date date,
  is_preorder boolean not null default false,
  items_total bigint not null check (items_total >= 0),
  shipping_charge bigint not null default 0 check (shipping_charge >= 0),
  order_total bigint not null check (order_total >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index order_seller_idx on "order" (seller_id, ordered_at desc);
create index order_buyer_idx on "order" (buyer_id, ordered_at desc);

create table order_line (
  order_id uuid not null references "order" (id) on delete cascade,
  line_no smallint not null check (line_no > 0),
  seller_id uuid not null,
  product_id uuid not null references product (id),
  units integer not null check (units > 0),
  unit_price bigint not null check (unit_price >= 0),
  primary key (order_id, line_no)
);

create table shipment (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  order_id uuid not null references "order" (id),
  seller_id uuid not null,
  carrier text not null,
  tracking_number text,
  shipped_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index shipment_order_idx on shipment (order_id);

-- Carrier events. The same event (shipment, code, time) is stored once however often it is sent.
create table shipment_event (
  id bigint generated always as identity primary key,
  shipment_id uuid not null references shipment (id) on delete cascade,
  seller_id uuid not null,
  code text not null,
  occurred_at timestamptz not null,
  location text,
  detail text,
  received_at timestamptz not null default now(),
  unique (shipment_id, code, occurred_at)
);

create table "return" (
  id uuid primary key default gen_random_uuid(),
  external_id text not null unique,
  order_id uuid not null references "order" (id),
  seller_id uuid not null,
  reason text not null,
  requested_at timestamptz not null,
  authorisation text not null check (authorisation in ('pending', 'authorised', 'rejected')),
  authorised_at timestamptz,
  carrier text,
  tracking_number text,
  received_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index return_order_idx on "return" (order_id);

create table return_line (
  return_id uuid not null references "return" (id) on delete cascade,
  line_no smallint not null,
  seller_id uuid not null,
  units integer not null check (units > 0),
  primary key (return_id, line_no)
);

create table return_event (
  id bigint generated always as identity primary key,
  return_id uuid not null references "return" (id) on delete cascade,
  seller_id uuid not null,
  code text not null,
  occurred_at timestamptz not null,
  location text,
  detail text,
  received_at timestamptz not null default now(),
  unique (return_id, code, occurred_at)
);
