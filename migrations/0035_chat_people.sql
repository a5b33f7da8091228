-- People in the chat (SPEC C4–C7): the hand-off's pending offer of e-mail or a callback, rating prompts
-- and the buyer's ratings of the bot and of the agents in a conversation.

-- Set while the buyer is offered an answer by e-mail or a callback (no agent of the language was
-- available): what the hand-off was about, so pressing a button can carry it out.
alter table conversation add column handoff_offer jsonb;
-- The bot is rated once it has helped; the prompt is sent once per conversation.
alter table conversation add column bot_rating_requested_at timestamptz;

-- A system message that asks the buyer to rate a person (sent when the agent resolves the case).
alter table chat_message add column rating_subject text check (rating_subject in ('bot', 'agent'));
alter table chat_message add column rating_user_id uuid references app_user (id);

-- One rating per conversation and subject (the bot, or one agent); rating again updates it.
create table chat_rating (
  id bigint generated always as identity primary key,
  conversation_id uuid not null references conversation (id),
  case_id uuid references cs_case (id),
  subject text not null check (subject in ('bot', 'agent')),
  rated_user_id uuid references app_user (id),
  stars smallint not null check (stars between 1 and 5),
  solved boolean not null,
  comment text,
  rated_at timestamptz not null,
  updated_at timestamptz not null,
  check ((subject = 'agent') = (rated_user_id is not null)),
  unique nulls not distinct (conversation_id, subject, rated_user_id)
);
create index chat_rating_user on chat_rating (rated_user_id, rated_at) where rated_user_id is not null;
