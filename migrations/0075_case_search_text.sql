-- Case search by words (issue 17), one row per case: the words of all its messages (e-mails, call
-- notes, replies, and the live chats of its conversations) in one tsvector, so a single GIN lookup
-- lists the cases that hold a word and one row per case answers "does this case hold it?", where the
-- search used to read each message of each hit again (0045).
--
-- Maintained on write by the triggers below, whatever code stores the message: a new message's vector
-- (stemmed by 0045's triggers in the case's, or the conversation's, language) is appended to its case's
-- row; a changed body, or a conversation joining a case, rebuilds the rows concerned from the messages.

create table case_search_text (
  case_id uuid primary key references cs_case (id),
  search_vector tsvector not null
);

-- `a || b` unless the result would pass a tsvector's limit (1 MB of lexemes; tens of thousands of
-- distinct words): then the case keeps the words it had, rather than refusing the message.
create function case_search_append(current tsvector, added tsvector) returns tsvector
language plpgsql immutable parallel safe as $$
begin
  if current is null then return added; end if;
  if added is null then return current; end if;
  -- Counting lexemes is cheap; their bytes are summed only for a case that is already very large.
  if length(current) + length(added) > 20000
    and octet_length(array_to_string(tsvector_to_array(current) || tsvector_to_array(added), '')) > 1000000
  then
    return current;
  end if;
  return current || added;
end
$$;

create aggregate case_search_concat(tsvector) (sfunc = case_search_append, stype = tsvector);

-- The row of a case built again from all its messages, in the order they were written (e-mails and
-- chats by time), as the triggers append them.
create function case_search_rebuild(target uuid) returns void language sql as $$
  insert into case_search_text as t (case_id, search_vector)
  select target, coalesce(case_search_concat(x.v order by x.at, x.part, x.n), ''::tsvector)
  from (
    select m.search_vector as v, 0 as part, m.sent_at as at, m.id as n
      from case_message m where m.case_id = target
    union all
    select cm.search_vector, 1, cm.created_at, cm.seq
      from conversation v join chat_message cm on cm.conversation_id = v.id where v.case_id = target
  ) x
  on conflict (case_id) do update set search_vector = excluded.search_vector
$$;

create function case_message_search_text() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into case_search_text as t (case_id, search_vector)
      values (new.case_id, coalesce(new.search_vector, ''::tsvector))
      on conflict (case_id) do update
        set search_vector = case_search_append(t.search_vector, excluded.search_vector);
  else
    perform case_search_rebuild(new.case_id);
  end if;
  return null;
end
$$;
-- After 0045's "before" trigger, so new.search_vector is the message's stemmed words.
create trigger case_message_search_text after insert or update of body on case_message
  for each row execute function case_message_search_text();

create function chat_message_search_text() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into case_search_text as t (case_id, search_vector)
      select v.case_id, coalesce(new.search_vector, ''::tsvector)
      from conversation v where v.id = new.conversation_id and v.case_id is not null
      on conflict (case_id) do update
        set search_vector = case_search_append(t.search_vector, excluded.search_vector);
  else
    perform case_search_rebuild(v.case_id) from conversation v
      where v.id = new.conversation_id and v.case_id is not null;
  end if;
  return null;
end
$$;
create trigger chat_message_search_text after insert or update of body on chat_message
  for each row execute function chat_message_search_text();

-- A live chat handed to a case (or moved to another) brings its messages along.
create function conversation_search_text() returns trigger language plpgsql as $$
begin
  if new.case_id is not null then perform case_search_rebuild(new.case_id); end if;
  if old.case_id is not null then perform case_search_rebuild(old.case_id); end if;
  return null;
end
$$;
create trigger conversation_search_text after update of case_id on conversation
  for each row when (old.case_id is distinct from new.case_id)
  execute function conversation_search_text();

-- The rows of the cases that exist, then the index over them (built once, not grown row by row).
set local work_mem = '256MB';
insert into case_search_text (case_id, search_vector)
select x.case_id, case_search_concat(x.v order by x.at, x.part, x.n)
from (
  select m.case_id, m.search_vector as v, 0 as part, m.sent_at as at, m.id as n from case_message m
  union all
  select v.case_id, cm.search_vector, 1, cm.created_at, cm.seq
    from conversation v join chat_message cm on cm.conversation_id = v.id where v.case_id is not null
) x
group by x.case_id;
-- Every message rewrites its case's row, so all the case's words enter the index's pending list
-- again, and every search reads that whole list: capped at 512 kB (~1 ms to read), not the default
-- 4 MB (~10 ms at 1 M cases), the writer that fills it merging it into the index.
create index case_search_text_words on case_search_text using gin (search_vector)
  with (gin_pending_list_limit = 512);
analyze case_search_text;

-- The cases whose words may match `words`, at most `max`, from the GIN index. The planner cannot know
-- how rare a word is (an order code, a name) and may read every row in turn rather than ask the
-- index, which answers either way in milliseconds: here it is told to use it, in one round trip.
create function case_search_candidates(words tsquery, max integer) returns setof uuid
language sql stable rows 100 set enable_seqscan = off as $$
  select case_id from case_search_text where search_vector @@ words limit max
$$;

-- The messages' own indexes are read no more: the rows above answer every search.
drop index case_message_search;
drop index chat_message_search;
