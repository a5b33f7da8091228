import { z } from 'zod';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { requireBuyerId, sellerIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { answerRequest, askSeller, sellerRequests } from './case-log';
import { buyerWrites, replyAsSeller, responseTime, threadsOf } from './messaging';
import { productAnswerRoutes } from './product-answers.routes';

const text = z.string().trim().min(1).max(20_000);
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const requestView = z.object({
  id: z.string(),
  /** Null for a product question the chat bot asked; `productExternalId` names the product. */
  caseNumber: z.string().nullable(),
  productExternalId: z.string().nullable(),
  question: z.string(),
  askedAt: z.string(),
  dueAt: z.string(),
  status: z.enum(['open', 'answered', 'overdue']),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  order: z
    .object({ externalId: z.string(), orderedAt: z.string(), fulfilmentChannel: z.string() })
    .nullable(),
});
const threadView = z.object({
  id: z.string(),
  marketplace: z.string(),
  orderExternalId: z.string().nullable(),
  topic: z.string(),
  routingReason: z.string(),
  openedAt: z.string(),
  responseDueAt: z.string(),
  responseTime: z.object({ answered: z.boolean(), hours: z.number(), withinTarget: z.boolean() }),
  messages: z.array(z.object({ author: z.string(), body: z.string(), sentAt: z.string() })),
});

export function sellerInboxRoutes(app: App, db: Db) {
  productAnswerRoutes(app, db);
  app.post(
    '/api/v1/cases/:ref/seller-requests',
    {
      config: { access: { roles: ['agent', 'supervisor'] } },
      schema: {
        tags: ['seller case log'],
        summary: 'Ask the seller a question in the case log (due in 24 h, weekends and holidays included)',
        params: z.object({ ref: z.string().min(1).max(64) }),
        body: z.object({ question: text }),
        response: {
          200: z.object({ id: z.string(), dueAt: z.string(), status: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'user' || (p.role !== 'agent' && p.role !== 'supervisor'))
        throw new AppError('forbidden', 'Agents only');
      const r = await db
        .transaction()
        .execute((tx) =>
          askSeller(
            tx,
            request.params.ref,
            { kind: p.role as 'agent' | 'supervisor', userId: p.userId },
            request.body.question,
            new Date(),
          ),
        );
      return { id: r.id, dueAt: r.due_at.toISOString(), status: r.status };
    },
  );

  app.get(
    '/api/v1/seller/case-log',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['seller case log'],
        summary: "Customer service's questions to you, with the order's facts (never the buyer conversation)",
        response: { 200: z.array(requestView), ...errorResponses },
      },
    },
    async (request) =>
      (await sellerRequests(db, sellerIdOf(request.principal!))).map((r) => ({
        id: r.id,
        caseNumber: r.case_number,
        productExternalId: r.product_external_id,
        question: r.question,
        askedAt: iso(r.asked_at)!,
        dueAt: iso(r.due_at)!,
        status: r.status,
        answer: r.answer,
        answeredAt: iso(r.answered_at),
        order: r.order_external_id
          ? {
              externalId: r.order_external_id,
              orderedAt: iso(r.ordered_at)!,
              fulfilmentChannel: r.fulfilment_channel!,
            }
          : null,
      })),
  );

  app.post(
    '/api/v1/seller/case-log/:id/answer',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['seller case log'],
        summary: 'Answer a case-log question',
        params: z.object({ id: z.string().uuid() }),
        body: z.object({ answer: text }),
        response: {
          200: z.object({ id: z.string(), status: z.string(), answeredAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      const r = await db
        .transaction()
        .execute((tx) =>
          answerRequest(tx, request.params.id, sellerId, request.body.answer, 'api', new Date()),
        );
      return { id: r.id, status: r.status, answeredAt: r.answered_at.toISOString() };
    },
  );

  const threadsFor = async (side: { sellerId: string } | { buyerId: string }) => {
    const now = new Date();
    return (await threadsOf(db, side)).map((t) => ({
      id: t.id,
      marketplace: t.marketplace_id,
      orderExternalId: t.order_external_id,
      topic: t.topic,
      routingReason: t.routing_reason,
      openedAt: iso(t.opened_at)!,
      responseDueAt: iso(t.response_due_at)!,
      responseTime: responseTime(t, now),
      messages: t.messages.map((m) => ({ author: m.author, body: m.body, sentAt: iso(m.sent_at)! })),
    }));
  };

  app.get(
    '/api/v1/seller/messages',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['buyer–seller messaging'],
        summary: 'Buyer messages routed to you, with your response time against the 24-hour target',
        response: { 200: z.array(threadView), ...errorResponses },
      },
    },
    async (request) => threadsFor({ sellerId: sellerIdOf(request.principal!) }),
  );

  app.post(
    '/api/v1/seller/messages/:threadId/replies',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['buyer–seller messaging'],
        summary: 'Answer a buyer',
        params: z.object({ threadId: z.string().uuid() }),
        body: z.object({ message: text }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const sellerId = sellerIdOf(request.principal!);
      await db
        .transaction()
        .execute((tx) =>
          replyAsSeller(tx, request.params.threadId, sellerId, request.body.message, new Date()),
        );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/buyer/messages',
    {
      config: { access: { roles: ['buyer'] } },
      schema: {
        tags: ['buyer–seller messaging'],
        summary: 'Your conversations with sellers',
        response: { 200: z.array(threadView), ...errorResponses },
      },
    },
    async (request) => threadsFor({ buyerId: requireBuyerId(request.principal!) }),
  );

  app.post(
    '/api/v1/buyer/messages/:threadId',
    {
      config: { access: { roles: ['buyer'] } },
      schema: {
        tags: ['buyer–seller messaging'],
        summary: 'Write to the seller in a conversation',
        params: z.object({ threadId: z.string().uuid() }),
        body: z.object({ message: text }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await buyerWrites(
        db,
        request.params.threadId,
        requireBuyerId(request.principal!),
        request.body.message,
        new Date(),
      );
      return reply.status(204).send(null);
    },
  );
}
