-- Product questions the detail page cannot answer go to the seller through the case log (SPEC K3):
-- the bot's question has no case, only the product, the marketplace, the language and the chat it
-- came from. The seller's answer is kept with the product and answers the next buyer who asks the
-- same (K2, M3); the seller can change or withdraw it. Owned by the seller-inbox module.
alter table case_log_request alter column case_id drop not null;
alter table case_log_request add column product_id uuid references product (id);
alter table case_log_request add column marketplace_id text references marketplace (id);
alter table case_log_request add column language text;
alter table case_log_request add column conversation_id uuid;
alter table case_log_request add constraint case_log_request_about
  check (case_id is not null or (product_id is not null and marketplace_id is not null and language is not null));

create table product_answer (
  id uuid primary key default gen_random_uuid(),
  product_id uuid not null references product (id),
  seller_id uuid not null references seller (id),
  marketplace_id text not null references marketplace (id),
  language text not null,
  question text not null,
  answer text not null,
  request_id uuid unique references case_log_request (id),
  status text not null check (status in ('active', 'withdrawn')),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  withdrawn_at timestamptz
);
create index product_answer_product on product_answer (product_id, marketplace_id, language) where status = 'active';
create index product_answer_seller on product_answer (seller_id, created_at desc);
