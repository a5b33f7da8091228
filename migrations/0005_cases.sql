-- Contacts, cases, queues and agents (SPEC K1, C5–C8, R7).

-- Human-readable case numbers per marketplace, e.g. IT-0000042.
create table case_counter (
  marketplace_id text primary key references marketplace (id),
  last_value bigint not null default 0
);

-- SLA targets per marketplace and channel, effective-dated (defaults in code when none).
create table sla_policy (
  marketplace_id text not null references marketplace (id),
  channel text not null check (channel in ('chat', 'email', 'phone')),
  effective_from timestamptz not null,
  first_response_minutes integer not null check (first_response_minutes > 0),
  next_response_minutes integer not null check (next_response_minutes > 0),
  warning_percent integer not null default 80 check (warning_percent between 1 and 99),
  primary key (marketplace_id, channel, effective_from)
);

create table agent_profile (
  user_id uuid primary key references app_user (id),
  marketplaces text[] not null,
  languages text[] not null,
  capacity integer not null default 8 check (capacity between 1 and 100),
  premium boolean not null default false,
  available boolean not null default true,
  last_assigned_at timestamptz
);

create table cs_case (
  id uuid primary key default gen_random_uuid(),
  case_number text not null unique,
  marketplace_id text not null references marketplace (id),
  seller_id uuid references seller (id),
  buyer_id uuid references buyer (id),
  order_id uuid references "order" (id),
  language text not null,
  channel text not null check (channel in ('chat', 'email', 'phone')),
  topic text not null,
  routing_reason text not null,
  queue text not null,
  status text not null check (status in ('new', 'waiting_for_agent', 'waiting_for_buyer', 'waiting_for_seller',
    'escalated', 'resolved', 'closed', 'reopened')),
  owner_kind text not null check (owner_kind in ('bot', 'agent', 'supervisor', 'unassigned')),
  owner_user_id uuid references app_user (id),
  first_response_due_at timestamptz,
  next_response_due_at timestamptz,
  -- While the case waits on the buyer or the seller the clock stops; this keeps what was left.
  sla_paused_remaining_ms bigint,
  first_responded_at timestamptz,
  escalation_reason text,
  opened_at timestamptz not null,
  updated_at timestamptz not null,
  resolved_at timestamptz,
  check ((owner_kind in ('agent', 'supervisor')) = (owner_user_id is not null))
);
create index cs_case_queue_due on cs_case (queue, coalesce(next_response_due_at, first_response_due_at))
  where owner_kind = 'unassigned';
create index cs_case_owner on cs_case (owner_user_id) where owner_user_id is not null;
create index cs_case_seller on cs_case (seller_id);
create index cs_case_buyer on cs_case (buyer_id);
create index cs_case_order on cs_case (order_id);

-- Every contact, whoever it was routed to, with the routing decision and its reason (R7).
create table contact (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text unique,
  case_id uuid references cs_case (id),
  marketplace_id text not null references marketplace (id),
  channel text not null check (channel in ('chat', 'email', 'phone')),
  sender text not null check (sender in ('buyer', 'seller')),
  buyer_id uuid references buyer (id),
  seller_id uuid references seller (id),
  order_id uuid references "order" (id),
  topic text not null,
  handler text not null,
  routing_reason text not null,
  explanation text not null,
  received_at timestamptz not null
);
create index contact_case on contact (case_id);

-- Messages between the buyer and customer service. Never shown to sellers (K5).
create table case_message (
  id bigint generated always as identity primary key,
  case_id uuid not null references cs_case (id),
  author_kind text not null check (author_kind in ('buyer', 'agent', 'supervisor', 'bot')),
  author_user_id uuid references app_user (id),
  channel text not null check (channel in ('chat', 'email', 'phone')),
  body text not null,
  sent_at timestamptz not null
);
create index case_message_case on case_message (case_id, sent_at);

-- The full history of a case: status changes, assignments, escalations, SLA warnings and breaches.
create table case_event (
  id bigint generated always as identity primary key,
  case_id uuid not null references cs_case (id),
  kind text not null,
  actor_kind text not null check (actor_kind in ('buyer', 'seller', 'agent', 'supervisor', 'bot', 'system')),
  actor_user_id uuid,
  data jsonb not null default '{}',
  at timestamptz not null
);
create index case_event_case on case_event (case_id, at);

-- After resolution the buyer rates the help (C7), attributed to the bot or the agent.
create table case_rating (
  case_id uuid primary key references cs_case (id),
  stars smallint not null check (stars between 1 and 5),
  solved boolean not null,
  comment text,
  rated_owner_kind text not null check (rated_owner_kind in ('bot', 'agent', 'supervisor')),
  rated_user_id uuid references app_user (id),
  rated_at timestamptz not null
);
