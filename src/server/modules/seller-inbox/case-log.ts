// The seller case log: customer service asks the seller, the seller answers within 24 hours
// (weekends and holidays included, S1) or the agent decides on its own judgment.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { cancelTimer, scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { type Actor, backFromSeller, findCase, waitForSeller } from '../cases';
import { keepProductAnswer } from './product-answers';

export const CASE_LOG_DUE_HOURS = 24;

export type CaseLogRequestRow = {
  id: string;
  /** Null for a product question the chat bot asked (K3): the product, marketplace and language say what. */
  case_id: string | null;
  product_id: string | null;
  marketplace_id: string | null;
  language: string | null;
  conversation_id: string | null;
  seller_id: string;
  order_id: string | null;
  question: string;
  asked_at: Date;
  due_at: Date;
  status: 'open' | 'answered' | 'overdue';
  answer: string | null;
  answered_at: Date | null;
  answered_via: 'api' | 'email' | null;
};

export async function askSeller(
  db: Db,
  caseRef: string,
  actor: Actor,
  question: string,
  at: Date,
  dueHours = CASE_LOG_DUE_HOURS,
) {
  const c = await findCase(db, caseRef);
  if (!c) throw notFound('Case');
  if (!c.seller_id) throw new AppError('conflict', 'This case has no seller to ask');
  await waitForSeller(db, c.id, actor, question, at);
  const dueAt = new Date(at.getTime() + dueHours * 3_600_000);
  const r = await sql<CaseLogRequestRow>`
    insert into case_log_request (case_id, seller_id, order_id, question, asked_by, asked_at, due_at, status)
    values (${c.id}::uuid, ${c.seller_id}::uuid, ${c.order_id}, ${question}, ${actor.userId}, ${at}, ${dueAt}, 'open')
    returning *`.execute(db);
  const request = r.rows[0]!;
  await scheduleTimer(db, 'case_log_due', request.id, dueAt, { requestId: request.id });
  await scheduleTimer(db, 'notify_seller', `case_log:${request.id}`, at, {
    sellerId: c.seller_id,
    category: 'case_log',
    template: 'case_log_request',
    data: { requestId: request.id, question, dueAt: dueAt.toISOString(), caseNumber: c.case_number },
  });
  return request;
}

export type ProductQuestion = {
  productId: string;
  marketplaceId: string;
  language: string;
  question: string;
  /** The chat the question came from, to tell that buyer later. */
  conversationId: string | null;
  at: Date;
};

/**
 * The chat bot asks the seller a product question the detail page cannot answer (K3), in the case log
 * with its usual due time; the answer is kept with the product for the next buyer (`product_answer`).
 */
export async function askSellerAboutProduct(db: Db, q: ProductQuestion, dueHours = CASE_LOG_DUE_HOURS) {
  const product = (
    await sql<{
      id: string;
      seller_id: string;
      external_id: string;
    }>`select id, seller_id, external_id from product
      where id = ${q.productId}::uuid`.execute(db)
  ).rows[0];
  if (!product) throw notFound('Product');
  const dueAt = new Date(q.at.getTime() + dueHours * 3_600_000);
  const request = (
    await sql<CaseLogRequestRow>`
    insert into case_log_request (case_id, seller_id, order_id, question, asked_by, asked_at, due_at, status,
      product_id, marketplace_id, language, conversation_id)
    values (null, ${product.seller_id}::uuid, null, ${q.question}, null, ${q.at}, ${dueAt}, 'open',
      ${product.id}::uuid, ${q.marketplaceId}, ${q.language}, ${q.conversationId}::uuid)
    returning *`.execute(db)
  ).rows[0]!;
  await scheduleTimer(db, 'case_log_due', request.id, dueAt, { requestId: request.id });
  await scheduleTimer(db, 'notify_seller', `case_log:${request.id}`, q.at, {
    sellerId: product.seller_id,
    category: 'case_log',
    template: 'case_log_request',
    // The notice's reference: the product, since there is no case.
    data: {
      requestId: request.id,
      question: q.question,
      dueAt: dueAt.toISOString(),
      caseNumber: product.external_id,
    },
  });
  return request;
}

/** The seller answers (through the API or by replying to the notification e-mail). */
export async function answerRequest(
  db: Db,
  requestId: string,
  sellerId: string,
  answer: string,
  via: 'api' | 'email',
  at: Date,
) {
  const r =
    await sql<CaseLogRequestRow>`select * from case_log_request where id = ${requestId}::uuid and seller_id = ${sellerId}::uuid for update`.execute(
      db,
    );
  const request = r.rows[0];
  if (!request) throw notFound('Request');
  if (request.status !== 'open') throw new AppError('conflict', `This request is already ${request.status}`);
  await sql`update case_log_request set status = 'answered', answer = ${answer}, answered_at = ${at}, answered_via = ${via}
    where id = ${requestId}::uuid`.execute(db);
  await cancelTimer(db, 'case_log_due', requestId);
  if (request.case_id)
    await backFromSeller(db, request.case_id, 'seller_answered', { requestId, answer, via }, at);
  if (request.product_id) {
    await keepProductAnswer(db, request, answer, at);
    // The buyer who asked in the chat hears the answer there (the assistant, a higher module, says it).
    if (request.conversation_id)
      await scheduleTimer(db, 'tell_product_answer', request.id, at, {
        conversationId: request.conversation_id,
        productId: request.product_id,
        answer,
      });
  }
  return { ...request, status: 'answered' as const, answer, answered_at: at, answered_via: via };
}

export const caseLogTimerHandlers: TimerHandlers = {
  async case_log_due(tx, payload, now) {
    const r =
      await sql<CaseLogRequestRow>`select * from case_log_request where id = ${String(payload.requestId)}::uuid for update`.execute(
        tx,
      );
    const request = r.rows[0];
    if (request?.status !== 'open') return;
    await sql`update case_log_request set status = 'overdue' where id = ${request.id}::uuid`.execute(tx);
    if (!request.case_id) return; // a product question: nobody waits on it but the buyer, told the due time
    await backFromSeller(
      tx,
      request.case_id,
      'seller_overdue',
      { requestId: request.id, note: 'decide_on_own_judgment' },
      now,
    );
  },
};

/** The seller's requests, newest first, with the order's facts — never the buyer conversation (K5). */
export async function sellerRequests(db: Db, sellerId: string) {
  const r = await sql<
    CaseLogRequestRow & {
      case_number: string | null;
      product_external_id: string | null;
      order_external_id: string | null;
      ordered_at: Date | null;
      fulfilment_channel: string | null;
    }
  >`
    select q.*, c.case_number, p.external_id as product_external_id, o.external_id as order_external_id,
      o.ordered_at, o.fulfilment_channel
    from case_log_request q left join cs_case c on c.id = q.case_id left join "order" o on o.id = q.order_id
      left join product p on p.id = q.product_id
    where q.seller_id = ${sellerId}::uuid order by q.asked_at desc limit 200`.execute(db);
  return r.rows;
}
