-- Case numbers from a sequence: no row lock that would serialise every contact of a marketplace.
-- Numbers stay unique and readable (IT-0000042); a rolled-back contact leaves a harmless gap.
create sequence case_number_seq;
select setval('case_number_seq', greatest(1, (select coalesce(max(last_value), 0) from case_counter)), (select count(*) > 0 from case_counter));
drop table case_counter;

-- Open cases per agent, kept with every change of owner or of openness, so that choosing the least
-- busy agent is an index read instead of a count over all cases.
alter table agent_profile add column open_cases integer not null default 0 check (open_cases >= 0);
update agent_profile p set open_cases = (select count(*) from cs_case c where c.owner_user_id = p.user_id
  and c.status not in ('resolved', 'closed'));
create index agent_profile_least_busy on agent_profile (open_cases, last_assigned_at nulls first) where available;
