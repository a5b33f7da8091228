-- Late data (issue 18): a shipment, carrier scan or contest that arrives after a month was charged
-- revises the month's figures, and the difference is credited — or charged — through the ledger once.
-- A revision is a fee_adjustment without a contest; a negative credit is a further charge.
alter table fee_adjustment alter column contest_id drop not null;
alter table fee_adjustment add column revision integer;
alter table fee_adjustment drop constraint fee_adjustment_credit_check;
alter table fee_adjustment add constraint fee_adjustment_credit_check check (credit <> 0);
alter table fee_adjustment add constraint fee_adjustment_cause check ((contest_id is null) <> (revision is null));
create unique index fee_adjustment_revision on fee_adjustment (seller_id, marketplace_id, month, revision)
  where revision is not null;
-- The units a charged month stands on after its last revision (null: as charged), so a revision run
-- again on the same figures finds nothing changed.
alter table fee_charge add column revised_units integer check (revised_units >= 0);
alter table fee_charge add column revised_at timestamptz;
