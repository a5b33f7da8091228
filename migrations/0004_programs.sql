-- The managed customer-service programme (SPEC P1–P6), effective-dated: the status at any past
-- instant is known, because routing and fees depend on it.

-- Programme rules per marketplace, effective from an instant (the latest one not in the future applies).
create table program_policy (
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  trial_days integer not null check (trial_days between 0 and 365),
  auto_enrol_new_sellers boolean not null,
  primary key (marketplace_id, effective_from)
);

-- One row per enrolment period; an open period has no withdrawal.
create table service_enrolment (
  id bigint generated always as identity primary key,
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  enrolled_at timestamptz not null,
  -- null when the period has no trial (every enrolment after the first)
  trial_ends_at timestamptz,
  withdrawn_at timestamptz,
  enrolled_by text not null check (enrolled_by in ('seller', 'admin', 'automatic')),
  check (trial_ends_at is null or trial_ends_at >= enrolled_at),
  check (withdrawn_at is null or withdrawn_at >= enrolled_at)
);
create unique index service_enrolment_one_open on service_enrolment (seller_id, marketplace_id) where withdrawn_at is null;
create index service_enrolment_seller on service_enrolment (seller_id, marketplace_id, enrolled_at);

-- Premium seller-fulfilled programme membership (SPEC P6), also effective-dated.
create table premium_membership (
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  valid_from timestamptz not null,
  valid_to timestamptz,
  primary key (seller_id, marketplace_id, valid_from),
  check (valid_to is null or valid_to > valid_from)
);
