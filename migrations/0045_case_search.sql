-- Case search for the agent console (issue 17): by case number, order, buyer e-mail, status, queue and
-- free text over the case's messages, in the case's own language (PostgreSQL full-text, no extension).

-- The text-search configuration of a case language; 'simple' (no stemming) for any other language.
-- Immutable: a fixed mapping, so it can feed stored vectors and the query side alike.
create function case_search_config(language text) returns regconfig
language sql immutable parallel safe as $$
  select case language
    when 'it' then 'italian'::regconfig
    when 'es' then 'spanish'::regconfig
    when 'fr' then 'french'::regconfig
    when 'de' then 'german'::regconfig
    when 'en' then 'english'::regconfig
    else 'simple'::regconfig
  end
$$;

-- Messages between the buyer and customer service (e-mail, phone notes, replies): the vector is
-- stemmed in the case's language, filled on insert so the code that writes messages stays as it is.
alter table case_message add column search_vector tsvector;
create function case_message_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector := to_tsvector(
    case_search_config((select language from cs_case where id = new.case_id)), new.body);
  return new;
end
$$;
create trigger case_message_search_vector before insert or update of body on case_message
  for each row execute function case_message_search_vector();
update case_message m set search_vector = to_tsvector(case_search_config(c.language), m.body)
  from cs_case c where c.id = m.case_id;
create index case_message_search on case_message using gin (search_vector);

-- Live chat messages are searched too, once their conversation belongs to a case.
alter table chat_message add column search_vector tsvector;
create function chat_message_search_vector() returns trigger language plpgsql as $$
begin
  new.search_vector := to_tsvector(
    case_search_config((select language from conversation where id = new.conversation_id)), new.body);
  return new;
end
$$;
create trigger chat_message_search_vector before insert or update of body on chat_message
  for each row execute function chat_message_search_vector();
update chat_message m set search_vector = to_tsvector(case_search_config(c.language), m.body)
  from conversation c where c.id = m.conversation_id;
create index chat_message_search on chat_message using gin (search_vector);

-- The filters without text walk the newest cases first; these keep that walk short.
create index cs_case_opened on cs_case (opened_at desc, id desc);
create index cs_case_queue_opened on cs_case (queue, opened_at desc, id desc);
create index cs_case_status_opened on cs_case (status, opened_at desc, id desc);
-- Buyers are found by e-mail whatever its case.
create index buyer_email_lower on buyer (lower(email));
-- The supervisors' queue board reads only open cases.
create index cs_case_open_queue on cs_case (queue, marketplace_id) where status not in ('resolved', 'closed');
