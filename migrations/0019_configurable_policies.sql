-- D6 and T2 are configurable per marketplace: the seller's refund deadline in business days, and
-- the reimbursement policy (window, cap, buyer-damage share, automatic-grant delay, reply-by, appeal-by),
-- effective from an instant like every policy.
alter table return_policy add column seller_refund_business_days integer not null default 2
  check (seller_refund_business_days between 1 and 30);

create table claim_policy (
  marketplace_id text not null references marketplace (id),
  effective_from timestamptz not null,
  settings jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (marketplace_id, effective_from)
);
