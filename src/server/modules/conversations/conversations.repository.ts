// Conversations and their numbered messages. Every stored message is announced with pg_notify (the
// conversation and the number only, never the text) — in its transaction, or for a buyer's message
// just after its commit (chat-notices.ts): each instance's listener reads the message from the table
// and pushes it to its own sockets.
import { sql } from 'kysely';
import type { ChatButton } from '../../../contracts/chat';
import type { Db } from '../../platform/db';

export const CHAT_CHANNEL = 'chat';

export type ConversationRow = {
  id: string;
  marketplace_id: string;
  buyer_id: string;
  order_id: string | null;
  /** The product whose detail page the chat was opened from. */
  product_id: string | null;
  language: string;
  owner_kind: 'bot' | 'agent';
  owner_user_id: string | null;
  case_id: string | null;
  last_seq: number;
  /** A hand-off waiting for the buyer's choice of e-mail or a callback (no agent was available). */
  handoff_offer: HandoffOffer | null;
  bot_rating_requested_at: Date | null;
  /** Bumped by every update of the row (migration 0061): a write that read the row without a lock checks it. */
  version: number;
  /** The dialogue's state as the bot stored it (the bot module owns its shape; null before it spoke). */
  dialogue: unknown;
  created_at: Date;
  updated_at: Date;
};

export type HandoffOffer = { orderRef: string | null; caseNumber: string | null; at: string };

export type ChatAuthor = 'buyer' | 'bot' | 'agent' | 'system';

export type ChatMessageRow = {
  conversation_id: string;
  seq: number;
  author_kind: ChatAuthor;
  author_user_id: string | null;
  author_name: string | null;
  body: string;
  buttons: ChatButton[] | null;
  button_id: string | null;
  case_number: string | null;
  client_message_id: string | null;
  /** A system message asking the buyer to rate this subject (and this agent). */
  rating_subject: 'bot' | 'agent' | null;
  rating_user_id: string | null;
  created_at: Date;
};

export type NewChatMessage = {
  authorKind: ChatAuthor;
  authorUserId?: string | null;
  authorName?: string | null;
  body: string;
  buttons?: ChatButton[] | null;
  buttonId?: string | null;
  caseNumber?: string | null;
  clientMessageId?: string | null;
  rating?: { subject: 'bot' | 'agent'; userId: string | null } | null;
};

/**
 * What the listener receives: a stored message (`s`), someone typing (`t`), or a user's chat taken from
 * them (`r`, by `n`); `u` also tells that user's sockets to follow.
 */
export type ChatNotice =
  | { c: string; s: number; u?: string }
  | { c: string; t: ChatAuthor; n: string | null; o: string }
  | { c: string; r: string; n: string | null; w: ReleaseReason };

export type ReleaseReason = 'taken_over' | 'reassigned' | 'escalated' | 'resolved';

export async function insertConversation(
  db: Db,
  c: {
    marketplaceId: string;
    buyerId: string;
    orderId: string | null;
    productId?: string | null;
    language: string;
    at: Date;
  },
): Promise<ConversationRow> {
  const r = await sql<ConversationRow>`
    insert into conversation (marketplace_id, buyer_id, order_id, product_id, language, created_at, updated_at)
    values (${c.marketplaceId}, ${c.buyerId}::uuid, ${c.orderId}::uuid, ${c.productId ?? null}::uuid,
      ${c.language}, ${c.at}, ${c.at})
    returning *`.execute(db);
  return r.rows[0]!;
}

export async function findConversation(
  db: Db,
  id: string,
  lock = false,
): Promise<ConversationRow | undefined> {
  const r = await sql<ConversationRow>`select * from conversation where id = ${id}::uuid
    ${lock ? sql`for update` : sql``}`.execute(db);
  return r.rows[0];
}

export async function conversationsOfCases(db: Db, caseIds: string[]): Promise<ConversationRow[]> {
  if (caseIds.length === 0) return [];
  const r = await sql<ConversationRow>`select * from conversation where case_id = any(${caseIds}::uuid[])
    order by updated_at desc`.execute(db);
  return r.rows;
}

export async function setConversationOwner(
  db: Db,
  id: string,
  owner: { kind: 'bot' | 'agent'; userId: string | null; caseId: string | null; at: Date },
): Promise<void> {
  await sql`update conversation set owner_kind = ${owner.kind}, owner_user_id = ${owner.userId}::uuid,
    case_id = coalesce(${owner.caseId}::uuid, case_id), updated_at = ${owner.at} where id = ${id}::uuid`.execute(
    db,
  );
}

/**
 * Stores a message with the conversation's next number, in the caller's transaction, and announces it.
 * A message whose clientMessageId was stored before is not stored again: the first one's number is
 * returned with `replay`. The conversation row is locked first, so two copies sent at once queue here.
 */
export async function appendMessage(
  tx: Db,
  conversationId: string,
  m: NewChatMessage,
  at: Date,
  follower?: string,
): Promise<{ seq: number; replay: boolean }> {
  const stored = await appendMessages(tx, conversationId, [m], at, { announce: true, follower });
  return stored.replay ?? { seq: stored.rows[0]!.seq, replay: false };
}

export type AppendOptions = {
  /** The caller already holds the conversation's row lock (select … for update in this transaction). */
  locked?: boolean;
  /** pg_notify in this transaction; false when the caller announces after its commit (announceStored). */
  announce: boolean;
  /** That user's sockets follow the conversation on this notice. */
  follower?: string;
  /**
   * Store only if the conversation is still at this version (it was read without a lock): otherwise
   * nothing is stored and `conflict` is returned, and the caller stores the locked way.
   */
  expectVersion?: number;
  /** The dialogue's state (JSON) stored on the conversation in the same statement. */
  dialogue?: string;
  /** The bot's rating is asked for with these messages (C7): recorded in the same statement. */
  botRatingRequested?: boolean;
};

/**
 * Stores messages in order with the conversation's next numbers in one statement (the number update,
 * the insert, the dialogue's state and the notice travel together). When the first message's
 * clientMessageId was stored before, nothing is stored and that message's number comes back as `replay`
 * (only the first message of a batch may carry a client id: the buyer's, before the bot's replies).
 */
export async function appendMessages(
  tx: Db,
  conversationId: string,
  messages: NewChatMessage[],
  at: Date,
  options: AppendOptions,
): Promise<{ rows: ChatMessageRow[]; replay?: { seq: number; replay: true }; conflict?: true }> {
  if (messages.length === 0 && options.dialogue === undefined) return { rows: [] };
  const optimistic = options.expectVersion !== undefined;
  // The lock comes in its own statement: the duplicate check below then reads with a snapshot taken
  // after it, so a copy that waited for the lock sees the first copy's row. (An optimistic write needs
  // none: the version check fails if anyone wrote, and the unique index refuses a concurrent copy.)
  if (!options.locked && !optimistic)
    await sql`select 1 from conversation where id = ${conversationId}::uuid for update`.execute(tx);
  const clientMessageId = messages[0]?.clientMessageId ?? null;
  const input = JSON.stringify(
    messages.map((m) => ({
      author_kind: m.authorKind,
      author_user_id: m.authorUserId ?? null,
      author_name: m.authorName ?? null,
      body: m.body,
      buttons: m.buttons ?? null,
      button_id: m.buttonId ?? null,
      case_number: m.caseNumber ?? null,
      client_message_id: m.clientMessageId ?? null,
      rating_subject: m.rating?.subject ?? null,
      rating_user_id: m.rating?.userId ?? null,
    })),
  );
  const notice = options.announce
    ? sql`, told as (select pg_notify(${CHAT_CHANNEL}, jsonb_strip_nulls(jsonb_build_object('c', ${conversationId}::text,
        's', top, 'u', ${options.follower ?? null}::text))::text) from (select max(seq) as top from ins) x
        where top is not null)
      select ins.*, (select count(*) from told) as told from ins order by seq`
    : sql`select * from ins order by seq`;
  const r = await sql<ChatMessageRow>`
    with input as (
      select e.n, e.v from jsonb_array_elements(${input}::jsonb) with ordinality as e(v, n)
    ), next as (
      update conversation set last_seq = last_seq + ${messages.length}, updated_at = ${at}
        ${options.dialogue === undefined ? sql`` : sql`, dialogue = ${options.dialogue}::jsonb`}
        ${options.botRatingRequested ? sql`, bot_rating_requested_at = coalesce(bot_rating_requested_at, ${at})` : sql``}
      where id = ${conversationId}::uuid
        ${optimistic ? sql`and version = ${options.expectVersion}` : sql``}
        and not exists (select 1 from chat_message
        where conversation_id = ${conversationId}::uuid and client_message_id = ${clientMessageId})
      returning last_seq
    ), ins as (
      insert into chat_message (conversation_id, seq, author_kind, author_user_id, author_name, body, buttons,
        button_id, case_number, client_message_id, rating_subject, rating_user_id, created_at)
      select ${conversationId}::uuid, next.last_seq - ${messages.length} + i.n, i.v->>'author_kind',
        (i.v->>'author_user_id')::uuid, i.v->>'author_name', i.v->>'body', nullif(i.v->'buttons', 'null'::jsonb),
        i.v->>'button_id', i.v->>'case_number', i.v->>'client_message_id', i.v->>'rating_subject',
        (i.v->>'rating_user_id')::uuid, ${at}
      from next, input i returning *
    ) ${notice}`.execute(tx);
  if (r.rows.length > 0 || messages.length === 0)
    return { rows: r.rows.map(({ told: _, ...row }: ChatMessageRow & { told?: unknown }) => row) };
  if (optimistic) return { rows: [], conflict: true };
  const seen = await sql<{ seq: number }>`select seq from chat_message
    where conversation_id = ${conversationId}::uuid and client_message_id = ${clientMessageId}`.execute(tx);
  if (!seen.rows[0]) throw new Error(`conversation ${conversationId} not found`);
  return { rows: [], replay: { seq: seen.rows[0].seq, replay: true } };
}

/**
 * Announces messages stored by transactions that have committed (appendMessages with announce false):
 * one statement for many conversations (a notice per conversation, with its latest number).
 */
export async function announceStored(db: Db, stored: { c: string; s: number }[]): Promise<void> {
  if (stored.length === 0) return;
  const payloads = stored.map((n) => JSON.stringify(n satisfies ChatNotice));
  await sql`select pg_notify(${CHAT_CHANNEL}, p) from unnest(${payloads}::text[]) p`.execute(db);
}

/** A conversation read for a buyer's message: the row, the number of a copy already stored, the buttons on offer. */
export async function conversationForMessage(
  db: Db,
  id: string,
  clientMessageId: string | null,
): Promise<(ConversationRow & { replay_seq: number | null; offered: ChatButton[] | null }) | undefined> {
  const r = await sql<ConversationRow & { replay_seq: number | null; offered: ChatButton[] | null }>`
    select c.*,
      (select m.seq from chat_message m where m.conversation_id = c.id and m.client_message_id = ${clientMessageId})
        as replay_seq,
      (select m.buttons from chat_message m where m.conversation_id = c.id and m.buttons is not null
        order by m.seq desc limit 1) as offered
    from conversation c where c.id = ${id}::uuid`.execute(db);
  return r.rows[0];
}

export async function notifyChat(db: Db, notice: ChatNotice): Promise<void> {
  await sql`select pg_notify(${CHAT_CHANNEL}, ${JSON.stringify(notice)})`.execute(db);
}

export async function messagesAfter(
  db: Db,
  conversationId: string,
  afterSeq: number,
  limit = 200,
): Promise<ChatMessageRow[]> {
  const r = await sql<ChatMessageRow>`select * from chat_message
    where conversation_id = ${conversationId}::uuid and seq > ${afterSeq} order by seq limit ${limit}`.execute(
    db,
  );
  return r.rows;
}

/** The buttons the latest bot message offered, to read a pressed button's label. */
export async function lastOfferedButtons(db: Db, conversationId: string): Promise<ChatButton[]> {
  const r = await sql<{ buttons: ChatButton[] }>`select buttons from chat_message
    where conversation_id = ${conversationId}::uuid and buttons is not null order by seq desc limit 1`.execute(
    db,
  );
  return r.rows[0]?.buttons ?? [];
}

export async function caseNumberOf(db: Db, conversationId: string): Promise<string | null> {
  const r = await sql<{ case_number: string | null }>`select case_number from chat_message
    where conversation_id = ${conversationId}::uuid and case_number is not null order by seq desc limit 1`.execute(
    db,
  );
  return r.rows[0]?.case_number ?? null;
}

export async function setHandoffOffer(db: Db, id: string, offer: HandoffOffer | null): Promise<void> {
  await sql`update conversation set handoff_offer = ${offer ? JSON.stringify(offer) : null}::jsonb
    where id = ${id}::uuid`.execute(db);
}

/** The dialogue's phase as the bot left it (the bot module owns its meaning; null before it spoke). */
export async function dialoguePhase(db: Db, id: string): Promise<string | null> {
  const r = await sql<{ phase: string | null }>`select dialogue->>'phase' as phase from conversation
    where id = ${id}::uuid`.execute(db);
  return r.rows[0]?.phase ?? null;
}

/** True the first time only: the bot's rating is asked for once per conversation. */
export async function markBotRatingRequested(db: Db, id: string, at: Date): Promise<boolean> {
  const r = await sql`update conversation set bot_rating_requested_at = ${at}
    where id = ${id}::uuid and bot_rating_requested_at is null`.execute(db);
  return (r.numAffectedRows ?? 0n) > 0n;
}

/** The bot's rating was asked for and is not given yet: a buyer who comes back is asked again. */
export async function botRatingPending(db: Db, id: string): Promise<boolean> {
  const r = await sql<{
    pending: boolean;
  }>`select (c.bot_rating_requested_at is not null and c.owner_kind = 'bot'
      and not exists (select 1 from chat_rating r where r.conversation_id = c.id and r.subject = 'bot')) as pending
    from conversation c where c.id = ${id}::uuid`.execute(db);
  return r.rows[0]?.pending ?? false;
}

/** The last person (agent or supervisor) who wrote in the conversation. */
export async function lastPersonWhoWrote(
  db: Db,
  id: string,
): Promise<{ userId: string; name: string | null } | undefined> {
  const r = await sql<{ author_user_id: string; author_name: string | null }>`
    select author_user_id, author_name from chat_message
    where conversation_id = ${id}::uuid and author_kind = 'agent' and author_user_id is not null
    order by seq desc limit 1`.execute(db);
  const row = r.rows[0];
  return row ? { userId: row.author_user_id, name: row.author_name } : undefined;
}

export async function botHasWritten(db: Db, id: string): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from chat_message
    where conversation_id = ${id}::uuid and author_kind = 'bot'`.execute(db);
  return r.rows[0]!.n > 0;
}

export type ChatRating = {
  conversationId: string;
  caseId: string | null;
  subject: 'bot' | 'agent';
  ratedUserId: string | null;
  stars: number;
  solved: boolean;
  comment: string | null;
  at: Date;
};

/** Stores a rating; the same conversation, subject and agent rated again replaces it (the latest counts). */
export async function upsertRating(db: Db, r: ChatRating): Promise<'created' | 'updated'> {
  const res = await sql<{ created: boolean }>`
    insert into chat_rating (conversation_id, case_id, subject, rated_user_id, stars, solved, comment, rated_at, updated_at)
    values (${r.conversationId}::uuid, ${r.caseId}::uuid, ${r.subject}, ${r.ratedUserId}::uuid, ${r.stars},
      ${r.solved}, ${r.comment}, ${r.at}, ${r.at})
    on conflict (conversation_id, subject, rated_user_id) do update set stars = excluded.stars,
      solved = excluded.solved, comment = excluded.comment, updated_at = excluded.updated_at,
      case_id = coalesce(excluded.case_id, chat_rating.case_id)
    returning (xmax = 0) as created`.execute(db);
  return res.rows[0]!.created ? 'created' : 'updated';
}

/** A buyer's conversations on a marketplace, the latest message first. */
export async function conversationsOfBuyer(
  db: Db,
  buyerId: string,
  marketplaceId: string,
  limit: number,
): Promise<(ConversationRow & { last_message_at: Date })[]> {
  const r = await sql<ConversationRow & { last_message_at: Date }>`select * from (
      select c.*, coalesce((select max(m.created_at) from chat_message m where m.conversation_id = c.id),
        c.created_at) as last_message_at
      from conversation c where c.buyer_id = ${buyerId}::uuid and c.marketplace_id = ${marketplaceId}) x
    order by last_message_at desc, created_at desc, id limit ${limit}`.execute(db);
  return r.rows;
}

/** One of the buyer's conversations; another buyer's is not found, like none at all. */
export async function conversationOfBuyer(
  db: Db,
  id: string,
  buyerId: string,
): Promise<(ConversationRow & { last_message_at: Date }) | undefined> {
  const r = await sql<ConversationRow & { last_message_at: Date }>`select c.*,
      coalesce((select max(m.created_at) from chat_message m where m.conversation_id = c.id), c.created_at)
        as last_message_at
    from conversation c where c.id = ${id}::uuid and c.buyer_id = ${buyerId}::uuid`.execute(db);
  return r.rows[0];
}
