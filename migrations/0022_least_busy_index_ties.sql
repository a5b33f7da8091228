-- The least-busy agent is chosen by (open cases, last assignment, id): with the id in the index too,
-- agents tied on the first two (all new agents, at the start of a day) are read in order instead of
-- being gathered and sorted on every assignment.
drop index agent_profile_least_busy;
create index agent_profile_least_busy on agent_profile (open_cases, last_assigned_at nulls first, user_id) where available;
