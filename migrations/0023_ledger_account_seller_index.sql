-- A seller's accounts are looked up by seller (balances, statements): without this index each lookup
-- read every account (a sequential scan of 10,000 rows took ≈ 2 ms in the ledger bench).
create index ledger_account_seller on ledger_account (seller_id) where kind = 'seller';
