-- The bot's dialogue state per conversation (bot/dialogue.ts DialogueState), stored after each step.
-- Amounts are strings in it (JSON has no bigint), times ISO strings.
alter table conversation add column dialogue jsonb;
