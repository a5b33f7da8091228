-- What the chat bot may do by itself, per marketplace, effective from an instant like every policy
-- (SPEC D2–D4, C2): by default it authorises returns within policy, cancels unshipped orders and
-- changes their delivery address, and leaves refunds to people. Owned by the assistant module.
create table bot_policy (
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  may_authorise_returns boolean not null default true,
  may_refund boolean not null default false,
  -- The most the bot refunds at once, minor units of the marketplace's currency; null: an agent's limit.
  refund_limit bigint check (refund_limit >= 0),
  may_cancel_orders boolean not null default true,
  may_change_addresses boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (marketplace_id, effective_from)
);

-- Customer service cancelled an order before it shipped (D3); the commerce platform hears of it
-- (`order.cancelled`) and refunds the payment. Owned by the marketplace module.
create table order_cancellation (
  order_id uuid primary key references "order" (id),
  seller_id uuid not null,
  reason text not null,
  -- 'bot', or the id of the person who decided.
  decided_by text not null,
  decision jsonb not null,
  cancelled_at timestamptz not null
);

-- A new delivery address the buyer gave before shipment; the commerce platform owns addresses and
-- hears of it (`order.address_changed`). Owned by the marketplace module.
create table order_address_change (
  id bigint generated always as identity primary key,
  order_id uuid not null references "order" (id),
  seller_id uuid not null,
  address text not null,
  decided_by text not null,
  changed_at timestamptz not null
);
create index order_address_change_order on order_address_change (order_id, changed_at desc);
