// Pure: whom a buyer's rating is about (C7), and when the bot has helped enough to be rated.

export type RatingSubject = 'bot' | 'agent';

/**
 * The subject the buyer named, else the person who answered in the chat, else the bot. A person can be
 * rated only once one has written, the bot only once it has.
 */
export function ratingSubject(r: {
  named: RatingSubject | null;
  personWrote: boolean;
  botWrote: boolean;
}):
  | { subject: RatingSubject; reason: 'named' | 'person_answered' | 'bot_answered' }
  | { subject: null; reason: 'nobody_helped_yet' | 'no_person_answered' | 'bot_never_answered' } {
  if (r.named === 'agent')
    return r.personWrote
      ? { subject: 'agent', reason: 'named' }
      : { subject: null, reason: 'no_person_answered' };
  if (r.named === 'bot')
    return r.botWrote ? { subject: 'bot', reason: 'named' } : { subject: null, reason: 'bot_never_answered' };
  if (r.personWrote) return { subject: 'agent', reason: 'person_answered' };
  if (r.botWrote) return { subject: 'bot', reason: 'bot_answered' };
  return { subject: null, reason: 'nobody_helped_yet' };
}

export const ratingRefusal = {
  nobody_helped_yet: 'Nobody has helped in this chat yet',
  no_person_answered: 'No person has answered in this chat yet',
  bot_never_answered: 'The assistant has not answered in this chat',
} as const;

/** The bot has helped once its dialogue answered ("anything else?") or the buyer said they were done. */
export const botHelped = (dialoguePhase: string | null) =>
  dialoguePhase === 'anything_else' || dialoguePhase === 'closed';
