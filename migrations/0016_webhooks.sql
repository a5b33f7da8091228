-- Signed webhooks for the operator's commerce platform (SPEC N2): decisions, charges and claim
-- outcomes go out to subscribed endpoints, each event once per subscription, retried with backoff.
-- A pending delivery is due at next_attempt_at; a deliverer leases due ones and calls out of any transaction.
create table webhook_subscription (
  id uuid primary key default gen_random_uuid(),
  url text not null check (url ~ '^https?://'),
  secret text not null,
  event_types text[] not null,
  marketplace_id text references marketplace (id),
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table webhook_event (
  key text primary key,
  type text not null,
  seller_id uuid,
  marketplace_id text not null,
  data jsonb not null,
  occurred_at timestamptz not null
);

create table webhook_delivery (
  id uuid primary key default gen_random_uuid(),
  subscription_id uuid not null references webhook_subscription (id),
  event_key text not null references webhook_event (key),
  status text not null check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz,
  last_status integer,
  last_error text,
  delivered_at timestamptz,
  unique (subscription_id, event_key)
);
create index webhook_delivery_subscription on webhook_delivery (subscription_id, id);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'pending';
