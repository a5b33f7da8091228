-- Reimbursement claims (SPEC T1, T2): a seller asks to be reimbursed for a refund the marketplace
-- issued and charged to it. One claim per order; every step is an event; evidence is stored with it.
create table reimbursement_claim (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null unique,
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  order_id uuid not null unique references "order" (id),
  currency char(3) not null,
  reason text not null,
  description text not null,
  requested_amount bigint not null check (requested_amount > 0),
  granted_amount bigint not null default 0 check (granted_amount >= 0),
  status text not null check (status in ('under_review', 'awaiting_seller', 'granted', 'partially_granted', 'denied')),
  stage text not null default 'first' check (stage in ('first', 'appeal')),
  facts jsonb not null,
  decision jsonb,
  reply_by timestamptz,
  appeal_by timestamptz,
  first_reviewer_id uuid references app_user (id),
  filed_at timestamptz not null,
  decided_at timestamptz
);
create index reimbursement_claim_seller on reimbursement_claim (seller_id, filed_at desc);
create index reimbursement_claim_queue on reimbursement_claim (filed_at) where status = 'under_review';

create table claim_event (
  id bigint generated always as identity primary key,
  claim_id uuid not null references reimbursement_claim (id),
  idempotency_key text unique,
  kind text not null,
  actor text not null,
  note text,
  data jsonb not null default '{}',
  at timestamptz not null
);
create index claim_event_claim on claim_event (claim_id, id);

create table claim_evidence (
  id uuid primary key default gen_random_uuid(),
  claim_id uuid not null references reimbursement_claim (id),
  filename text not null,
  content_type text not null,
  size_bytes integer not null,
  sha256 text not null,
  content bytea not null,
  uploaded_at timestamptz not null,
  unique (claim_id, sha256)
);
