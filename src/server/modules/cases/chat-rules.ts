// Pure decisions of the chat's hand-off (SPEC C4–C7): the wait a buyer is told, what is offered when no
// agent of the language is available, which case number a buyer quoted, and whom a rating is about.

/**
 * How long a waiting chat occupies an agent before they can take the next one, on average. A rough,
 * stated figure: the estimate is meant to set expectations, not to promise.
 */
export const MINUTES_PER_WAITING_CHAT = 6;

export type WaitEstimate =
  | { minutes: number; reason: 'agent_assigned' | 'queue' }
  | { minutes: null; reason: 'no_agent_available' };

/**
 * The wait a buyer is told at hand-off. Assigned at once: about a minute (the agent reads the transcript).
 * Otherwise the cases waiting ahead in the same queue, and this one, are shared among the agents of the
 * queue's language who are available: ⌈(ahead + 1) × minutes per chat ÷ agents⌉.
 */
export function estimateWait(q: { assigned: boolean; ahead: number; agentsAvailable: number }): WaitEstimate {
  if (q.assigned) return { minutes: 1, reason: 'agent_assigned' };
  if (q.agentsAvailable <= 0) return { minutes: null, reason: 'no_agent_available' };
  const minutes = Math.ceil(((Math.max(0, q.ahead) + 1) * MINUTES_PER_WAITING_CHAT) / q.agentsAvailable);
  return { minutes: Math.max(1, minutes), reason: 'queue' };
}

export type ContactChoice = 'email' | 'callback';

/**
 * What a hand-off does: connect to a person now, or — with no agent of the language available — offer an
 * answer by e-mail within the SLA, and a callback when the buyer has a phone number on file. A request
 * for a manager goes to the supervisors' queue, which does not depend on the language (C5).
 */
export function handOffPlan(h: {
  escalate: boolean;
  agentsOfLanguageAvailable: number;
  buyerHasPhone: boolean;
  chosen: ContactChoice | null;
}):
  | { kind: 'chat'; reason: 'manager_asked' | 'agent_of_language_available' }
  | { kind: 'offer'; choices: ContactChoice[]; reason: 'no_agent_of_language' }
  | { kind: ContactChoice; reason: 'buyer_chose' | 'no_phone_for_callback' } {
  // A callback needs a number: without one on file the answer comes by e-mail.
  if (h.chosen === 'callback' && !h.buyerHasPhone) return { kind: 'email', reason: 'no_phone_for_callback' };
  if (h.chosen) return { kind: h.chosen, reason: 'buyer_chose' };
  if (h.escalate) return { kind: 'chat', reason: 'manager_asked' };
  if (h.agentsOfLanguageAvailable > 0) return { kind: 'chat', reason: 'agent_of_language_available' };
  return {
    kind: 'offer',
    choices: h.buyerHasPhone ? ['email', 'callback'] : ['email'],
    reason: 'no_agent_of_language',
  };
}

/** The buttons of the offer; the hand-off layer, not the bot, answers them. */
export const OFFER_BUTTON_PREFIX = 'handoff:';
export const offerButtonId = (c: ContactChoice) => `${OFFER_BUTTON_PREFIX}${c}`;
/** The offer's buttons, and the dialogue's own e-mail / callback buttons (`contact:…`), read as a choice. */
export function choiceOfButton(buttonId: string | null): ContactChoice | null {
  const m = /^(?:handoff|contact):(email|callback)$/.exec(buttonId ?? '');
  return m ? (m[1] as ContactChoice) : null;
}

/** The first case number of the marketplace the buyer wrote ("il mio caso IT-0000042"), if any (C6). */
export function quotedCaseNumber(texts: readonly string[], marketplace: string): string | null {
  const pattern = new RegExp(`\\b${marketplace}-\\d{7}\\b`, 'i');
  for (const text of texts) {
    const m = pattern.exec(text);
    if (m) return m[0].toUpperCase();
  }
  return null;
}
