-- Instances keep signed-in sessions and API keys in memory for a few seconds (identity/credential-cache.ts).
-- Any change that could end one — a session deleted, a key revoked, a user changed or disabled, by the
-- service or by hand — tells every instance at commit, and each forgets what it holds.
create function identity_changed() returns trigger language plpgsql as $$
begin
  if exists (select 1 from changed) then
    perform pg_notify('identity_changed', '');
  end if;
  return null;
end $$;

create trigger user_session_deleted after delete on user_session
  referencing old table as changed for each statement execute function identity_changed();
create trigger user_session_updated after update on user_session
  referencing old table as changed for each statement execute function identity_changed();
create trigger app_user_deleted after delete on app_user
  referencing old table as changed for each statement execute function identity_changed();
create trigger app_user_updated after update on app_user
  referencing old table as changed for each statement execute function identity_changed();
create trigger api_key_deleted after delete on api_key
  referencing old table as changed for each statement execute function identity_changed();
create trigger api_key_updated after update on api_key
  referencing old table as changed for each statement execute function identity_changed();
