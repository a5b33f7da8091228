-- The chat's hot path (issue 16, docs/chat.md "Performance").
--
-- 1. A conversation's version, bumped by every update of its row: a buyer's message the bot answers
--    without acting on data is stored with one statement that checks the version it read (optimistic),
--    instead of holding the row's lock while the bot thinks. Any other writer in between (an agent, a
--    hand-off, another tab) bumps it, and the message is stored again the locked way.
alter table conversation add column version integer not null default 0;

create function conversation_bump_version() returns trigger language plpgsql as $$
begin
  new.version := old.version + 1;
  return new;
end $$;

create trigger conversation_version before update on conversation
  for each row execute function conversation_bump_version();

-- 2. The bot's facts of a marketplace (the marketplace, its return and bot policies, the languages of its
--    available agents) are kept in memory by each instance (assistant/bot-facts.ts). Any change to them,
--    by the service or by hand, tells every instance at commit, and each forgets what it holds.
create function bot_facts_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('bot_facts_changed', '');
  return null;
end $$;

create trigger marketplace_bot_facts after insert or update or delete on marketplace
  for each statement execute function bot_facts_changed();
create trigger return_policy_bot_facts after insert or update or delete on return_policy
  for each statement execute function bot_facts_changed();
create trigger bot_policy_bot_facts after insert or update or delete on bot_policy
  for each statement execute function bot_facts_changed();
-- An assignment counts open cases on agent_profile many times a minute: only what the facts read.
create trigger agent_profile_bot_facts after insert or delete on agent_profile
  for each statement execute function bot_facts_changed();
create trigger agent_profile_bot_facts_update after update of available, languages, marketplaces on agent_profile
  for each statement execute function bot_facts_changed();
