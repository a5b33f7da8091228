import { describe, expect, it } from 'vitest';
import { botHelped, ratingSubject } from './chat-rating';

describe('whom a rating is about', () => {
  it.each([
    [
      { named: null, personWrote: true, botWrote: true },
      { subject: 'agent', reason: 'person_answered' },
    ],
    [
      { named: null, personWrote: false, botWrote: true },
      { subject: 'bot', reason: 'bot_answered' },
    ],
    [
      { named: null, personWrote: false, botWrote: false },
      { subject: null, reason: 'nobody_helped_yet' },
    ],
    [
      { named: 'bot' as const, personWrote: true, botWrote: true },
      { subject: 'bot', reason: 'named' },
    ],
    [
      { named: 'bot' as const, personWrote: true, botWrote: false },
      { subject: null, reason: 'bot_never_answered' },
    ],
    [
      { named: 'agent' as const, personWrote: false, botWrote: true },
      { subject: null, reason: 'no_person_answered' },
    ],
  ])('%o → %o', (r, expected) => {
    expect(ratingSubject(r)).toEqual(expected);
  });

  it('rates the bot once its dialogue has answered or the buyer is done', () => {
    expect(['anything_else', 'closed'].map(botHelped)).toEqual([true, true]);
    expect(['topics', 'with_person', null].map(botHelped)).toEqual([false, false, false]);
  });
});
