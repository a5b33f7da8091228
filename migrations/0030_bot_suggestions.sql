-- Learning from people: the buyer's first message of a case a person settled, with the topic the agent
-- recorded, waits here for review; accepted ones (with the intent the reviewer gave) join the bot's
-- training at the next start. An operator's own messages stay in its database, not in the corpus.
create table bot_suggestion (
  id bigint generated always as identity primary key,
  case_id uuid not null unique references cs_case (id),
  language text not null,
  message text not null,
  topic text not null,
  status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected')),
  intent text,
  reviewed_by uuid references app_user (id),
  created_at timestamptz not null,
  reviewed_at timestamptz,
  check ((status = 'accepted') = (intent is not null))
);
create index bot_suggestion_pending on bot_suggestion (created_at) where status = 'pending';
