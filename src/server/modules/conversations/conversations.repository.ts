// Conversations and their numbered messages. Every stored message is announced with pg_notify in the
// same transaction (the conversation and the number only, never the text): each instance's listener
// reads the message from the table and pushes it to its own sockets.
import { sql } from 'kysely';
import type { ChatButton } from '../../../contracts/chat';
import type { Db } from '../../platform/db';

export const CHAT_CHANNEL = 'chat';

export type ConversationRow = {
  id: string;
  marketplace_id: string;
  buyer_id: string;
  order_id: string | null;
  language: string;
  owner_kind: 'bot' | 'agent';
  owner_user_id: string | null;
  case_id: string | null;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
};

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
};

/** What the listener receives: a stored message (`s`), or someone typing (`t`); `u` also tells that user's sockets to follow. */
export type ChatNotice =
  | { c: string; s: number; u?: string }
  | { c: string; t: ChatAuthor; n: string | null; o: string };

export async function insertConversation(
  db: Db,
  c: { marketplaceId: string; buyerId: string; orderId: string | null; language: string; at: Date },
): Promise<ConversationRow> {
  const r = await sql<ConversationRow>`
    insert into conversation (marketplace_id, buyer_id, order_id, language, created_at, updated_at)
    values (${c.marketplaceId}, ${c.buyerId}::uuid, ${c.orderId}::uuid, ${c.language}, ${c.at}, ${c.at})
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
  await sql`select 1 from conversation where id = ${conversationId}::uuid for update`.execute(tx);
  if (m.clientMessageId) {
    const seen = await sql<{ seq: number }>`select seq from chat_message
      where conversation_id = ${conversationId}::uuid and client_message_id = ${m.clientMessageId}`.execute(
      tx,
    );
    if (seen.rows[0]) return { seq: seen.rows[0].seq, replay: true };
  }
  const r = await sql<{ seq: number }>`
    with next as (
      update conversation set last_seq = last_seq + 1, updated_at = ${at}
      where id = ${conversationId}::uuid returning last_seq
    )
    insert into chat_message (conversation_id, seq, author_kind, author_user_id, author_name, body, buttons,
      button_id, case_number, client_message_id, created_at)
    select ${conversationId}::uuid, next.last_seq, ${m.authorKind}, ${m.authorUserId ?? null}::uuid,
      ${m.authorName ?? null}, ${m.body}, ${m.buttons ? JSON.stringify(m.buttons) : null}::jsonb,
      ${m.buttonId ?? null}, ${m.caseNumber ?? null}, ${m.clientMessageId ?? null}, ${at}
    from next returning seq`.execute(tx);
  const seq = r.rows[0]!.seq;
  await notifyChat(tx, { c: conversationId, s: seq, ...(follower ? { u: follower } : {}) });
  return { seq, replay: false };
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
