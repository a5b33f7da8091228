// SLA clocks as durable timers (SPEC C8): a warning before the breach and the breach itself. A timer
// carries the due time it was set for; if the case has moved on since, it does nothing.
import type { Db } from '../../platform/db';
import { cancelTimer, type NewTimer, scheduleTimers, type TimerHandlers } from '../../platform/timers';
import { clockRuns, type SlaTargets, warningAt } from './case-rules';
import { type CaseRow, findCase, insertCaseEvent, slaTargets } from './cases.repository';

/** The due time the case's clock is running towards, if it runs. */
export function runningDue(c: CaseRow): Date | null {
  if (!clockRuns(c.status)) return null;
  return c.next_response_due_at ?? (c.first_responded_at ? null : c.first_response_due_at);
}

/** Re-arms the warning and breach timers after any change to the case. */
export async function syncSlaTimers(db: Db, c: CaseRow, now: Date, known?: SlaTargets): Promise<void> {
  const due = runningDue(c);
  if (!due) {
    await cancelTimer(db, 'sla_warning', c.id);
    await cancelTimer(db, 'sla_breach', c.id);
    return;
  }
  const { warningPercent } = known ?? (await slaTargets(db, c.marketplace_id, c.channel, now));
  await scheduleTimers(db, slaTimers(c.id, now, due, warningPercent));
}

/** The warning and breach timers of a clock running from `now` towards `due`. */
export function slaTimers(caseId: string, now: Date, due: Date, warningPercent: number): NewTimer[] {
  const payload = { caseId, dueAt: due.toISOString() };
  return [
    { kind: 'sla_warning', ref: caseId, dueAt: warningAt(now, due, warningPercent), payload },
    { kind: 'sla_breach', ref: caseId, dueAt: due, payload },
  ];
}

const onTimer =
  (kind: 'sla_warning' | 'sla_breached') => async (tx: Db, payload: Record<string, unknown>, now: Date) => {
    const c = await findCase(tx, String(payload.caseId));
    const due = c && runningDue(c);
    if (!c || !due || due.toISOString() !== payload.dueAt) return; // answered, paused or moved since
    await insertCaseEvent(tx, {
      caseId: c.id,
      kind,
      actorKind: 'system',
      data: { dueAt: payload.dueAt, ownerUserId: c.owner_user_id },
      at: now,
    });
  };

export const slaTimerHandlers: TimerHandlers = {
  sla_warning: onTimer('sla_warning'),
  sla_breach: onTimer('sla_breached'),
};
