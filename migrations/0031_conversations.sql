-- Conversations (the buyer chat) and their messages, numbered within the conversation (SPEC C1–C6).

create table conversation (
  id uuid primary key default gen_random_uuid(),
  marketplace_id text not null references marketplace (id),
  buyer_id uuid not null references buyer (id),
  order_id uuid references "order" (id),
  language text not null,
  -- One owner at a time: the bot until a person takes over.
  owner_kind text not null default 'bot' check (owner_kind in ('bot', 'agent')),
  owner_user_id uuid references app_user (id),
  case_id uuid references cs_case (id),
  -- The last message's number; incrementing it locks the row, so numbers have no gaps or races.
  last_seq integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index conversation_buyer on conversation (buyer_id, updated_at desc);
create index conversation_case on conversation (case_id) where case_id is not null;

create table chat_message (
  conversation_id uuid not null references conversation (id),
  seq integer not null check (seq > 0),
  author_kind text not null check (author_kind in ('buyer', 'bot', 'agent', 'system')),
  author_user_id uuid references app_user (id),
  author_name text,
  body text not null,
  buttons jsonb,
  button_id text,
  case_number text,
  -- A frame the client sends again (after a lost ack) is stored once.
  client_message_id text,
  created_at timestamptz not null,
  primary key (conversation_id, seq),
  unique (conversation_id, client_message_id)
);
