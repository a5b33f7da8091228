-- D6: once a return reaches the seller's warehouse, the seller refunds within 2 business days of the
-- marketplace's calendar; otherwise the marketplace refunds and charges the seller.
create table refund_deadline (
  return_id uuid primary key references "return" (id),
  order_id uuid not null references "order" (id),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  received_at timestamptz not null,
  due_at timestamptz not null,
  status text not null check (status in ('open', 'refunded_by_seller', 'refunded_by_marketplace')),
  resolved_at timestamptz,
  concession_id uuid references concession (id)
);
create index refund_deadline_open on refund_deadline (due_at) where status = 'open';
