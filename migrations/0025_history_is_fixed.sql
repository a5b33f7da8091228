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
