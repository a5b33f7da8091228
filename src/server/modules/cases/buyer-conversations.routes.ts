// The buyer's own conversations with their transcripts, for the Contact Us page, and the transcript by
// e-mail (the e-mail module sends it, from a timer). Buyers only: a seller never sees a conversation
// between customer service and a buyer (K5), and another buyer's conversation is not found.
import { z } from 'zod';
import {
  type BuyerConversation,
  buyerConversationDetail,
  buyerConversationList,
  transcriptEmailAccepted,
} from '../../../contracts/chat';
import { type Db, inTransaction } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { requireBuyerId } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { scheduleTimer } from '../../platform/timers';
import {
  type ConversationRow,
  conversationOfBuyer,
  conversationsOfBuyer,
  messagesAfter,
} from '../conversations';
import { buyerContact, type CaseBrief, casesOf } from './chat.repository';

const LIST_LIMIT = 50;
const TRANSCRIPT_LIMIT = 5000;
const BUYERS = { roles: ['buyer'] as const };
const idParams = z.object({ id: z.uuid() });

export function buyerConversationsRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/buyer/conversations',
    {
      config: { access: BUYERS },
      schema: {
        tags: ['chat'],
        summary: "The buyer's own conversations on a marketplace, newest first (at most 50)",
        querystring: z.object({ marketplace: z.string().regex(/^[A-Z]{2,8}$/) }),
        response: { 200: buyerConversationList, ...errorResponses },
      },
    },
    async (request) => {
      const buyerId = requireBuyerId(request.principal!);
      const rows = await conversationsOfBuyer(db, buyerId, request.query.marketplace, LIST_LIMIT);
      const cases = await casesOf(
        db,
        rows.flatMap((r) => (r.case_id ? [r.case_id] : [])),
      );
      return { conversations: rows.map((r) => view(r, cases)) };
    },
  );

  app.get(
    '/api/v1/buyer/conversations/:id',
    {
      config: { access: BUYERS },
      schema: {
        tags: ['chat'],
        summary: "One of the buyer's conversations with its transcript",
        params: idParams,
        response: { 200: buyerConversationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const buyerId = requireBuyerId(request.principal!);
      const row = await conversationOfBuyer(db, request.params.id, buyerId);
      if (!row) throw notFound('Conversation');
      const cases = await casesOf(db, row.case_id ? [row.case_id] : []);
      const messages = await messagesAfter(db, row.id, 0, TRANSCRIPT_LIMIT);
      return {
        conversation: view(row, cases),
        messages: messages.map((m) => ({
          seq: m.seq,
          from: m.author_kind,
          authorName: m.author_name,
          text: m.body,
          at: m.created_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/buyer/conversations/:id/transcript-email',
    {
      config: { access: BUYERS },
      schema: {
        tags: ['chat'],
        summary: "E-mail the conversation's transcript to the buyer, in the conversation's language",
        description: 'Accepted at once; the e-mail leaves from the outbound queue (a durable timer).',
        params: idParams,
        response: { 202: transcriptEmailAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const buyerId = requireBuyerId(request.principal!);
      const at = new Date();
      const sentTo = await inTransaction(db, async (tx) => {
        const row = await conversationOfBuyer(tx, request.params.id, buyerId);
        if (!row) throw notFound('Conversation');
        const { email } = await buyerContact(tx, buyerId);
        if (!email) throw notFound('E-mail address of the buyer');
        await scheduleTimer(tx, 'send_chat_transcript', `${row.id}:${at.getTime()}`, at, {
          conversationId: row.id,
          to: email,
        });
        return email;
      });
      return reply.status(202).send({ sentTo });
    },
  );
}

function view(
  r: ConversationRow & { last_message_at: Date },
  cases: Map<string, CaseBrief>,
): BuyerConversation {
  const c = r.case_id ? cases.get(r.case_id) : undefined;
  return {
    id: r.id,
    marketplace: r.marketplace_id,
    language: r.language,
    startedAt: r.created_at.toISOString(),
    lastMessageAt: new Date(r.last_message_at).toISOString(),
    caseNumber: c?.case_number ?? null,
    caseStatus: c?.status ?? null,
    owner: r.owner_kind,
  };
}
