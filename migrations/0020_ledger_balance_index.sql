-- A seller's balance sums its account's postings: carrying the amount in the index lets that be an
-- index-only scan instead of one heap visit per posting.
drop index ledger_posting_account;
create index ledger_posting_account on ledger_posting (account_id, posted_at) include (amount);
