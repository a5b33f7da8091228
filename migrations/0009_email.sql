-- The e-mail channel: every message in or out, for threading by Message-ID/References; attachments
-- within size limits; refused mail with the reason (forged reply tokens are logged here).
create table email_message (
  id bigint generated always as identity primary key,
  message_id text not null unique,
  direction text not null check (direction in ('in', 'out')),
  case_id uuid references cs_case (id),
  case_log_request_id uuid references case_log_request (id),
  from_address text not null,
  to_address text not null,
  subject text not null,
  at timestamptz not null
);
create index email_message_case on email_message (case_id, at);

create table email_attachment (
  id bigint generated always as identity primary key,
  email_message_id bigint not null references email_message (id),
  filename text not null,
  content_type text not null,
  size_bytes integer not null,
  content bytea not null
);

create table email_rejection (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  from_address text,
  to_address text,
  reason text not null
);

-- Where sellers forward buyers' messages (SPEC R5): per seller home region and marketplace.
create table forwarding_address (
  local_part text primary key check (local_part ~ '^[a-z0-9.+-]+$'),
  seller_home_country char(2) not null,
  marketplace_id text not null references marketplace (id)
);
