-- Contact Us and the one-tag widget: how buyers reach each marketplace besides the chat, and which
-- sites may embed its chat (the framed page's CSP frame-ancestors, and the token hand-over).
alter table marketplace
  -- Unset: the inbound address support-<id>@MAIL_DOMAIN, which always works.
  add column support_email text check (support_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  add column support_phone text check (support_phone ~ '^\+?[0-9 ()./-]{4,32}$'),
  -- {"days":[1,2,3,4,5],"opens":"09:00","closes":"18:00"}: ISO weekdays, in the marketplace's time zone.
  add column support_phone_hours jsonb,
  -- Exact origins (scheme://host[:port]) of the operator's sites allowed to frame the chat.
  add column widget_origins text[] not null default '{}';
