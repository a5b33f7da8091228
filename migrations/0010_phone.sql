-- The phone channel: calls logged on cases, and callbacks promised to buyers.
create table phone_call (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cs_case (id),
  external_call_id text unique,
  caller text not null,
  direction text not null check (direction in ('inbound', 'outbound')),
  started_at timestamptz not null,
  ended_at timestamptz,
  outcome text not null check (outcome in ('answered', 'missed', 'voicemail', 'transferred', 'in_progress')),
  notes text,
  logged_by uuid references app_user (id),
  check (ended_at is null or ended_at >= started_at)
);
create index phone_call_case on phone_call (case_id, started_at);

create table callback_request (
  id uuid primary key default gen_random_uuid(),
  case_id uuid not null references cs_case (id),
  phone text not null,
  due_at timestamptz not null,
  requested_at timestamptz not null,
  done_at timestamptz
);
create index callback_request_case on callback_request (case_id);
