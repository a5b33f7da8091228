-- The seller case log (SPEC K3, S1, S4) and buyer–seller messaging (R2, R3).

-- A question customer service asks the seller. The seller sees the question and the order's facts,
-- never the conversation between customer service and the buyer (K5).
create table case_log_request (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cs_case (id),
  seller_id uuid not null references seller (id),
  order_id uuid references "order" (id),
  question text not null,
  asked_by uuid references app_user (id),
  asked_at timestamptz not null,
  due_at timestamptz not null,
  status text not null check (status in ('open', 'answered', 'overdue')),
  answer text,
  answered_at timestamptz,
  answered_via text check (answered_via in ('api', 'email'))
);
create index case_log_request_seller on case_log_request (seller_id, asked_at desc);
create index case_log_request_case on case_log_request (case_id);

create table buyer_seller_thread (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid unique references contact (id),
  marketplace_id text not null references marketplace (id),
  seller_id uuid not null references seller (id),
  buyer_id uuid not null references buyer (id),
  order_id uuid references "order" (id),
  topic text not null,
  routing_reason text not null,
  opened_at timestamptz not null,
  response_due_at timestamptz not null,
  first_seller_reply_at timestamptz
);
create index buyer_seller_thread_seller on buyer_seller_thread (seller_id, opened_at desc);
create index buyer_seller_thread_buyer on buyer_seller_thread (buyer_id, opened_at desc);

create table buyer_seller_message (
  id bigint generated always as identity primary key,
  thread_id uuid not null references buyer_seller_thread (id),
  seller_id uuid not null,
  author text not null check (author in ('buyer', 'seller')),
  body text not null,
  sent_at timestamptz not null
);
create index buyer_seller_message_thread on buyer_seller_message (thread_id, sent_at);
