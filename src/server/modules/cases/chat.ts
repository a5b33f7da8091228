// The chat is a contact (channel `chat`): when a person is needed, the conversation opens or continues a
// case through the contact path, with its routing reason, and passes to the case's owner.

import type { Db } from '../../platform/db';
import { inTransaction } from '../../platform/db';
import { systemKey } from '../../platform/idempotency';
import { isBotLanguage, renderDialogueText } from '../bot';
import {
  appendMessage,
  type ChatCases,
  type ConversationRow,
  conversationsOfCases,
  messagesAfter,
  setConversationOwner,
} from '../conversations';
import { escalate } from './case-work';
import { findCase, ownedCases } from './cases.repository';
import { receiveContact } from './contacts';

export const chatCases: ChatCases = {
  async handOff(db, conversation, at, orderRef, toManager = false) {
    const transcript = (await messagesAfter(db, conversation.id, 0, 1000))
      .map((m) => `${m.author_kind}: ${m.body}`)
      .join('\n');
    const continued = conversation.case_id ? await findCase(db, conversation.case_id) : undefined;
    // Keyed by the conversation and its length: a second press before anything new opens nothing new.
    const contact = await receiveContact(db, {
      idempotency: systemKey(`chat:${conversation.id}:${conversation.last_seq}`),
      marketplaceId: conversation.marketplace_id,
      channel: 'chat',
      sender: 'buyer',
      buyerId: conversation.buyer_id,
      sellerId: null,
      orderRef: orderRef ?? conversation.order_id,
      topic: 'other',
      language: conversation.language,
      body: transcript || '(chat)',
      caseNumber: continued?.case_number ?? null,
      at,
    });
    await inTransaction(db, async (tx) => {
      const opened = contact.case ? await findCase(tx, contact.case.id) : undefined;
      if (!opened) {
        // Routed elsewhere (the seller answers): the buyer is told why, the bot keeps the chat.
        await appendMessage(tx, conversation.id, { authorKind: 'system', body: contact.explanation }, at);
        return;
      }
      // A manager was asked for: the case waits for a supervisor, whoever the agent booked was (C5).
      const owner = toManager
        ? (
            await escalate(
              tx,
              opened.case_number,
              { kind: 'buyer', userId: null, buyerId: conversation.buyer_id },
              'The buyer asked for a manager in the chat',
              at,
            )
          ).owner_user_id
        : opened.owner_user_id;
      await setConversationOwner(tx, conversation.id, {
        kind: 'agent',
        userId: owner,
        caseId: opened.id,
        at,
      });
      const agentName = toManager ? null : (contact.case?.owner?.name ?? null);
      const body = handOffText(conversation.language, opened.case_number, agentName);
      await appendMessage(
        tx,
        conversation.id,
        { authorKind: 'system', body, caseNumber: opened.case_number },
        at,
        owner ?? undefined,
      );
    });
  },

  async liveChatsOf(db, userId) {
    return conversationsOfCases(
      db,
      (await ownedCases(db, userId)).map((c) => c.id),
    );
  },

  async mayAnswer(db: Db, userId: string, conversation: ConversationRow) {
    if (!conversation.case_id) return false;
    return (await findCase(db, conversation.case_id))?.owner_user_id === userId;
  },
};

/** What the buyer is told: the case number, and who will answer (the dialogue's notices, C6). */
function handOffText(language: string, caseNumber: string, agentName: string | null): string {
  const lang = isBotLanguage(language) ? language : 'en';
  const first = agentName?.trim().split(/\s+/)[0];
  const who = first
    ? renderDialogueText(lang, 'notice_joined', { name: first })
    : renderDialogueText(lang, 'notice_person_soon');
  return `${renderDialogueText(lang, 'notice_case', { case: caseNumber })} ${who}`;
}
