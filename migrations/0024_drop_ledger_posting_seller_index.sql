-- Statements now read a seller's postings through its accounts (ledger_posting_account); nothing reads
-- postings by seller any more, so this index only cost every posting a write.
drop index if exists ledger_posting_seller;
