-- Idempotency keys belong to their caller and operation (the scope: `buyer:<id>:contact`,
-- `user:<id>:concession`, `seller:<id>:claim`, … or `system` for keys the service derives itself) and
-- to the request first sent with them (its fingerprint, sha-256 of the canonical request). A key is
-- unique within its scope; the ledger's keys are all the service's own, so it keeps one global key.
--
-- Existing keys are rewritten into their scope where the row says who sent them; contact keys from
-- callers the row does not record go to scope `legacy`, which no new request matches. Rows stored
-- before fingerprints have none and replay as before.

alter table contact add column idempotency_scope text, add column idempotency_fingerprint text;
update contact set idempotency_scope =
    case when idempotency_key like 'call:%' or idempotency_key like 'email:%' then 'system' else 'legacy' end
  where idempotency_key is not null;
alter table contact drop constraint contact_idempotency_key_key,
  add constraint contact_idempotency_scope_key unique (idempotency_scope, idempotency_key),
  add check ((idempotency_scope is null) = (idempotency_key is null));

alter table "return" add column idempotency_scope text, add column idempotency_fingerprint text;
update "return" r set idempotency_scope = coalesce(
    case when r.decision->>'decidedBy' = 'policy' then 'buyer:' || c.buyer_id else 'user:' || (r.decision->>'decidedBy') end
      || ':return',
    'legacy')
  from cs_case c where c.id = r.case_id and r.idempotency_key is not null;
update "return" set idempotency_scope = 'legacy' where idempotency_key is not null and idempotency_scope is null;
alter table "return" drop constraint return_idempotency_key_key,
  add constraint return_idempotency_scope_key unique (idempotency_scope, idempotency_key),
  add check ((idempotency_scope is null) = (idempotency_key is null));

-- The refund deadline's automatic concessions (`deadline:<return>`) are the service's; the others name
-- the agent or supervisor who granted them.
alter table concession add column idempotency_scope text, add column idempotency_fingerprint text;
update concession set idempotency_scope =
  case when decided_by is null then 'system' else 'user:' || decided_by || ':concession' end;
alter table concession alter column idempotency_scope set not null,
  drop constraint concession_idempotency_key_key,
  add constraint concession_idempotency_scope_key unique (idempotency_scope, idempotency_key);

-- Claims were keyed `<seller id>:<key>`, reviewers' decisions `<claim id>:<key>`.
alter table reimbursement_claim add column idempotency_scope text, add column idempotency_fingerprint text;
update reimbursement_claim set idempotency_scope = 'seller:' || seller_id || ':claim',
  idempotency_key = substr(idempotency_key, length(seller_id::text) + 2)
  where idempotency_key like seller_id || ':%';
update reimbursement_claim set idempotency_scope = 'legacy' where idempotency_scope is null;
alter table reimbursement_claim alter column idempotency_scope set not null,
  drop constraint reimbursement_claim_idempotency_key_key,
  add constraint reimbursement_claim_idempotency_scope_key unique (idempotency_scope, idempotency_key);

alter table claim_event add column idempotency_scope text, add column idempotency_fingerprint text;
update claim_event set idempotency_scope = 'user:' || actor || ':claim_decision',
  idempotency_key = substr(idempotency_key, length(claim_id::text) + 2)
  where idempotency_key like claim_id || ':%';
update claim_event set idempotency_scope = 'legacy' where idempotency_key is not null and idempotency_scope is null;
alter table claim_event drop constraint claim_event_idempotency_key_key,
  add constraint claim_event_idempotency_scope_key unique (idempotency_scope, idempotency_key),
  add check ((idempotency_scope is null) = (idempotency_key is null));

alter table ledger_batch add column idempotency_fingerprint text;
