-- Durable timers: a row per future action (SLA warning, case-log due time, trial end…). Rows
-- survive restarts; any instance fires due ones, each exactly once (claimed with SKIP LOCKED).
create table timer (
  id bigint generated always as identity primary key,
  kind text not null,
  ref text not null,
  due_at timestamptz not null,
  payload jsonb not null default '{}',
  fired_at timestamptz,
  attempts integer not null default 0,
  last_error text,
  unique (kind, ref)
);
create index timer_due on timer (due_at) where fired_at is null;
