// The chat is a contact (channel `chat`): when a person is needed, the conversation opens or continues a
// case through the contact path, with its routing reason, and passes to the case's owner. With no agent of
// the conversation's language available, the buyer is offered an answer by e-mail within the SLA or a
// callback instead (buttons this layer answers, not the bot). A supervisor may take a chat over.

import type { ChatContext } from '../../../contracts/chat';
import { nextOpenInstant } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { inTransaction } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { systemKey } from '../../platform/idempotency';
import { isBotLanguage, renderDialogueText, textFormatter } from '../bot';
import {
  appendMessage,
  type ChatCases,
  type ConversationRow,
  conversationsOfCases,
  messagesAfter,
  setConversationOwner,
  setHandoffOffer,
} from '../conversations';
import { findMarketplace, findOrder, phoneHoursOf } from '../marketplace';
import { addMinutes, supervisorQueue } from './case-rules';
import { escalate } from './case-work';
import {
  adjustOpenCases,
  type CaseRow,
  findCase,
  insertCaseEvent,
  markAssigned,
  ownedCases,
  slaTargets,
  updateCase,
  userName,
} from './cases.repository';
import { agentsOfLanguageAvailable, buyerContact, queueLoad } from './chat.repository';
import { firstName, followCaseOwner, ownerRef, recordOwnerChange } from './chat-owners';
import { type ContactChoice, estimateWait, handOffPlan, offerButtonId, quotedCaseNumber } from './chat-rules';
import { chatText } from './chat-texts';
import { receiveContact } from './contacts';
import { requestCallback } from './phone';

const langOf = (language: string) => (isBotLanguage(language) ? language : 'en');

export const chatCases: ChatCases = {
  async handOff(db, conversation, at, request = {}) {
    if (conversation.owner_kind === 'agent') return; // already with a person
    const chosen: ContactChoice | null =
      request.via === 'email' || request.via === 'callback' ? request.via : null;
    const offer = conversation.handoff_offer;
    const orderRef = request.orderRef ?? offer?.orderRef ?? null;
    const escalateToManager = request.escalate ?? false;
    const buyer = await buyerContact(db, conversation.buyer_id);
    const plan = handOffPlan({
      escalate: escalateToManager,
      agentsOfLanguageAvailable: chosen
        ? 0
        : await agentsOfLanguageAvailable(db, conversation.marketplace_id, conversation.language),
      buyerHasPhone: buyer.phone !== null,
      chosen,
    });
    const transcript = (await messagesAfter(db, conversation.id, 0, 1000))
      .map((m) => `${m.author_kind}: ${m.body}`)
      .join('\n');
    const continued = await caseToContinue(db, conversation, offer?.caseNumber ?? null);

    if (plan.kind === 'offer') {
      await inTransaction(db, async (tx) => {
        const email = await slaTargets(tx, conversation.marketplace_id, 'email', at);
        const hours = Math.round(email.firstResponseMinutes / 60);
        const lang = conversation.language;
        const key = plan.choices.includes('callback') ? 'no_agent_offer' : 'no_agent_offer_email_only';
        await appendMessage(
          tx,
          conversation.id,
          {
            authorKind: 'system',
            body: chatText(lang, key, { hours }),
            buttons: plan.choices.map((c) => ({
              id: offerButtonId(c),
              label: chatText(lang, c === 'email' ? 'button_email' : 'button_callback'),
            })),
          },
          at,
        );
        await setHandoffOffer(tx, conversation.id, {
          orderRef,
          caseNumber: continued?.case_number ?? null,
          at: at.toISOString(),
        });
      });
      return;
    }

    const channel = plan.kind === 'email' ? 'email' : plan.kind === 'callback' ? 'phone' : 'chat';
    // Keyed by the conversation and its length: a second press before anything new opens nothing new.
    const contact = await receiveContact(db, {
      idempotency: systemKey(`chat:${conversation.id}:${conversation.last_seq}`),
      marketplaceId: conversation.marketplace_id,
      channel,
      sender: 'buyer',
      buyerId: conversation.buyer_id,
      sellerId: null,
      orderRef: continued ? null : (orderRef ?? conversation.order_id),
      topic: 'other',
      language: conversation.language,
      body: transcript || '(chat)',
      caseNumber: continued?.case_number ?? null,
      at,
    });
    await inTransaction(db, async (tx) => {
      await setHandoffOffer(tx, conversation.id, null);
      const opened = contact.case ? await findCase(tx, contact.case.id) : undefined;
      if (!opened) {
        // Routed elsewhere (the seller answers): the buyer is told so in their language (the routing
        // explanation stays on the contact for staff), and the bot keeps the chat.
        const body = chatText(conversation.language, 'routed_to_seller');
        await appendMessage(tx, conversation.id, { authorKind: 'system', body }, at);
        return;
      }
      const lang = langOf(conversation.language);
      const caseLine = continued
        ? renderDialogueText(lang, 'notice_continued', { case: opened.case_number })
        : renderDialogueText(lang, 'notice_case', { case: opened.case_number });
      if (plan.kind === 'email' || plan.kind === 'callback') {
        // The answer comes by e-mail or phone: the case is linked, the bot keeps the chat meanwhile.
        await setConversationOwner(tx, conversation.id, {
          kind: 'bot',
          userId: null,
          caseId: opened.id,
          at,
        });
        const body =
          plan.kind === 'email'
            ? await emailNotice(tx, conversation, opened, at)
            : await scheduleCallback(tx, conversation, opened, buyer.phone, at);
        await appendMessage(
          tx,
          conversation.id,
          { authorKind: 'system', body, caseNumber: opened.case_number },
          at,
        );
        return;
      }
      // A manager was asked for: the case waits for a supervisor, whoever the agent booked was (C5).
      const final =
        escalateToManager && opened.status !== 'escalated'
          ? await escalate(
              tx,
              opened.case_number,
              { kind: 'buyer', userId: null, buyerId: conversation.buyer_id },
              'The buyer asked for a manager in the chat',
              at,
            )
          : opened;
      await setConversationOwner(tx, conversation.id, {
        kind: 'agent',
        userId: final.owner_user_id,
        caseId: final.id,
        at,
      });
      await recordOwnerChange(tx, final.id, ownerRef('bot'), ownerRef(final), 'hand_off', at);
      const load = await queueLoad(tx, final);
      const wait = estimateWait({
        assigned: final.owner_user_id !== null,
        ahead: load.ahead,
        agentsAvailable: load.agents,
      });
      const waitLine =
        wait.minutes === null
          ? renderDialogueText(lang, 'notice_person_soon')
          : wait.minutes <= 1
            ? chatText(lang, 'wait_one')
            : chatText(lang, 'wait_many', { minutes: wait.minutes, ahead: load.ahead });
      await appendMessage(
        tx,
        conversation.id,
        { authorKind: 'system', body: `${caseLine} ${waitLine}`, caseNumber: final.case_number },
        at,
      );
      if (final.owner_user_id) {
        const name = firstName(await userName(tx, final.owner_user_id));
        await appendMessage(
          tx,
          conversation.id,
          {
            authorKind: 'system',
            body: name
              ? renderDialogueText(lang, 'notice_joined', { name })
              : renderDialogueText(lang, 'notice_person_soon'),
          },
          at,
          final.owner_user_id,
        );
      }
    });
  },

  async takeOver(db, conversation, supervisorUserId, at) {
    if (conversation.owner_kind !== 'agent' || !conversation.case_id)
      throw new AppError('conflict', 'Only a chat already with a person is taken over');
    await inTransaction(db, async (tx) => {
      const c = (await findCase(tx, conversation.case_id!, true))!;
      if (c.status === 'resolved' || c.status === 'closed')
        throw new AppError('conflict', `The case is ${c.status}`);
      if (c.owner_user_id === supervisorUserId) return; // theirs already: nothing changes
      await adjustOpenCases(tx, c.owner_user_id, -1);
      await markAssigned(tx, supervisorUserId, at);
      const updated = await updateCase(tx, c.id, {
        owner_kind: 'supervisor',
        owner_user_id: supervisorUserId,
        // Taken from the supervisors' queue too: the case stays escalated there, now with its owner.
        queue: c.status === 'escalated' ? supervisorQueue(c.marketplace_id) : c.queue,
        updated_at: at,
      });
      await insertCaseEvent(tx, {
        caseId: c.id,
        kind: 'taken_over',
        actorKind: 'supervisor',
        actorUserId: supervisorUserId,
        data: { from: c.owner_user_id },
        at,
      });
      await followCaseOwner(tx, c, updated, 'take_over', at, {
        kind: 'supervisor',
        userId: supervisorUserId,
      });
    });
  },

  async liveChatsOf(db, userId) {
    const chats = await conversationsOfCases(
      db,
      (await ownedCases(db, userId)).map((c) => c.id),
    );
    return chats.filter((c) => c.owner_kind === 'agent');
  },

  async mayAnswer(db: Db, userId: string, conversation: ConversationRow) {
    if (!conversation.case_id || conversation.owner_kind !== 'agent') return false;
    const c = await findCase(db, conversation.case_id);
    return c?.owner_user_id === userId && c.status !== 'resolved' && c.status !== 'closed';
  },

  async contextOf(db, conversation) {
    return chatContextOf(db, conversation);
  },

  async caseOfBuyer(db, caseNumber, buyerId, marketplaceId) {
    const c = await findCase(db, caseNumber);
    return c && c.buyer_id === buyerId && c.marketplace_id === marketplaceId ? c.id : null;
  },

  async rated(db, conversation, rating, at) {
    if (!conversation.case_id) return;
    await insertCaseEvent(db, {
      caseId: conversation.case_id,
      kind: 'rated_in_chat',
      actorKind: 'buyer',
      data: rating,
      at,
    });
  },
};

/** The case the hand-off continues: the conversation's own, or one of the buyer's that they quoted (C6). */
async function caseToContinue(
  db: Db,
  conversation: ConversationRow,
  offered: string | null,
): Promise<CaseRow | undefined> {
  if (conversation.case_id) return findCase(db, conversation.case_id);
  const said = (await messagesAfter(db, conversation.id, 0, 1000))
    .filter((m) => m.author_kind === 'buyer')
    .map((m) => m.body);
  const number = offered ?? quotedCaseNumber(said, conversation.marketplace_id);
  if (!number) return undefined;
  const c = await findCase(db, number);
  // Another buyer's number is ignored: a new case opens, and nothing of theirs is shown.
  return c && c.buyer_id === conversation.buyer_id ? c : undefined;
}

async function emailNotice(tx: Db, conversation: ConversationRow, c: CaseRow, at: Date) {
  const sla = await slaTargets(tx, c.marketplace_id, 'email', at);
  return chatText(conversation.language, 'email_case', {
    case: c.case_number,
    hours: Math.round(sla.firstResponseMinutes / 60),
  });
}

/**
 * A callback within the phone channel's next-response target, through the phone path (a durable timer),
 * moved to the next opening when that falls outside the marketplace's phone hours: nobody calls then.
 */
async function scheduleCallback(
  tx: Db,
  conversation: ConversationRow,
  c: CaseRow,
  phone: string | null,
  at: Date,
) {
  const sla = await slaTargets(tx, c.marketplace_id, 'phone', at);
  const target = addMinutes(at, sla.nextResponseMinutes);
  const [hours, marketplace] = await Promise.all([
    phoneHoursOf(tx, c.marketplace_id),
    findMarketplace(tx, c.marketplace_id),
  ]);
  const due = hours && marketplace ? nextOpenInstant(target, hours, marketplace.time_zone) : target;
  await requestCallback(
    tx,
    c.case_number,
    phone!,
    due,
    { kind: 'buyer', userId: null, buyerId: conversation.buyer_id },
    at,
  );
  if (due.getTime() === target.getTime() || !marketplace)
    return chatText(conversation.language, 'callback_case', {
      case: c.case_number,
      minutes: sla.nextResponseMinutes,
    });
  const lang = isBotLanguage(conversation.language) ? conversation.language : 'en';
  return chatText(conversation.language, 'callback_case_at', {
    case: c.case_number,
    when: textFormatter(lang, marketplace.country, marketplace.time_zone).dateTime(due),
  });
}

type StoredDialogue = {
  reading?: { intent: string; confidence: number } | null;
  lastText?: string;
  order?: { externalId?: string } | null;
};

/** What a person sees on joining: the case, the order and the bot's reading of the buyer. */
async function chatContextOf(db: Db, conversation: ConversationRow): Promise<ChatContext> {
  const c = conversation.case_id ? await findCase(db, conversation.case_id) : undefined;
  const dialogue = ((conversation as { dialogue?: StoredDialogue | null }).dialogue ??
    null) as StoredDialogue | null;
  const orderRef = c?.order_id ?? conversation.order_id ?? dialogue?.order?.externalId ?? null;
  const o = orderRef ? await findOrder(db, orderRef, { kind: 'all' }) : undefined;
  return {
    case: c ? { caseNumber: c.case_number, status: c.status, queue: c.queue, channel: c.channel } : null,
    order: o
      ? {
          externalId: o.external_id,
          orderedAt: new Date(o.ordered_at).toISOString(),
          fulfilmentChannel: o.fulfilment_channel,
          total: { amount: Number(o.order_total), currency: o.currency },
          promisedDeliveryDate: o.promised_delivery_date,
          lines: o.lines.map((l) => ({ title: l.title, units: l.units })),
          shipments: o.shipments.map((s) => {
            const last = s.events.at(-1);
            return {
              carrier: s.carrier,
              trackingNumber: s.tracking_number,
              lastEvent: last ? { code: last.code, at: new Date(last.occurred_at).toISOString() } : null,
            };
          }),
        }
      : null,
    reading: dialogue?.reading
      ? {
          intent: dialogue.reading.intent,
          confidence: dialogue.reading.confidence,
          text: dialogue.lastText ?? '',
        }
      : null,
  };
}
