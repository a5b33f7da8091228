import { describe, expect, it } from 'vitest';
import {
  type CaseEvent,
  type CaseStatus,
  caseLanguage,
  clockRuns,
  mayWorkCase,
  nextStatus,
  parseQueue,
  pauseClock,
  resumeClock,
  warningAt,
} from './case-rules';

describe('case status transitions', () => {
  it.each([
    ['new', 'agent_replied', 'waiting_for_buyer'],
    ['waiting_for_buyer', 'buyer_wrote', 'waiting_for_agent'],
    ['waiting_for_agent', 'seller_asked', 'waiting_for_seller'],
    ['waiting_for_seller', 'seller_answered', 'waiting_for_agent'],
    ['waiting_for_seller', 'seller_overdue', 'waiting_for_agent'],
    ['waiting_for_agent', 'escalated', 'escalated'],
    ['escalated', 'buyer_wrote', 'escalated'],
    ['escalated', 'resolved', 'resolved'],
    ['resolved', 'buyer_wrote', 'reopened'],
    ['closed', 'buyer_wrote', 'reopened'],
    ['resolved', 'closed', 'closed'],
    ['reopened', 'agent_replied', 'waiting_for_buyer'],
    ['resolved', 'agent_replied', null],
    ['escalated', 'escalated', null],
    ['waiting_for_agent', 'seller_answered', null],
    ['waiting_for_agent', 'closed', null],
  ] as [CaseStatus, CaseEvent, CaseStatus | null][])('%s + %s → %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });

  it('runs the clock only while customer service owes the next move', () => {
    expect(
      ['new', 'waiting_for_agent', 'escalated', 'reopened'].every((s) => clockRuns(s as CaseStatus)),
    ).toBe(true);
    expect(
      ['waiting_for_buyer', 'waiting_for_seller', 'resolved', 'closed'].some((s) =>
        clockRuns(s as CaseStatus),
      ),
    ).toBe(false);
  });
});

describe('SLA clocks', () => {
  it('warns at the configured share of the allowed time', () => {
    const start = new Date('2026-03-12T09:00:00Z');
    expect(warningAt(start, new Date('2026-03-12T09:10:00Z'), 80).toISOString()).toBe(
      '2026-03-12T09:08:00.000Z',
    );
  });

  it('keeps the time left while paused', () => {
    const due = new Date('2026-03-12T10:00:00Z');
    const remaining = pauseClock(due, new Date('2026-03-12T09:45:00Z'));
    expect(remaining).toBe(15 * 60_000);
    expect(resumeClock(remaining, new Date('2026-03-13T08:00:00Z')).toISOString()).toBe(
      '2026-03-13T08:15:00.000Z',
    );
    expect(pauseClock(due, new Date('2026-03-12T11:00:00Z'))).toBe(0); // already breached
  });
});

describe('languages and queues', () => {
  const de = { languages: ['de', 'en', 'zh'], defaultLanguage: 'de' };
  it.each([
    ['en', 'it', { language: 'en', reason: 'named' }],
    ['zz', 'de', { language: null, reason: 'unsupported_language' }],
    ['it', null, { language: null, reason: 'unsupported_language' }],
    [null, 'zh', { language: 'zh', reason: 'buyer_language' }],
    [null, 'it', { language: 'de', reason: 'marketplace_default' }], // a buyer's language it does not speak
    [null, null, { language: 'de', reason: 'marketplace_default' }],
  ] as const)('named %s, buyer speaks %s → %o', (named, buyer, expected) => {
    expect(caseLanguage(named, buyer, de)).toEqual(expected);
  });

  it('reads a language queue, and nothing else, as one', () => {
    expect(parseQueue('IT:it')).toEqual({ marketplace: 'IT', language: 'it', premium: false });
    expect(parseQueue('DE:zh:premium')).toEqual({ marketplace: 'DE', language: 'zh', premium: true });
    for (const q of ['IT:supervisors', 'IT', 'it:it', 'IT:ita', 'IT:it:vip'])
      expect(parseQueue(q)).toBeNull();
  });

  it('lets the owner agent or a supervisor work a case, nobody else', () => {
    expect(mayWorkCase('u1', { kind: 'agent', userId: 'u1' })).toBe(true);
    expect(mayWorkCase('u1', { kind: 'supervisor', userId: 'u9' })).toBe(true);
    expect(mayWorkCase(null, { kind: 'supervisor', userId: 'u9' })).toBe(true);
    expect(mayWorkCase('u1', { kind: 'agent', userId: 'u2' })).toBe(false);
    expect(mayWorkCase(null, { kind: 'agent', userId: 'u2' })).toBe(false);
    expect(mayWorkCase('u1', { kind: 'buyer', userId: 'u1' })).toBe(false);
  });
});
