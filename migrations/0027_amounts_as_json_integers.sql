-- Amounts in stored JSON were strings of minor units ("1999") where every other payload sends a JSON
-- integer (1999). From now on they are written as integers; this turns the ones already stored, so a
-- claim's facts, a concession's limit, a pending webhook or notification reads the same as a new one.
create function pg_temp.json_amounts(j jsonb, keys text[]) returns jsonb language plpgsql immutable as $$
begin
  if jsonb_typeof(j) = 'object' then
    return coalesce((select jsonb_object_agg(k,
        case when k = any (keys) and jsonb_typeof(v) = 'string' and v #>> '{}' ~ '^-?[0-9]{1,15}$'
          then to_jsonb((v #>> '{}')::bigint) else pg_temp.json_amounts(v, keys) end)
      from jsonb_each(j) as e(k, v)), '{}'::jsonb);
  elsif jsonb_typeof(j) = 'array' then
    return coalesce((select jsonb_agg(pg_temp.json_amounts(v, keys) order by i)
      from jsonb_array_elements(j) with ordinality as a(v, i)), '[]'::jsonb);
  end if;
  return j;
end $$;

update reimbursement_claim set facts = pg_temp.json_amounts(facts, array['orderValue', 'items', 'shipping'])
  where facts::text ~ '"(orderValue|items|shipping)": "';
update claim_event set data = pg_temp.json_amounts(data, array['amount', 'total'])
  where data::text ~ '"(amount|total)": "';
update concession set explanation = pg_temp.json_amounts(explanation, array['limit'])
  where explanation::text ~ '"limit": "';
update webhook_event set data = pg_temp.json_amounts(data, array['amount', 'grantedAmount'])
  where data::text ~ '"(amount|grantedAmount)": "';
update notification set data = pg_temp.json_amounts(data, array['amount', 'grantedAmount'])
  where data::text ~ '"(amount|grantedAmount)": "';
update timer set payload = pg_temp.json_amounts(payload, array['amount', 'grantedAmount'])
  where kind in ('publish_event', 'notify_seller') and fired_at is null
    and payload::text ~ '"(amount|grantedAmount)": "';
