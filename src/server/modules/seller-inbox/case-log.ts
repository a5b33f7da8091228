// The seller case log: customer service asks the seller, the seller answers within 24 hours
// (weekends and holidays included, S1) or the agent decides on its own judgment.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { cancelTimer, scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { type Actor, backFromSeller, findCase, waitForSeller } from '../cases';

export const CASE_LOG_DUE_HOURS = 24;

export type CaseLogRequestRow = {
  id: string;
  case_id: string;
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
  await backFromSeller(db, request.case_id, 'seller_answered', { requestId, answer, via }, at);
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
      case_number: string;
      order_external_id: string | null;
      ordered_at: Date | null;
      fulfilment_channel: string | null;
    }
  >`
    select q.*, c.case_number, o.external_id as order_external_id, o.ordered_at, o.fulfilment_channel
    from case_log_request q join cs_case c on c.id = q.case_id left join "order" o on o.id = q.order_id
    where q.seller_id = ${sellerId}::uuid order by q.asked_at desc limit 200`.execute(db);
  return r.rows;
}
