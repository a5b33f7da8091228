// Seller support (S5): a seller asks the operator how an order was resolved or about a charge. It is
// not buyer customer service: its own requests, answered by staff, with its own notification. Staff
// write the answer; the seller never sees the conversation between customer service and the buyer (K5).
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { scheduleTimer } from '../../platform/timers';

export const supportSubjects = ['order_resolution', 'charge', 'other'] as const;
export type SupportSubject = (typeof supportSubjects)[number];

export type SupportRow = {
  id: string;
  seller_id: string;
  seller_external_id: string;
  marketplace_id: string | null;
  subject: SupportSubject;
  order_external_id: string | null;
  charge_month: string | null;
  question: string;
  status: 'open' | 'answered';
  asked_at: Date;
  answer: string | null;
  answered_at: Date | null;
};

const select = sql`
  select r.id, r.seller_id, s.external_id as seller_external_id, r.marketplace_id, r.subject, o.external_id as order_external_id,
    r.charge_month, r.question, r.status, r.asked_at, r.answer, r.answered_at
  from seller_support_request r join seller s on s.id = r.seller_id left join "order" o on o.id = r.order_id`;

export async function askSellerSupport(
  tx: Db,
  q: {
    sellerId: string;
    userId: string;
    subject: SupportSubject;
    marketplaceId: string | null;
    orderRef: string | null;
    chargeMonth: string | null;
    question: string;
    now: Date;
  },
) {
  let orderId: string | null = null;
  let marketplaceId = q.marketplaceId;
  if (q.orderRef) {
    // Only the seller's own order: another seller's is not found.
    const r = await sql<{ id: string; marketplace_id: string }>`
      select id, marketplace_id from "order" where external_id = ${q.orderRef} and seller_id = ${q.sellerId}::uuid`.execute(
      tx,
    );
    if (!r.rows[0]) throw notFound('Order');
    orderId = r.rows[0].id;
    marketplaceId ??= r.rows[0].marketplace_id;
  }
  if (q.subject === 'order_resolution' && !orderId)
    throw new AppError('validation_failed', 'Name the order', [
      { path: 'orderRef', code: 'required', message: 'the order the question is about' },
    ]);
  if (q.subject === 'charge' && !q.chargeMonth)
    throw new AppError('validation_failed', 'Name the month of the charge', [
      { path: 'chargeMonth', code: 'required', message: 'YYYY-MM' },
    ]);
  if (marketplaceId) {
    const m = await sql`select 1 from marketplace where id = ${marketplaceId}`.execute(tx);
    if (m.rows.length === 0) throw notFound('Marketplace');
  }
  const r = await sql<{ id: string }>`
    insert into seller_support_request (seller_id, marketplace_id, subject, order_id, charge_month, question, status, asked_by, asked_at)
    values (${q.sellerId}::uuid, ${marketplaceId}, ${q.subject}, ${orderId}::uuid, ${q.chargeMonth}, ${q.question}, 'open', ${q.userId}::uuid, ${q.now})
    returning id`.execute(tx);
  return (await supportRequest(tx, r.rows[0]!.id))!;
}

export async function supportRequest(db: Db, id: string, lock = false): Promise<SupportRow | undefined> {
  const r =
    await sql<SupportRow>`${select} where r.id = ${id}::uuid ${lock ? sql`for update of r` : sql``}`.execute(
      db,
    );
  return r.rows[0];
}

export async function supportRequests(db: Db, filter: { sellerId?: string; status?: string }) {
  const r = await sql<SupportRow>`${select} where true
    ${filter.sellerId ? sql`and r.seller_id = ${filter.sellerId}::uuid` : sql``}
    ${filter.status ? sql`and r.status = ${filter.status}` : sql``}
    order by r.asked_at desc limit 500`.execute(db);
  return r.rows;
}

export async function answerSellerSupport(
  tx: Db,
  a: { id: string; userId: string; answer: string; now: Date },
) {
  const request = await supportRequest(tx, a.id, true);
  if (!request) throw notFound('Seller support request');
  if (request.status !== 'open') throw new AppError('conflict', 'This request was already answered');
  await sql`update seller_support_request set status = 'answered', answer = ${a.answer}, answered_by = ${a.userId}::uuid,
    answered_at = ${a.now} where id = ${a.id}::uuid`.execute(tx);
  await scheduleTimer(tx, 'notify_seller', `seller_support:${a.id}`, a.now, {
    sellerId: request.seller_id,
    category: 'seller_support',
    template: 'seller_support_answer',
    data: {
      subject: request.subject,
      orderRef: request.order_external_id ?? '',
      month: request.charge_month ?? '',
      answer: a.answer,
    },
  });
  return (await supportRequest(tx, a.id))!;
}
