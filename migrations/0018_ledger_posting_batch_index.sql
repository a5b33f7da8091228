-- The balance check of every committed batch looks up the batch's postings: without this index it
-- scanned the whole posting table, so each posting cost more as the ledger grew.
create index ledger_posting_batch on ledger_posting (batch_id);
