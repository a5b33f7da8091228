// Saved replies: texts per language (and optionally per marketplace) that agents send from a case, with
// placeholders filled from the case. Supervisors and admins keep them; agents read and use them.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';

export const SAVED_REPLY_LANGUAGES = ['it', 'es', 'fr', 'de', 'en'] as const;
export type SavedReplyLanguage = (typeof SAVED_REPLY_LANGUAGES)[number];

/** The placeholders a saved reply may use, each filled from the case it is sent in. */
export const PLACEHOLDERS = ['buyerName', 'orderNumber', 'caseNumber', 'agentName', 'marketplace'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Record<Placeholder, string | null>;

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Placeholders in `body` that are not known: a saved reply with one is refused when saved. */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(PLACEHOLDERS);
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!))].filter((name) => !known.has(name));
}

/**
 * The text the agent gets: each placeholder replaced by the case's value. A value the case lacks (no
 * order, say) is listed in `missing` and its placeholder is left in the text, so the agent sees it and
 * fills it in rather than sending a reply with a hole in it.
 */
export function renderSavedReply(
  body: string,
  values: PlaceholderValues,
): { text: string; missing: Placeholder[] } {
  const missing = new Set<Placeholder>();
  const text = body.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const value = values[name as Placeholder];
    if (value === null || value === '') {
      missing.add(name as Placeholder);
      return whole;
    }
    return value;
  });
  return { text, missing: [...missing] };
}

export type SavedReplyRow = {
  id: string;
  marketplace_id: string | null;
  language: SavedReplyLanguage;
  title: string;
  body: string;
  updated_at: Date;
};

export type SavedReplyInput = {
  marketplace: string | null;
  language: SavedReplyLanguage;
  title: string;
  body: string;
};

function checkPlaceholders(body: string) {
  const unknown = unknownPlaceholders(body);
  if (unknown.length > 0)
    throw new AppError(
      'validation_failed',
      `Unknown placeholder: ${unknown.join(', ')}`,
      unknown.map((name) => ({
        path: 'body.body',
        code: 'unknown_placeholder',
        message: `{{${name}}} is not one of ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}`,
      })),
    );
}

const duplicateTitle = () =>
  new AppError('conflict', 'A saved reply with this title exists for this language and marketplace');

async function checkMarketplace(db: Db, marketplace: string | null) {
  if (marketplace === null) return;
  const r = await sql`select 1 from marketplace where id = ${marketplace}`.execute(db);
  if (r.rows.length === 0)
    throw new AppError('unknown_reference', 'Unknown marketplace', [
      { path: 'body.marketplace', code: 'unknown_reference', message: `No marketplace ${marketplace}` },
    ]);
}

const COLUMNS = sql`id, marketplace_id, language, title, body, updated_at`;

export async function listSavedReplies(
  db: Db,
  filter: { language?: string; marketplace?: string },
): Promise<SavedReplyRow[]> {
  const r = await sql<SavedReplyRow>`select ${COLUMNS} from saved_reply where deleted_at is null
    ${filter.language ? sql`and language = ${filter.language}` : sql``}
    ${filter.marketplace ? sql`and (marketplace_id is null or marketplace_id = ${filter.marketplace})` : sql``}
    order by language, lower(title), id limit 500`.execute(db);
  return r.rows;
}

export async function findSavedReply(db: Db, id: string): Promise<SavedReplyRow> {
  const r = await sql<SavedReplyRow>`select ${COLUMNS} from saved_reply
    where id = ${id}::uuid and deleted_at is null`.execute(db);
  const row = r.rows[0];
  if (!row) throw notFound('Saved reply');
  return row;
}

export async function createSavedReply(db: Db, input: SavedReplyInput, by: string, at: Date) {
  checkPlaceholders(input.body);
  await checkMarketplace(db, input.marketplace);
  try {
    const r = await sql<SavedReplyRow>`insert into saved_reply
        (marketplace_id, language, title, body, created_by, updated_by, created_at, updated_at)
      values (${input.marketplace}, ${input.language}, ${input.title}, ${input.body}, ${by}::uuid, ${by}::uuid, ${at}, ${at})
      returning ${COLUMNS}`.execute(db);
    return r.rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw duplicateTitle();
    throw error;
  }
}

export async function updateSavedReply(db: Db, id: string, input: SavedReplyInput, by: string, at: Date) {
  checkPlaceholders(input.body);
  await checkMarketplace(db, input.marketplace);
  try {
    const r = await sql<SavedReplyRow>`update saved_reply set marketplace_id = ${input.marketplace},
        language = ${input.language}, title = ${input.title}, body = ${input.body},
        updated_by = ${by}::uuid, updated_at = ${at}
      where id = ${id}::uuid and deleted_at is null returning ${COLUMNS}`.execute(db);
    const row = r.rows[0];
    if (!row) throw notFound('Saved reply');
    return row;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw duplicateTitle();
    throw error;
  }
}

export async function deleteSavedReply(db: Db, id: string, by: string, at: Date) {
  const r = await sql`update saved_reply set deleted_at = ${at}, updated_by = ${by}::uuid, updated_at = ${at}
    where id = ${id}::uuid and deleted_at is null returning id`.execute(db);
  if (r.rows.length === 0) throw notFound('Saved reply');
}

/** The case's values for the placeholders; the agent's name is the caller's. */
export async function placeholderValues(
  db: Db,
  caseId: string,
  agentUserId: string,
): Promise<PlaceholderValues> {
  const r = await sql<{
    buyer_name: string | null;
    order_number: string | null;
    case_number: string;
    marketplace: string;
    agent_name: string | null;
  }>`select b.name as buyer_name, o.external_id as order_number, c.case_number, m.name as marketplace,
      (select display_name from app_user where id = ${agentUserId}::uuid) as agent_name
    from cs_case c
    join marketplace m on m.id = c.marketplace_id
    left join buyer b on b.id = c.buyer_id
    left join "order" o on o.id = c.order_id
    where c.id = ${caseId}::uuid`.execute(db);
  const row = r.rows[0];
  if (!row) throw notFound('Case');
  return {
    buyerName: row.buyer_name,
    orderNumber: row.order_number,
    caseNumber: row.case_number,
    agentName: row.agent_name,
    marketplace: row.marketplace,
  };
}
