-- K6 limits are policy parameters too: effective from an instant, the latest one not after a grant applies.
alter table approval_limit add column effective_from timestamptz not null default '-infinity';
alter table approval_limit alter column effective_from drop default;
alter table approval_limit drop constraint approval_limit_pkey;
alter table approval_limit add primary key (marketplace_id, role, effective_from);
