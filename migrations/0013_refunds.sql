-- Concessions decided by customer service and what they moved (SPEC D3–D5, K6, L1).
create table concession (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null unique,
  case_id uuid references cs_case (id),
  order_id uuid not null references "order" (id),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  currency char(3) not null,
  action text not null,
  reason text not null,
  amount_items bigint not null check (amount_items >= 0),
  amount_shipping bigint not null check (amount_shipping >= 0),
  status text not null check (status in ('issued', 'pending_approval', 'denied')),
  explanation jsonb not null,
  decided_by uuid references app_user (id),
  decided_at timestamptz not null,
  approved_by uuid references app_user (id),
  approval_note text,
  approved_at timestamptz
);
create index concession_order on concession (order_id);
create index concession_seller on concession (seller_id, decided_at desc);

create table concession_line (
  concession_id uuid not null references concession (id),
  order_id uuid not null,
  line_no smallint not null,
  amount bigint not null check (amount > 0),
  primary key (concession_id, line_no)
);
create index concession_line_order on concession_line (order_id, line_no);

-- K6: what a role may grant alone, per marketplace (minor units of its currency).
create table approval_limit (
  marketplace_id text not null references marketplace (id),
  role text not null check (role in ('agent', 'supervisor')),
  max_amount bigint not null check (max_amount >= 0),
  primary key (marketplace_id, role)
);
