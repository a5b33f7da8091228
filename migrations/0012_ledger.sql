-- The seller ledger (SPEC L1, L2): append-only postings in balanced batches, each batch explained
-- by the decision that caused it and made exactly once (idempotency key).
create table ledger_account (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('seller', 'marketplace_refunds', 'marketplace_reimbursements', 'marketplace_fees')),
  seller_id uuid references seller (id),
  marketplace_id text not null references marketplace (id),
  currency char(3) not null,
  check ((kind = 'seller') = (seller_id is not null))
);
create unique index ledger_account_key on ledger_account (kind, coalesce(seller_id, '00000000-0000-0000-0000-000000000000'::uuid), marketplace_id, currency);

create table ledger_batch (
  id uuid primary key default gen_random_uuid(),
  idempotency_key text not null unique,
  decision_kind text not null,
  decision_id text not null,
  description text not null,
  posted_at timestamptz not null
);

create table ledger_posting (
  id bigint generated always as identity primary key,
  batch_id uuid not null references ledger_batch (id),
  account_id uuid not null references ledger_account (id),
  seller_id uuid,
  amount bigint not null check (amount <> 0),
  currency char(3) not null,
  posted_at timestamptz not null
);
create index ledger_posting_account on ledger_posting (account_id, posted_at);
create index ledger_posting_seller on ledger_posting (seller_id, posted_at);

-- Append-only: postings and batches are never changed or removed.
create function ledger_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is not allowed', tg_op, tg_table_name;
end $$;
create trigger ledger_posting_append_only before update or delete on ledger_posting for each row execute function ledger_is_append_only();
create trigger ledger_batch_append_only before update or delete on ledger_batch for each row execute function ledger_is_append_only();

-- Every batch balances to zero per currency, checked when its transaction commits.
create function ledger_batch_balances() returns trigger language plpgsql as $$
begin
  if exists (select 1 from ledger_posting where batch_id = new.batch_id group by currency having sum(amount) <> 0) then
    raise exception 'ledger batch % does not balance', new.batch_id;
  end if;
  return null;
end $$;
create constraint trigger ledger_posting_balanced after insert on ledger_posting deferrable initially deferred
  for each row execute function ledger_batch_balances();
