-- D1: each marketplace's return policy (window, per-category windows, holiday extension,
-- non-returnable categories), effective from an instant: the latest one not after a decision's time
-- applies; absent, the defaults of the code.
create table return_policy (
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  window_days integer not null check (window_days between 1 and 365),
  category_window_days jsonb not null default '{}',
  holiday_extension jsonb,
  non_returnable_categories text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (marketplace_id, effective_from)
);

-- Returns authorised by customer service keep the decision they rest on (D2, D7) and their case.
alter table "return" add column decision jsonb;
alter table "return" add column case_id uuid references cs_case (id);
alter table "return" add column idempotency_key text unique;
