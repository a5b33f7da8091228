// The seller's product answers over HTTP: list, change, withdraw — only their own products' (others 404).
import { z } from 'zod';
import type { Db } from '../../platform/db';
import { sellerIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import {
  changeProductAnswer,
  type ProductAnswerRow,
  sellerProductAnswers,
  withdrawProductAnswer,
} from './product-answers';

const answerView = z.object({
  id: z.string(),
  productExternalId: z.string(),
  marketplace: z.string(),
  language: z.string(),
  question: z.string(),
  answer: z.string(),
  status: z.enum(['active', 'withdrawn']),
  createdAt: z.string(),
  updatedAt: z.string(),
  withdrawnAt: z.string().nullable(),
});

const view = (a: ProductAnswerRow): z.infer<typeof answerView> => ({
  id: a.id,
  productExternalId: a.product_external_id,
  marketplace: a.marketplace_id,
  language: a.language,
  question: a.question,
  answer: a.answer,
  status: a.status,
  createdAt: new Date(a.created_at).toISOString(),
  updatedAt: new Date(a.updated_at).toISOString(),
  withdrawnAt: a.withdrawn_at ? new Date(a.withdrawn_at).toISOString() : null,
});

const params = z.object({ id: z.string().uuid() });

export function productAnswerRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/seller/product-answers',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['seller case log'],
        summary:
          'Your answers to product questions, which the chat assistant gives the next buyer who asks the same',
        response: { 200: z.array(answerView), ...errorResponses },
      },
    },
    async (request) => (await sellerProductAnswers(db, sellerIdOf(request.principal!))).map(view),
  );

  app.put(
    '/api/v1/seller/product-answers/:id',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['seller case log'],
        summary: 'Change one of your product answers',
        params,
        body: z.strictObject({ answer: z.string().trim().min(1).max(4000) }),
        response: { 200: answerView, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      return view(
        await db
          .transaction()
          .execute((tx) =>
            changeProductAnswer(tx, request.params.id, sellerId, request.body.answer, new Date()),
          ),
      );
    },
  );

  app.delete(
    '/api/v1/seller/product-answers/:id',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['seller case log'],
        summary: 'Withdraw one of your product answers: the assistant no longer gives it',
        params,
        response: { 200: answerView, ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      return view(
        await db
          .transaction()
          .execute((tx) => withdrawProductAnswer(tx, request.params.id, sellerId, new Date())),
      );
    },
  );
}
