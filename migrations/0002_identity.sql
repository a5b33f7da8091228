-- People and machines that call the API (SPEC A1).

create table app_user (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  display_name text not null,
  password_hash text not null,
  role text not null check (role in ('admin', 'supervisor', 'agent', 'claims_reviewer', 'seller', 'buyer')),
  seller_id uuid references seller (id),
  buyer_id uuid references buyer (id),
  languages text[] not null default '{}',
  created_at timestamptz not null default now(),
  disabled_at timestamptz,
  check ((role = 'seller') = (seller_id is not null)),
  check ((role = 'buyer') = (buyer_id is not null))
);

-- Only a SHA-256 of the session token is stored: a database leak does not leak live sessions.
create table user_session (
  token_hash bytea primary key,
  user_id uuid not null references app_user (id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index user_session_user_idx on user_session (user_id);

create table api_key (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  prefix text not null unique,
  key_hash bytea not null,
  scopes text[] not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
