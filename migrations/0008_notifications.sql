-- Notifications to sellers: in-app and e-mail, with preferences per category (SPEC S2, N1).
create table notification (
  id uuid primary key default gen_random_uuid(),
  seller_id uuid not null references seller (id),
  category text not null,
  template text not null,
  language text not null,
  subject text not null,
  body text not null,
  data jsonb not null default '{}',
  in_app boolean not null,
  email_to text,
  email_message_id text,
  created_at timestamptz not null,
  read_at timestamptz
);
create index notification_seller on notification (seller_id, created_at desc);

create table notification_preference (
  seller_id uuid not null references seller (id),
  category text not null,
  email boolean not null,
  in_app boolean not null,
  primary key (seller_id, category)
);
