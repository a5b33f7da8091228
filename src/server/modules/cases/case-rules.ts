// Pure rules of case work: status transitions, SLA clocks, languages, queues and who works a case
// (SPEC K1, C8).

import { type CaseStatus, caseStatuses } from '../../../contracts/cases';

export { type CaseStatus, caseStatuses };

export type CaseEvent =
  | 'buyer_wrote'
  | 'agent_replied'
  | 'seller_asked'
  | 'seller_answered'
  | 'seller_overdue'
  | 'escalated'
  | 'resolved'
  | 'closed';

/** The next status, or null when the event cannot happen in this status. */
export function nextStatus(current: CaseStatus, event: CaseEvent): CaseStatus | null {
  const open = current !== 'resolved' && current !== 'closed';
  switch (event) {
    case 'buyer_wrote':
      if (current === 'resolved' || current === 'closed') return 'reopened';
      return current === 'escalated' ? 'escalated' : 'waiting_for_agent';
    case 'agent_replied':
      return open ? 'waiting_for_buyer' : null;
    case 'seller_asked':
      return open ? 'waiting_for_seller' : null;
    case 'seller_answered':
    case 'seller_overdue':
      return current === 'waiting_for_seller' ? 'waiting_for_agent' : null;
    case 'escalated':
      return open && current !== 'escalated' ? 'escalated' : null;
    case 'resolved':
      return open ? 'resolved' : null;
    case 'closed':
      return current === 'resolved' ? 'closed' : null;
  }
}

/** Statuses in which the clock runs: customer service owes the next move. */
export const clockRuns = (s: CaseStatus) =>
  s === 'new' || s === 'waiting_for_agent' || s === 'escalated' || s === 'reopened';

export type SlaTargets = {
  firstResponseMinutes: number;
  nextResponseMinutes: number;
  warningPercent: number;
};

// Real time on chat and phone, two days on e-mail (SPEC C8); marketplaces override per channel.
export const DEFAULT_SLA: Record<'chat' | 'email' | 'phone', SlaTargets> = {
  chat: { firstResponseMinutes: 2, nextResponseMinutes: 5, warningPercent: 80 },
  phone: { firstResponseMinutes: 5, nextResponseMinutes: 30, warningPercent: 80 },
  email: { firstResponseMinutes: 2 * 24 * 60, nextResponseMinutes: 2 * 24 * 60, warningPercent: 80 },
};

export const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

/** When a warning is due before the breach at `due`, for a clock started at `start`. */
export function warningAt(start: Date, due: Date, warningPercent: number): Date {
  return new Date(start.getTime() + ((due.getTime() - start.getTime()) * warningPercent) / 100);
}

/** Stopping the clock keeps what was left; restarting it gives the new due time. */
export const pauseClock = (due: Date, now: Date) => Math.max(0, due.getTime() - now.getTime());
export const resumeClock = (remainingMs: number, now: Date) => new Date(now.getTime() + remainingMs);

/** The queue a case waits in: per marketplace and language, premium apart, supervisors apart. */
export const queueName = (marketplace: string, language: string, premium: boolean) =>
  `${marketplace}:${language}${premium ? ':premium' : ''}`;
export const supervisorQueue = (marketplace: string) => `${marketplace}:supervisors`;

export type QueueRef = { marketplace: string; language: string; premium: boolean };

/** A language queue's parts (`IT:it`, `IT:it:premium`); null for anything else, the supervisors' queue too. */
export function parseQueue(queue: string): QueueRef | null {
  const m = /^([A-Z]{2,8}):([a-z]{2})(:premium)?$/.exec(queue);
  return m ? { marketplace: m[1]!, language: m[2]!, premium: m[3] !== undefined } : null;
}

export type MarketplaceLanguages = { languages: readonly string[]; defaultLanguage: string };

/**
 * The language a new case is handled in, always one the marketplace speaks: the one the caller named,
 * else the buyer's when the marketplace speaks it, else the marketplace's default. A named language the
 * marketplace does not speak is refused: its queue would have no agent.
 */
export function caseLanguage(
  named: string | null,
  buyerLanguage: string | null,
  m: MarketplaceLanguages,
):
  | { language: string; reason: 'named' | 'buyer_language' | 'marketplace_default' }
  | { language: null; reason: 'unsupported_language' } {
  if (named !== null)
    return m.languages.includes(named)
      ? { language: named, reason: 'named' }
      : { language: null, reason: 'unsupported_language' };
  if (buyerLanguage !== null && m.languages.includes(buyerLanguage))
    return { language: buyerLanguage, reason: 'buyer_language' };
  return { language: m.defaultLanguage, reason: 'marketplace_default' };
}

/** Only the agent who owns the case, or a supervisor, works it: replies, concessions, returns… */
export const mayWorkCase = (
  ownerUserId: string | null,
  actor: { kind: 'agent' | 'supervisor' | 'buyer'; userId: string | null },
) => actor.kind === 'supervisor' || (actor.kind === 'agent' && ownerUserId === actor.userId);

/** What a contact that continues a case says about how it found the case. */
export const continuedBecause = (caseNumber: string, how: 'quoted' | 'caller_number') =>
  how === 'quoted'
    ? `The buyer quoted case ${caseNumber}: the same case continues.`
    : `The caller's number belongs to the buyer of open case ${caseNumber}: the call joins that case.`;
