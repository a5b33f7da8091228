// Case search for agents and supervisors: by case number, order, buyer e-mail, status, queue and free
// text over the case's messages (PostgreSQL full-text, stemmed in the case's language, all of a case's
// messages in one row of case_search_text so a case holds the words together), newest first,
// a page at a time with a cursor (keyset, so page 1000 costs what page 1 does).
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { CaseStatus } from './case-rules';

export const SEARCH_LANGUAGES = ['it', 'es', 'fr', 'de', 'en'] as const;

export type CaseSearch = {
  caseNumber?: string;
  order?: string;
  buyerEmail?: string;
  status?: CaseStatus;
  queue?: string;
  marketplace?: string;
  /** Words to find in the case's messages (web-search syntax: "a phrase", -not, or). */
  text?: string;
  /** Stem the words as this language only; by default a word matches as any of the five languages. */
  textLanguage?: (typeof SEARCH_LANGUAGES)[number];
  cursor?: string;
  limit: number;
};

export type CaseHit = {
  id: string;
  case_number: string;
  status: CaseStatus;
  marketplace_id: string;
  language: string;
  channel: string;
  queue: string;
  topic: string;
  owner_kind: string;
  owner_name: string | null;
  buyer_name: string | null;
  order_number: string | null;
  due_at: Date | null;
  opened_at: Date;
  /** The case's live chat, the latest if several. */
  conversation_id: string | null;
};

type Cursor = { openedAt: Date; id: string };

export const encodeCursor = (c: Cursor) =>
  Buffer.from(`${c.openedAt.toISOString()}|${c.id}`, 'utf8').toString('base64url');

export function decodeCursor(text: string): Cursor {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const openedAt = new Date(at ?? '');
  if (Number.isNaN(openedAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? ''))
    throw new AppError('validation_failed', 'Invalid cursor', [
      {
        path: 'querystring.cursor',
        code: 'invalid_cursor',
        message: 'Use the nextCursor of a previous page',
      },
    ]);
  return { openedAt, id: id! };
}

const tsQuery = (language: string, text: string) =>
  sql`websearch_to_tsquery(case_search_config(${sql.lit(language)}), ${text})`;

/**
 * The words as any of the five languages (and unstemmed, for any other): a query the GIN indexes can
 * answer, and a superset of the match in the message's own language, which is then checked exactly.
 */
function anyLanguageQuery(text: string) {
  return sql.join(
    [...SEARCH_LANGUAGES, 'other'].map((l) => tsQuery(l, text)),
    sql` || `,
  );
}

/** The words in the language in `column`: each branch is a constant, computed once per query, not per row. */
function queryInLanguageOf(column: ReturnType<typeof sql.ref>, text: string) {
  return sql`(case ${column} ${sql.join(
    SEARCH_LANGUAGES.map((l) => sql`when ${sql.lit(l)} then ${tsQuery(l, text)}`),
    sql` `,
  )} else ${tsQuery('other', text)} end)`;
}

/** Whether case `c` holds the words, read in its own (or the given) language from its one row of words. */
function caseHasText(text: string, language: CaseSearch['textLanguage']) {
  const q = language ? tsQuery(language, text) : queryInLanguageOf(sql.ref('c.language'), text);
  // A scalar subquery: the case's row by its key, never the text index once per case.
  return sql`coalesce((select t.search_vector from case_search_text t where t.case_id = c.id) @@ ${q}, false)`;
}

// Up to this many cases with the words are read from the text index and sorted; beyond it, the
// words are frequent enough that checking the newest cases one by one finds a page sooner.
const FROM_INDEX_AT_MOST = 2000;
// The newest cases (matching the other filters) checked one by one before the text index is asked.
const WALK_FIRST = 300;
// The longest second walk; when a page would need more, the index is asked first.
const WALK_AT_MOST = 5000;

const HIT_COLUMNS = sql`c.id, c.case_number, c.status, c.marketplace_id, c.language, c.channel, c.queue, c.topic,
  c.owner_kind, u.display_name as owner_name, b.name as buyer_name, o.external_id as order_number,
  coalesce(c.next_response_due_at, c.first_response_due_at) as due_at, c.opened_at,
  (select v.id from conversation v where v.case_id = c.id order by v.updated_at desc limit 1) as conversation_id`;
const HIT_JOINS = sql`left join app_user u on u.id = c.owner_user_id
  left join buyer b on b.id = c.buyer_id
  left join "order" o on o.id = c.order_id`;

/**
 * The cases with the words among the newest `window` cases that match the other filters. A full page
 * (limit + 1) is the answer whatever lies beyond: every case after the window is older than all in it.
 */
async function newestWithText(db: Db, filters: RawBuilder<unknown>, s: CaseSearch, window: number) {
  const r = await sql<CaseHit>`select ${HIT_COLUMNS}
    from (select * from cs_case c where ${filters}
      order by c.opened_at desc, c.id desc limit ${window}) c ${HIT_JOINS}
    where ${caseHasText(s.text!, s.textLanguage)}
    order by c.opened_at desc, c.id desc limit ${s.limit + 1}`.execute(db);
  return r.rows;
}

/**
 * The page among the cases in `ids` (an SQL uuid[]), newest first: none when null or when there are
 * more than FROM_INDEX_AT_MOST of them. Each is read once, by id.
 */
const pageOf = (ids: RawBuilder<unknown>, withText: RawBuilder<unknown>, limit: number) => sql`
  select ${HIT_COLUMNS}
  -- offset 0 keeps the planner from walking all cases by date: these few are fetched by id.
  from (select * from cs_case c where c.id = any(${ids}) offset 0) c ${HIT_JOINS}
  where cardinality(${ids}) <= ${FROM_INDEX_AT_MOST} and ${withText}
  order by c.opened_at desc, c.id desc limit ${limit + 1}`;

/**
 * `page` (a query over `found.ids`, a uuid[]) and, from `found`'s one row, how many of the newest
 * cases walked had the words (`newest_hits`) and how many ids there were, in one statement.
 */
async function pageWithCount(db: Db, found: RawBuilder<unknown>, page: RawBuilder<unknown>) {
  const r = await sql<CaseHit & { newest_hits: number | null; candidates: number | null }>`
    with found as materialized (${found})
    select found.newest_hits, cardinality(found.ids) as candidates, hit.*
    from found left join lateral (${page}) hit on true`.execute(db);
  const hits = r.rows
    .filter((row) => row.id !== null)
    .map(({ newest_hits: _, candidates: __, ...hit }) => hit);
  return { newestHits: r.rows[0]!.newest_hits, candidates: r.rows[0]!.candidates, hits };
}

/**
 * A page of cases with the words, in up to three tries cheapest first, or null when the words are common
 * enough that the newest cases, checked one by one, fill the page. Each try returns only a full
 * answer (limit + 1 hits, or every hit), so a later try never changes the page, only its cost.
 */
async function textSearch(
  db: Db,
  filters: RawBuilder<unknown>,
  withText: RawBuilder<unknown>,
  s: CaseSearch,
): Promise<CaseHit[] | null> {
  // A rare word (an order code, a name): the GIN index over the cases' words (case_search_text,
  // 0075) lists its few cases. More than FROM_INDEX_AT_MOST of them: a walk answers sooner.
  const q = s.textLanguage ? tsQuery(s.textLanguage, s.text!) : anyLanguageQuery(s.text!);
  const fromIndex = sql`array(select case_search_candidates(${q}, ${FROM_INDEX_AT_MOST + 1}))`;
  // A second walk is twice as long as the share of the first one's cases with the words says fills
  // the page; with fewer hits than this it would pass WALK_AT_MOST, and the index is asked instead.
  const secondWalk = (hits: number) => Math.ceil((2 * WALK_FIRST * (s.limit + 1)) / hits);
  const fewestForSecondWalk = Math.ceil((2 * WALK_FIRST * (s.limit + 1)) / WALK_AT_MOST);

  // 1. A common word fills a page within the newest few cases: checking those costs a few ms, where
  // the index would list every case that holds it (100 ms for a word in one case of five). When
  // they hold too few, and too few for a second walk, the index is asked in the same statement.
  const first = await pageWithCount(
    db,
    sql`select w.n as newest_hits, case
        when w.n > ${s.limit} then w.ids
        when w.n >= ${fewestForSecondWalk} then null
        else ${fromIndex} end as ids
      from (select count(*)::int as n, array_agg(x.id) as ids from (
        select c.id from (select c.id, c.opened_at, c.language from cs_case c where ${filters}
          order by c.opened_at desc, c.id desc limit ${WALK_FIRST}) c
        where ${caseHasText(s.text!, s.textLanguage)}
        order by c.opened_at desc, c.id desc limit ${s.limit + 1}) x) w`,
    pageOf(sql`found.ids`, withText, s.limit),
  );
  if (first.newestHits! > s.limit) return first.hits;
  if (first.candidates !== null) return first.candidates > FROM_INDEX_AT_MOST ? null : first.hits;

  // 2. Words in several of the newest cases, not a page (two words together, a narrow filter).
  const second = await newestWithText(db, filters, s, secondWalk(first.newestHits!));
  if (second.length > s.limit) return second;
  // 3. Fewer than it looked: the index, as in 1.
  const last = await pageWithCount(
    db,
    sql`select null::int as newest_hits, ${fromIndex} as ids`,
    pageOf(sql`found.ids`, withText, s.limit),
  );
  return last.candidates! > FROM_INDEX_AT_MOST ? null : last.hits;
}

export async function searchCases(
  db: Db,
  s: CaseSearch,
): Promise<{ cases: CaseHit[]; nextCursor: string | null }> {
  const where = [sql`true`];
  if (s.caseNumber) where.push(sql`c.case_number = ${s.caseNumber.toUpperCase()}`);
  if (s.order) where.push(sql`c.order_id = (select id from "order" where external_id = ${s.order})`);
  if (s.buyerEmail)
    where.push(sql`c.buyer_id in (select id from buyer where lower(email) = lower(${s.buyerEmail}))`);
  if (s.status) where.push(sql`c.status = ${s.status}`);
  if (s.queue) where.push(sql`c.queue = ${s.queue}`);
  if (s.marketplace) where.push(sql`c.marketplace_id = ${s.marketplace}`);
  if (s.cursor) {
    const c = decodeCursor(s.cursor);
    where.push(sql`(c.opened_at, c.id) < (${c.openedAt}, ${c.id}::uuid)`);
  }
  let rows: CaseHit[] | null = null;
  if (s.text) {
    const filters = sql.join(where, sql` and `);
    // The words are in each case's own language: the index's candidates are checked again, so
    // "parcel -damaged" means the same whatever stemming matched.
    where.push(caseHasText(s.text, s.textLanguage));
    rows = await textSearch(db, filters, sql.join(where, sql` and `), s);
  }
  // No text, or words so common that the newest cases, checked one by one, fill a page soon.
  if (!rows) {
    const r = await sql<CaseHit>`select ${HIT_COLUMNS} from cs_case c ${HIT_JOINS}
      where ${sql.join(where, sql` and `)}
      order by c.opened_at desc, c.id desc
      limit ${s.limit + 1}`.execute(db);
    rows = r.rows;
  }
  const more = rows.length > s.limit;
  const cases = more ? rows.slice(0, s.limit) : rows;
  const last = cases.at(-1);
  return { cases, nextCursor: more && last ? encodeCursor({ openedAt: last.opened_at, id: last.id }) : null };
}
