-- Saved replies for agents (issue 17): per language, optionally per marketplace, with placeholders such
-- as {{buyerName}} and {{orderNumber}} filled from the case when the agent uses one.
create table saved_reply (
  id uuid primary key default gen_random_uuid(),
  -- null: offered in every marketplace.
  marketplace_id text references marketplace (id),
  language text not null check (language in ('it', 'es', 'fr', 'de', 'en')),
  title text not null check (length(title) between 1 and 120),
  body text not null check (length(body) between 1 and 5000),
  created_by uuid not null references app_user (id),
  updated_by uuid not null references app_user (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- Removed replies stay for the history of the cases that used them, but are no longer offered.
  deleted_at timestamptz
);
create unique index saved_reply_title on saved_reply (language, coalesce(marketplace_id, ''), lower(title))
  where deleted_at is null;
create index saved_reply_language on saved_reply (language, title) where deleted_at is null;
