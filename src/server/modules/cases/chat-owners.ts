// A chat follows its case's owner (C4–C6, K1): whenever the owner of a case with a live chat changes —
// assigned from the queue, pulled, reassigned, escalated, taken over by a supervisor, resolved — the
// conversation passes to the new owner, whose sockets start following it, the buyer is told who joined,
// the previous person is told the chat is no longer theirs, and the change is a case event
// (`owner_changed`, visible in the case's history). Case work calls it after each change of owner.
import type { Db } from '../../platform/db';
import { isBotLanguage, renderDialogueText } from '../bot';
import {
  appendMessage,
  conversationsOfCases,
  lastPersonWhoWrote,
  notifyChat,
  setConversationOwner,
} from '../conversations';
import { type CaseRow, insertCaseEvent, userName } from './cases.repository';
import { chatText } from './chat-texts';

export type OwnerOf = Pick<CaseRow, 'owner_kind' | 'owner_user_id' | 'queue'>;
export type OwnerChange =
  | 'hand_off'
  | 'least_busy'
  | 'pulled'
  | 'reassigned'
  | 'escalated'
  | 'take_over'
  | 'resolved';

/** Who owns a chat, as the case history tells it: the bot, a person, or the queue it waits in. */
export const ownerRef = (o: OwnerOf | 'bot') =>
  o === 'bot'
    ? { kind: 'bot', userId: null }
    : o.owner_kind === 'unassigned'
      ? { kind: 'queue', userId: null, queue: o.queue }
      : { kind: o.owner_kind, userId: o.owner_user_id };

export const firstName = (displayName: string | null | undefined) =>
  displayName?.trim().split(/\s+/)[0] || null;

export async function recordOwnerChange(
  db: Db,
  caseId: string,
  from: ReturnType<typeof ownerRef>,
  to: ReturnType<typeof ownerRef>,
  how: OwnerChange,
  at: Date,
  actor: { kind: string; userId: string | null } = { kind: 'system', userId: null },
) {
  await insertCaseEvent(db, {
    caseId,
    kind: 'owner_changed',
    actorKind: actor.kind,
    actorUserId: actor.userId,
    data: { from, to, how },
    at,
  });
}

/** The case's owner went from `before` to `after`: its live chats follow. Nothing happens without one. */
export async function followCaseOwner(
  db: Db,
  before: OwnerOf,
  after: CaseRow,
  how: OwnerChange,
  at: Date,
  actor?: { kind: string; userId: string | null },
): Promise<void> {
  if (before.owner_user_id === after.owner_user_id && before.owner_kind === after.owner_kind) return;
  const chats = (await conversationsOfCases(db, [after.id])).filter((c) => c.owner_kind === 'agent');
  if (chats.length === 0) return;
  await recordOwnerChange(db, after.id, ownerRef(before), ownerRef(after), how, at, actor);
  const name = firstName(await userName(db, after.owner_user_id));
  for (const chat of chats) {
    await setConversationOwner(db, chat.id, {
      kind: 'agent',
      userId: after.owner_user_id,
      caseId: after.id,
      at,
    });
    if (after.owner_user_id) await announceJoined(db, chat.id, chat.language, after.owner_user_id, name, at);
    if (before.owner_user_id)
      await notifyChat(db, { c: chat.id, r: before.owner_user_id, n: name, w: releaseReason(how) });
  }
}

/** "<Name> has joined", which also makes that person's sockets follow the chat. */
export async function announceJoined(
  db: Db,
  conversationId: string,
  language: string,
  userId: string,
  name: string | null,
  at: Date,
) {
  const lang = isBotLanguage(language) ? language : 'en';
  const body = name
    ? renderDialogueText(lang, 'notice_joined', { name })
    : renderDialogueText(lang, 'notice_person_soon');
  await appendMessage(db, conversationId, { authorKind: 'system', body }, at, userId);
}

const releaseReason = (how: OwnerChange) =>
  how === 'take_over'
    ? 'taken_over'
    : how === 'escalated'
      ? 'escalated'
      : how === 'resolved'
        ? 'resolved'
        : 'reassigned';

/**
 * A person resolved a case with a live chat: the buyer is asked to rate them (C7), the chat goes back
 * to the bot (a later hand-off continues the same case) and the person's sockets stop following it.
 */
export async function chatCaseResolved(db: Db, c: CaseRow, at: Date): Promise<void> {
  const chats = (await conversationsOfCases(db, [c.id])).filter((x) => x.owner_kind === 'agent');
  for (const chat of chats) {
    const person =
      (await lastPersonWhoWrote(db, chat.id)) ??
      (c.owner_user_id ? { userId: c.owner_user_id, name: null } : undefined);
    if (person) {
      const name = person.name ?? firstName(await userName(db, person.userId)) ?? '';
      await appendMessage(
        db,
        chat.id,
        {
          authorKind: 'system',
          body: chatText(chat.language, 'rate_agent', { name }),
          caseNumber: c.case_number,
          rating: { subject: 'agent', userId: person.userId },
        },
        at,
      );
    }
    await setConversationOwner(db, chat.id, { kind: 'bot', userId: null, caseId: c.id, at });
    if (c.owner_user_id) await notifyChat(db, { c: chat.id, r: c.owner_user_id, n: null, w: 'resolved' });
  }
  if (chats.length > 0) await recordOwnerChange(db, c.id, ownerRef(c), ownerRef('bot'), 'resolved', at);
}
