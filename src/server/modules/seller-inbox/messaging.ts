// Buyer–seller messaging (R2, R3): contacts routed to the seller open a thread the seller answers
// and the buyer reads. The seller's response time is measured against a 24-hour target (S4).
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { scheduleTimer, type TimerHandlers } from '../../platform/timers';

export const SELLER_RESPONSE_TARGET_HOURS = 24;

export type ThreadRow = {
  id: string;
  marketplace_id: string;
  seller_id: string;
  buyer_id: string;
  order_id: string | null;
  topic: string;
  routing_reason: string;
  opened_at: Date;
  response_due_at: Date;
  first_seller_reply_at: Date | null;
};

export const messagingTimerHandlers: TimerHandlers = {
  /** Opens the thread for a contact that routing gave to the seller. Idempotent per contact. */
  async open_seller_thread(tx, payload, now) {
    const c = await sql<{
      id: string;
      marketplace_id: string;
      seller_id: string | null;
      buyer_id: string | null;
      order_id: string | null;
      topic: string;
      routing_reason: string;
      received_at: Date;
    }>`
      select id, marketplace_id, seller_id, buyer_id, order_id, topic, routing_reason, received_at from contact where id = ${String(payload.contactId)}::uuid`.execute(
      tx,
    );
    const contact = c.rows[0];
    if (!contact?.seller_id || !contact.buyer_id) return; // a pre-order question without a known seller stays unthreaded
    const opened = contact.received_at;
    const t = await sql<{ id: string }>`
      insert into buyer_seller_thread (contact_id, marketplace_id, seller_id, buyer_id, order_id, topic, routing_reason, opened_at, response_due_at)
      values (${contact.id}::uuid, ${contact.marketplace_id}, ${contact.seller_id}::uuid, ${contact.buyer_id}::uuid, ${contact.order_id},
        ${contact.topic}, ${contact.routing_reason}, ${opened}, ${new Date(opened.getTime() + SELLER_RESPONSE_TARGET_HOURS * 3_600_000)})
      on conflict (contact_id) do nothing returning id`.execute(tx);
    const threadId = t.rows[0]?.id;
    if (!threadId) return;
    await sql`insert into buyer_seller_message (thread_id, seller_id, author, body, sent_at)
      values (${threadId}::uuid, ${contact.seller_id}::uuid, 'buyer', ${String(payload.body)}, ${opened})`.execute(
      tx,
    );
    await scheduleTimer(tx, 'notify_seller', `thread:${threadId}`, now, {
      sellerId: contact.seller_id,
      category: 'buyer_messages',
      template: 'buyer_message',
      data: { threadId, topic: contact.topic },
    });
  },
};

export async function replyAsSeller(db: Db, threadId: string, sellerId: string, body: string, at: Date) {
  const r =
    await sql<ThreadRow>`select * from buyer_seller_thread where id = ${threadId}::uuid and seller_id = ${sellerId}::uuid for update`.execute(
      db,
    );
  const thread = r.rows[0];
  if (!thread) throw notFound('Thread');
  await sql`insert into buyer_seller_message (thread_id, seller_id, author, body, sent_at) values (${threadId}::uuid, ${sellerId}::uuid, 'seller', ${body}, ${at})`.execute(
    db,
  );
  if (!thread.first_seller_reply_at) {
    await sql`update buyer_seller_thread set first_seller_reply_at = ${at} where id = ${threadId}::uuid`.execute(
      db,
    );
  }
  return { ...thread, first_seller_reply_at: thread.first_seller_reply_at ?? at };
}

export async function buyerWrites(db: Db, threadId: string, buyerId: string, body: string, at: Date) {
  const r =
    await sql<ThreadRow>`select * from buyer_seller_thread where id = ${threadId}::uuid and buyer_id = ${buyerId}::uuid`.execute(
      db,
    );
  if (!r.rows[0]) throw notFound('Thread');
  await sql`insert into buyer_seller_message (thread_id, seller_id, author, body, sent_at) values (${threadId}::uuid, ${r.rows[0].seller_id}::uuid, 'buyer', ${body}, ${at})`.execute(
    db,
  );
}

/** Threads visible to one side: a seller's or a buyer's, newest first, with messages. */
export async function threadsOf(db: Db, side: { sellerId: string } | { buyerId: string }) {
  const filter =
    'sellerId' in side ? sql`t.seller_id = ${side.sellerId}::uuid` : sql`t.buyer_id = ${side.buyerId}::uuid`;
  const r = await sql<
    ThreadRow & {
      messages: { author: string; body: string; sent_at: string }[];
      order_external_id: string | null;
    }
  >`
    select t.*, o.external_id as order_external_id,
      coalesce((select json_agg(json_build_object('author', m.author, 'body', m.body, 'sent_at', m.sent_at) order by m.sent_at, m.id)
        from buyer_seller_message m where m.thread_id = t.id), '[]') as messages
    from buyer_seller_thread t left join "order" o on o.id = t.order_id where ${filter} order by t.opened_at desc limit 100`.execute(
    db,
  );
  return r.rows;
}

export function responseTime(thread: ThreadRow, now: Date) {
  const answeredAt = thread.first_seller_reply_at;
  const hours = ((answeredAt ?? now).getTime() - thread.opened_at.getTime()) / 3_600_000;
  return {
    answered: answeredAt !== null,
    hours: Math.round(hours * 10) / 10,
    withinTarget:
      answeredAt !== null
        ? answeredAt.getTime() <= thread.response_due_at.getTime()
        : now.getTime() <= thread.response_due_at.getTime(),
  };
}
