-- A charge stands on its month's band (the run fixes the band first, always): one foreign key to the band
-- instead of one to the seller and one to the marketplace, which the band already references. The same
-- integrity, half the checks when the monthly run inserts 10,000 charges (each check is a lookup per row).
alter table fee_charge add constraint fee_charge_band foreign key (seller_id, marketplace_id, month)
  references fee_band (seller_id, marketplace_id, month);
alter table fee_charge drop constraint fee_charge_seller_id_fkey;
alter table fee_charge drop constraint fee_charge_marketplace_id_fkey;
