-- What a record belongs to is set once (issue #14): cases, refunds and claims point at it. The
-- integration refuses such a change with `immutable_field`; these triggers keep any other writer,
-- or two imports racing on a new record, from moving history all the same.
create function identity_is_fixed() returns trigger language plpgsql as $$
begin
  raise exception '% %: what it belongs to cannot change once set', tg_table_name, old.external_id
    using errcode = 'integrity_constraint_violation';
end $$;
create trigger order_identity_is_fixed before update on "order" for each row
  when ((old.marketplace_id, old.seller_id, old.buyer_id, old.currency)
    is distinct from (new.marketplace_id, new.seller_id, new.buyer_id, new.currency))
  execute function identity_is_fixed();
create trigger product_identity_is_fixed before update on product for each row
  when (old.seller_id is distinct from new.seller_id) execute function identity_is_fixed();
create trigger shipment_identity_is_fixed before update on shipment for each row
  when ((old.order_id, old.seller_id) is distinct from (new.order_id, new.seller_id))
  execute function identity_is_fixed();
create trigger return_identity_is_fixed before update on "return" for each row
  when ((old.order_id, old.seller_id) is distinct from (new.order_id, new.seller_id))
  execute function identity_is_fixed();

-- M6: the commerce platform says when it refunded a return.
alter table "return" add column refunded_at timestamptz;

-- D6 applies only to receipts the service saw arrive while it covered the order. The scan judges
-- each received return once; the ones the deadline does not apply to are kept here, with the reason.
create table refund_deadline_waived (
  return_id uuid primary key references "return" (id),
  reason text not null check (reason in ('refunded_on_platform', 'received_before_known', 'seller_not_enrolled')),
  received_at timestamptz not null,
  decided_at timestamptz not null
);
