import { describe, expect, it } from 'vitest';
import { choiceOfButton, estimateWait, handOffPlan, quotedCaseNumber } from './chat-rules';
import { chatTextLanguages, chatTexts } from './chat-texts';

describe('the wait a buyer is told', () => {
  it.each([
    [
      { assigned: true, ahead: 9, agentsAvailable: 0 },
      { minutes: 1, reason: 'agent_assigned' },
    ],
    [
      { assigned: false, ahead: 0, agentsAvailable: 1 },
      { minutes: 6, reason: 'queue' },
    ],
    [
      { assigned: false, ahead: 3, agentsAvailable: 2 },
      { minutes: 12, reason: 'queue' },
    ],
    [
      { assigned: false, ahead: 0, agentsAvailable: 12 },
      { minutes: 1, reason: 'queue' },
    ],
    [
      { assigned: false, ahead: -1, agentsAvailable: 1 },
      { minutes: 6, reason: 'queue' },
    ],
    [
      { assigned: false, ahead: 4, agentsAvailable: 0 },
      { minutes: null, reason: 'no_agent_available' },
    ],
  ])('%o → %o', (queue, expected) => {
    expect(estimateWait(queue)).toEqual(expected);
  });
});

describe('what a hand-off does', () => {
  const base = { escalate: false, agentsOfLanguageAvailable: 1, buyerHasPhone: true, chosen: null };
  it.each([
    [base, { kind: 'chat', reason: 'agent_of_language_available' }],
    [
      { ...base, agentsOfLanguageAvailable: 0 },
      { kind: 'offer', choices: ['email', 'callback'], reason: 'no_agent_of_language' },
    ],
    [
      { ...base, agentsOfLanguageAvailable: 0, buyerHasPhone: false },
      { kind: 'offer', choices: ['email'], reason: 'no_agent_of_language' },
    ],
    [
      { ...base, agentsOfLanguageAvailable: 0, escalate: true },
      { kind: 'chat', reason: 'manager_asked' },
    ],
    [
      { ...base, chosen: 'email' as const },
      { kind: 'email', reason: 'buyer_chose' },
    ],
    [
      { ...base, chosen: 'callback' as const },
      { kind: 'callback', reason: 'buyer_chose' },
    ],
    [
      { ...base, chosen: 'callback' as const, buyerHasPhone: false },
      { kind: 'email', reason: 'no_phone_for_callback' },
    ],
  ])('%o → %o', (h, expected) => {
    expect(handOffPlan(h)).toEqual(expected);
  });

  it('reads the offer’s and the dialogue’s e-mail and callback buttons as a choice, nothing else', () => {
    expect(choiceOfButton('handoff:email')).toBe('email');
    expect(choiceOfButton('contact:callback')).toBe('callback');
    expect(choiceOfButton('handoff:fax')).toBeNull();
    expect(choiceOfButton('topic:order')).toBeNull();
    expect(choiceOfButton(null)).toBeNull();
  });
});

describe('a quoted case number', () => {
  it('is the first of the marketplace’s, in any case of letters', () => {
    expect(quotedCaseNumber(['ciao', 'il caso it-0000042 e IT-0000043'], 'IT')).toBe('IT-0000042');
    expect(quotedCaseNumber(['caso ES-0000042'], 'IT')).toBeNull();
    expect(quotedCaseNumber(['IT-00000421'], 'IT')).toBeNull();
    expect(quotedCaseNumber([], 'IT')).toBeNull();
  });
});

describe('the hand-off’s notices', () => {
  it('exist in every language, each with the same placeholders as the English', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(chatTexts)) {
      for (const lang of chatTextLanguages) {
        const value = (text as Record<string, string>)[lang];
        expect(value?.trim(), `${key} ${lang}`).toBeTruthy();
        expect(placeholders(value!), `${key} ${lang}`).toEqual(placeholders(text.en));
      }
    }
  });
});
