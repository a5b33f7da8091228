// The phone channel: calls logged on a case, inbound calls matched to the buyer by number, and
// callbacks with a due time that comes back to the case owner as a durable timer.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { systemKey } from '../../platform/idempotency';
import { scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { type Actor, mustHandle } from './case-work';
import { findCase, insertCaseEvent } from './cases.repository';
import { type ContactResult, receiveContact } from './contacts';

export type CallLog = {
  caller: string;
  direction: 'inbound' | 'outbound';
  startedAt: Date;
  endedAt: Date | null;
  outcome: 'answered' | 'missed' | 'voicemail' | 'transferred' | 'in_progress';
  notes: string | null;
  externalCallId?: string | null;
};

export async function logCall(db: Db, caseRef: string, actor: Actor | null, call: CallLog, at: Date) {
  const c = await findCase(db, caseRef);
  if (!c) throw notFound('Case');
  // Like every case action: the owner agent or a supervisor (an inbound call, logged by the system, has no actor).
  if (actor) mustHandle(c, actor);
  if (call.endedAt && call.endedAt < call.startedAt) {
    throw new AppError('validation_failed', 'A call cannot end before it starts', [
      { path: 'body.endedAt', code: 'before_start', message: 'endedAt is before startedAt' },
    ]);
  }
  const r = await sql<{ id: string }>`
    insert into phone_call (case_id, external_call_id, caller, direction, started_at, ended_at, outcome, notes, logged_by)
    values (${c.id}::uuid, ${call.externalCallId ?? null}, ${call.caller}, ${call.direction}, ${call.startedAt}, ${call.endedAt},
      ${call.outcome}, ${call.notes}, ${actor?.userId ?? null})
    on conflict (external_call_id) do nothing returning id`.execute(db);
  if (r.rows[0]) {
    await insertCaseEvent(db, {
      caseId: c.id,
      kind: 'call_logged',
      actorKind: actor?.kind ?? 'system',
      actorUserId: actor?.userId,
      data: { direction: call.direction, outcome: call.outcome },
      at,
    });
  }
  return { callId: r.rows[0]?.id ?? null, caseNumber: c.case_number };
}

/** An inbound call: the caller's number finds the buyer; their open case continues, or a new one opens. */
export async function inboundCall(
  db: Db,
  call: { marketplaceId: string; callerNumber: string; externalCallId: string; startedAt: Date },
  at: Date,
): Promise<ContactResult> {
  const buyer = (
    await sql<{
      id: string;
    }>`select id from buyer where phone = ${call.callerNumber} order by created_at limit 1`.execute(db)
  ).rows[0];
  if (!buyer) throw notFound('Buyer with this phone number');
  const open = (
    await sql<{ case_number: string }>`select case_number from cs_case where buyer_id = ${buyer.id}::uuid
    and marketplace_id = ${call.marketplaceId} and status not in ('resolved', 'closed') order by updated_at desc limit 1`.execute(
      db,
    )
  ).rows[0];
  const latestOrder = open
    ? undefined
    : (
        await sql<{ external_id: string }>`select external_id from "order" where buyer_id = ${buyer.id}::uuid
        and marketplace_id = ${call.marketplaceId} order by ordered_at desc limit 1`.execute(db)
      ).rows[0];
  const result = await receiveContact(db, {
    idempotency: systemKey(`call:${call.externalCallId}`),
    marketplaceId: call.marketplaceId,
    channel: 'phone',
    sender: 'buyer',
    buyerId: buyer.id,
    sellerId: null,
    orderRef: latestOrder?.external_id ?? null,
    topic: 'other',
    language: null,
    // The number stays on the call's record for staff: the contact's text may reach a seller.
    body: 'Inbound phone call',
    caseNumber: open?.case_number ?? null,
    caseFoundBy: 'caller_number',
    at,
  });
  if (result.case) {
    await logCall(
      db,
      result.case.caseNumber,
      null,
      {
        caller: call.callerNumber,
        direction: 'inbound',
        startedAt: call.startedAt,
        endedAt: null,
        outcome: 'in_progress',
        notes: null,
        externalCallId: call.externalCallId,
      },
      at,
    );
  }
  // Nothing was quoted on a call: say that the number matched no open case, so a new one opened.
  if (result.case && result.reason !== 'continued_case')
    return {
      ...result,
      explanation: `The caller's number matches no open case of the buyer in ${call.marketplaceId}: a new case opens. ${result.explanation}`,
    };
  return result;
}

export async function requestCallback(
  db: Db,
  caseRef: string,
  phone: string,
  dueAt: Date,
  actor: Actor,
  at: Date,
) {
  const c = await findCase(db, caseRef);
  if (!c || (actor.kind === 'buyer' && c.buyer_id !== actor.buyerId)) throw notFound('Case');
  if (actor.kind !== 'buyer') mustHandle(c, actor);
  if (dueAt.getTime() < at.getTime() - 60_000) {
    throw new AppError('validation_failed', 'A callback cannot be due in the past', [
      { path: 'body.dueAt', code: 'in_the_past', message: 'dueAt is in the past' },
    ]);
  }
  const r = await sql<{ id: string }>`insert into callback_request (case_id, phone, due_at, requested_at)
    values (${c.id}::uuid, ${phone}, ${dueAt}, ${at}) returning id`.execute(db);
  const id = r.rows[0]!.id;
  await scheduleTimer(db, 'callback_due', id, dueAt, { callbackId: id });
  await insertCaseEvent(db, {
    caseId: c.id,
    kind: 'callback_requested',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    data: { dueAt: dueAt.toISOString() },
    at,
  });
  return { id, dueAt };
}

export const phoneTimerHandlers: TimerHandlers = {
  async callback_due(tx, payload, now) {
    const r = await sql<{ case_id: string; phone: string; done_at: Date | null }>`
      select case_id, phone, done_at from callback_request where id = ${String(payload.callbackId)}::uuid`.execute(
      tx,
    );
    const cb = r.rows[0];
    if (!cb || cb.done_at) return;
    await insertCaseEvent(tx, {
      caseId: cb.case_id,
      kind: 'callback_due',
      actorKind: 'system',
      data: { phone: cb.phone },
      at: now,
    });
  },
};
