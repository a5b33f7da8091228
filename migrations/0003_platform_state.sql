-- Small facts about this installation, e.g. that the demo marketplace has been loaded.
create table platform_state (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
