// Operator metrics (issue 18 item 9): contacts per routing reason, bot containment and hand-off,
// satisfaction (the bot and people apart), first response against the SLA, resolution time and the
// backlog — per marketplace, language and channel, per local day; and the same for the last 24 hours as
// Prometheus gauges at /metrics. Read from cases, contacts, ratings and conversations; nothing stored.
import { sql } from 'kysely';
import { Gauge, Registry } from 'prom-client';
import type { Db } from '../../platform/db';

type Key = { day: string; marketplace: string; language: string; channel: string };
export type DailyMetrics = Key & {
  contacts: number;
  contactsByReason: Record<string, number>;
  casesOpened: number;
  firstResponses: number;
  firstResponsesWithinSla: number;
  avgFirstResponseSeconds: number | null;
  resolved: number;
  avgResolutionSeconds: number | null;
  /** The backlog: cases of this marketplace, language and channel still open when the local day ended. */
  openAtDayEnd: number;
  chats: number;
  chatsHandedOff: number;
  botContainment: number | null;
  handOffRate: number | null;
  ratingsBot: number;
  avgStarsBot: number | null;
  ratingsPeople: number;
  avgStarsPeople: number | null;
};

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** One row per local day, marketplace, language and channel between two instants. */
export async function dailyMetrics(
  db: Db,
  from: Date,
  to: Date,
  marketplaceId?: string,
): Promise<DailyMetrics[]> {
  const mk = marketplaceId ? sql`and m.id = ${marketplaceId}` : sql``;
  const rows = new Map<string, DailyMetrics>();
  const row = (k: Key) => {
    const key = `${k.day}|${k.marketplace}|${k.language}|${k.channel}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        ...k,
        contacts: 0,
        contactsByReason: {},
        casesOpened: 0,
        firstResponses: 0,
        firstResponsesWithinSla: 0,
        avgFirstResponseSeconds: null,
        resolved: 0,
        avgResolutionSeconds: null,
        openAtDayEnd: 0,
        chats: 0,
        chatsHandedOff: 0,
        botContainment: null,
        handOffRate: null,
        ratingsBot: 0,
        avgStarsBot: null,
        ratingsPeople: 0,
        avgStarsPeople: null,
      };
      rows.set(key, r);
    }
    return r;
  };
  type K = { day: string; marketplace: string; language: string; channel: string };
  const contacts = await sql<K & { reason: string; n: number }>`
    select to_char(c.received_at at time zone m.time_zone, 'YYYY-MM-DD') as day, m.id as marketplace,
      coalesce(k.language, '-') as language, c.channel, c.routing_reason as reason, count(*)::int as n
    from contact c join marketplace m on m.id = c.marketplace_id left join cs_case k on k.id = c.case_id
    where c.received_at >= ${from} and c.received_at < ${to} ${mk} group by 1, 2, 3, 4, 5`.execute(db);
  for (const c of contacts.rows) {
    const r = row(c);
    r.contacts += c.n;
    r.contactsByReason[c.reason] = (r.contactsByReason[c.reason] ?? 0) + c.n;
  }
  const cases = await sql<
    K & {
      opened: number;
      responded: number;
      within: number;
      first_s: string | null;
      resolved: number;
      resolution_s: string | null;
    }
  >`
    select to_char(k.opened_at at time zone m.time_zone, 'YYYY-MM-DD') as day, m.id as marketplace, k.language, k.channel,
      count(*)::int as opened, count(k.first_responded_at)::int as responded,
      (count(*) filter (where k.first_responded_at <= k.first_response_due_at))::int as within,
      avg(extract(epoch from k.first_responded_at - k.opened_at)) as first_s,
      count(k.resolved_at)::int as resolved, avg(extract(epoch from k.resolved_at - k.opened_at)) as resolution_s
    from cs_case k join marketplace m on m.id = k.marketplace_id
    where k.opened_at >= ${from} and k.opened_at < ${to} ${mk} group by 1, 2, 3, 4`.execute(db);
  for (const c of cases.rows) {
    const r = row(c);
    r.casesOpened = c.opened;
    r.firstResponses = c.responded;
    r.firstResponsesWithinSla = c.within;
    r.avgFirstResponseSeconds = num(c.first_s) === null ? null : Math.round(num(c.first_s)!);
    r.resolved = c.resolved;
    r.avgResolutionSeconds = num(c.resolution_s) === null ? null : Math.round(num(c.resolution_s)!);
  }
  // Each local day of the period: the cases opened before its end and not resolved by then.
  const open = await sql<K & { open: number }>`
    select to_char(d.day, 'YYYY-MM-DD') as day, m.id as marketplace, k.language, k.channel, count(*)::int as open
    from marketplace m
      cross join lateral generate_series((${from}::timestamptz at time zone m.time_zone)::date,
        (${to}::timestamptz at time zone m.time_zone)::date, interval '1 day') as d(day)
      join cs_case k on k.marketplace_id = m.id
        and k.opened_at < (d.day + interval '1 day') at time zone m.time_zone
        and (k.resolved_at is null or k.resolved_at >= (d.day + interval '1 day') at time zone m.time_zone)
    where true ${mk} group by 1, 2, 3, 4`.execute(db);
  for (const o of open.rows) row(o).openAtDayEnd = o.open;
  const chats = await sql<K & { chats: number; handed: number }>`
    select to_char(v.created_at at time zone m.time_zone, 'YYYY-MM-DD') as day, m.id as marketplace, v.language,
      'chat' as channel, count(*)::int as chats, count(v.case_id)::int as handed
    from conversation v join marketplace m on m.id = v.marketplace_id
    where v.created_at >= ${from} and v.created_at < ${to} ${mk} group by 1, 2, 3, 4`.execute(db);
  for (const c of chats.rows) {
    const r = row(c);
    r.chats = c.chats;
    r.chatsHandedOff = c.handed;
    r.handOffRate = c.chats ? c.handed / c.chats : null;
    r.botContainment = c.chats ? (c.chats - c.handed) / c.chats : null;
  }
  const ratings = await sql<K & { bot: boolean; n: number; stars: string }>`
    select to_char(g.rated_at at time zone m.time_zone, 'YYYY-MM-DD') as day, m.id as marketplace, k.language, k.channel,
      g.rated_owner_kind = 'bot' as bot, count(*)::int as n, avg(g.stars) as stars
    from case_rating g join cs_case k on k.id = g.case_id join marketplace m on m.id = k.marketplace_id
    where g.rated_at >= ${from} and g.rated_at < ${to} ${mk} group by 1, 2, 3, 4, 5`.execute(db);
  for (const g of ratings.rows) {
    const r = row(g);
    if (g.bot) [r.ratingsBot, r.avgStarsBot] = [g.n, Number(g.stars)];
    else [r.ratingsPeople, r.avgStarsPeople] = [g.n, Number(g.stars)];
  }
  return [...rows.values()].sort((a, b) =>
    `${a.day}${a.marketplace}${a.language}${a.channel}`.localeCompare(
      `${b.day}${b.marketplace}${b.language}${b.channel}`,
    ),
  );
}

/** Open cases now, per marketplace, language and channel. */
export async function backlog(db: Db) {
  const r = await sql<{ marketplace: string; language: string; channel: string; n: number }>`
    select marketplace_id as marketplace, language, channel, count(*)::int as n from cs_case
    where status not in ('resolved', 'closed') group by 1, 2, 3`.execute(db);
  return r.rows;
}

/** A Prometheus registry whose gauges are read from the database at each scrape (the last 24 hours). */
export function metricsRegistry(db: Db, clock: () => Date = () => new Date()) {
  const registry = new Registry();
  const labels = ['marketplace', 'language', 'channel'] as const;
  let last: Promise<DailyMetrics[]> | null = null;
  // One read per scrape, shared by the gauges.
  const recent = () => {
    if (!last) {
      const now = clock();
      last = dailyMetrics(db, new Date(now.getTime() - 86_400_000), now).finally(() =>
        setTimeout(() => (last = null), 0),
      );
    }
    return last;
  };
  const sum = async (pick: (m: DailyMetrics) => number, g: Gauge<string>) => {
    g.reset();
    const totals = new Map<string, { labels: Record<string, string>; v: number }>();
    for (const m of await recent()) {
      const l = { marketplace: m.marketplace, language: m.language, channel: m.channel };
      const key = JSON.stringify(l);
      totals.set(key, { labels: l, v: (totals.get(key)?.v ?? 0) + pick(m) });
    }
    for (const t of totals.values()) g.set(t.labels, t.v);
  };
  new Gauge({
    name: 'onbehalf_backlog_cases',
    help: 'Open cases now',
    labelNames: labels,
    registers: [registry],
    async collect() {
      this.reset();
      for (const b of await backlog(db))
        this.set({ marketplace: b.marketplace, language: b.language, channel: b.channel }, b.n);
    },
  });
  new Gauge({
    name: 'onbehalf_contacts_24h',
    help: 'Contacts received in the last 24 hours, per routing reason',
    labelNames: ['marketplace', 'channel', 'reason'],
    registers: [registry],
    async collect() {
      this.reset();
      const totals = new Map<string, number>();
      for (const m of await recent())
        for (const [reason, n] of Object.entries(m.contactsByReason)) {
          const key = JSON.stringify({ marketplace: m.marketplace, channel: m.channel, reason });
          totals.set(key, (totals.get(key) ?? 0) + n);
        }
      for (const [key, n] of totals) this.set(JSON.parse(key), n);
    },
  });
  const simple: [string, string, (m: DailyMetrics) => number][] = [
    ['onbehalf_cases_opened_24h', 'Cases opened in the last 24 hours', (m) => m.casesOpened],
    [
      'onbehalf_first_responses_24h',
      'First responses to cases opened in the last 24 hours',
      (m) => m.firstResponses,
    ],
    ['onbehalf_first_responses_within_sla_24h', 'Of those, within the SLA', (m) => m.firstResponsesWithinSla],
    ['onbehalf_cases_resolved_24h', 'Cases opened in the last 24 hours and resolved', (m) => m.resolved],
    ['onbehalf_chats_24h', 'Chats started in the last 24 hours', (m) => m.chats],
    ['onbehalf_chats_handed_off_24h', 'Of those, handed to a person', (m) => m.chatsHandedOff],
    ['onbehalf_ratings_bot_24h', 'Ratings of the bot in the last 24 hours', (m) => m.ratingsBot],
    ['onbehalf_ratings_people_24h', 'Ratings of people in the last 24 hours', (m) => m.ratingsPeople],
    [
      'onbehalf_stars_bot_sum_24h',
      'Sum of the bot’s stars (÷ ratings: the average)',
      (m) => m.ratingsBot * (m.avgStarsBot ?? 0),
    ],
    [
      'onbehalf_stars_people_sum_24h',
      'Sum of people’s stars (÷ ratings: the average)',
      (m) => m.ratingsPeople * (m.avgStarsPeople ?? 0),
    ],
  ];
  for (const [name, help, pick] of simple)
    new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      async collect() {
        await sum(pick, this);
      },
    });
  return registry;
}
