// Learning from people: when a person settles a case the bot could not, the buyer's first message and
// the case's topic become a suggestion; a reviewer accepts it with an intent (or rejects it), and
// accepted messages join the bot's training at the next start (`acceptedExamples`).
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { Example } from './corpus';
import { type Intent, intents, isBotLanguage } from './intents';
import { READ_CHARACTERS } from './understand';

export type Suggestion = {
  id: string;
  caseId: string;
  language: string;
  message: string;
  topic: string;
  status: 'pending' | 'accepted' | 'rejected';
  intent: Intent | null;
  createdAt: Date;
};

/**
 * Called when a person settles a case: every case a person settles is one the bot did not (a hand-off,
 * an e-mail read as `none` or unsure, a phone call). Once per case; nothing when the buyer never wrote.
 */
export async function suggestFromSettledCase(db: Db, caseId: string, at: Date): Promise<void> {
  await sql`
    insert into bot_suggestion (case_id, language, message, topic, created_at)
    select c.id, c.language, left(m.body, ${READ_CHARACTERS}), c.topic, ${at}
    from cs_case c
    join lateral (
      select body from case_message
      where case_id = c.id and author_kind = 'buyer' and btrim(body) <> ''
      order by sent_at, id limit 1
    ) m on true
    where c.id = ${caseId}
    on conflict (case_id) do nothing`.execute(db);
}

type Row = {
  id: string;
  case_id: string;
  language: string;
  message: string;
  topic: string;
  status: Suggestion['status'];
  intent: Intent | null;
  created_at: Date;
};
const toSuggestion = (r: Row): Suggestion => ({
  id: String(r.id),
  caseId: r.case_id,
  language: r.language,
  message: r.message,
  topic: r.topic,
  status: r.status,
  intent: r.intent,
  createdAt: r.created_at,
});

export async function listSuggestions(
  db: Db,
  status: Suggestion['status'] = 'pending',
  limit = 100,
): Promise<Suggestion[]> {
  const { rows } = await sql<Row>`
    select id, case_id, language, message, topic, status, intent, created_at from bot_suggestion
    where status = ${status} order by created_at, id limit ${limit}`.execute(db);
  return rows.map(toSuggestion);
}

/** Accepts a pending suggestion as an example of `intent`, or rejects it. */
export async function reviewSuggestion(
  db: Db,
  id: string,
  decision: { accept: true; intent: string } | { accept: false },
  reviewerId: string | null,
  at: Date,
): Promise<Suggestion> {
  if (!/^\d{1,18}$/.test(id)) throw notFound('suggestion');
  if (decision.accept && !(intents as readonly string[]).includes(decision.intent))
    throw new AppError('validation_failed', `unknown intent ${decision.intent}`, [
      { path: 'intent', code: 'invalid_value', message: `one of ${intents.join(', ')}` },
    ]);
  const { rows } = await sql<Row>`
    update bot_suggestion
    set status = ${decision.accept ? 'accepted' : 'rejected'}, intent = ${decision.accept ? decision.intent : null},
        reviewed_by = ${reviewerId}, reviewed_at = ${at}
    where id = ${id} and status = 'pending'
    returning id, case_id, language, message, topic, status, intent, created_at`.execute(db);
  if (rows[0]) return toSuggestion(rows[0]);
  const exists = await sql`select 1 from bot_suggestion where id = ${id}`.execute(db);
  if (exists.rows.length === 0) throw notFound('suggestion');
  throw new AppError('conflict', 'The suggestion was already reviewed');
}

/** The accepted messages, as examples for the bot's training (in the bot's languages only). */
export async function acceptedExamples(db: Db): Promise<Example[]> {
  const { rows } = await sql<{ language: string; message: string; intent: Intent }>`
    select language, message, intent from bot_suggestion where status = 'accepted' order by id`.execute(db);
  return rows.flatMap((r) =>
    isBotLanguage(r.language)
      ? [{ lang: r.language, intent: r.intent, text: r.message.replace(/\s+/g, ' ').trim() }]
      : [],
  );
}
