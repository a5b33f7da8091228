-- The product whose detail page a chat was opened from (SPEC K2): the bot greets with it and answers
-- questions about it from its page.
alter table conversation add column product_id uuid references product (id);
