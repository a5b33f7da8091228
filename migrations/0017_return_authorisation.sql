-- D1: each marketplace's return policy (window, per-category windows, holiday extension,
-- non-returnable categories); absent, the defaults of the code apply.
create table return_policy (
  marketplace_id text primary key references marketplace (id),
  window_days integer not null check (window_days between 1 and 365),
  category_window_days jsonb not null default '{}',
  holiday_extension jsonb,
  non_returnable_categories text[] not null default '{}',
  updated_at timestamptz not null default now()
);

-- Returns authorised by customer service keep the decision they rest on (D2, D7) and their case.
alter table "return" add column decision jsonb;
alter table "return" add column case_id uuid references cs_case (id);
alter table "return" add column idempotency_key text unique;
