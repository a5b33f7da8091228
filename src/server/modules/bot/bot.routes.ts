// The review list of messages people settled (README "How the review list improves it"). Staff only.
import { z } from 'zod';
import type { Db } from '../../platform/db';
import { STAFF } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { intents } from './intents';
import { listSuggestions, reviewSuggestion, type Suggestion } from './suggestions';

const suggestionSchema = z.object({
  id: z.string(),
  caseId: z.string(),
  language: z.string(),
  message: z.string(),
  topic: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected']),
  intent: z.enum(intents).nullable(),
  createdAt: z.string(),
});
const out = (s: Suggestion) => ({ ...s, createdAt: s.createdAt.toISOString() });
const params = z.object({ id: z.string().regex(/^\d{1,18}$/) });

export function botRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/bot/suggestions',
    {
      config: { access: STAFF },
      schema: {
        tags: ['bot'],
        summary: 'Messages of cases people settled, to teach the bot (pending by default)',
        querystring: z.object({ status: z.enum(['pending', 'accepted', 'rejected']).default('pending') }),
        response: { 200: z.object({ suggestions: z.array(suggestionSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ suggestions: (await listSuggestions(db, request.query.status)).map(out) }),
  );

  const userIdOf = (p: { kind: string; userId?: string }) => (p.kind === 'user' ? (p.userId ?? null) : null);

  app.post(
    '/api/v1/bot/suggestions/:id/acceptance',
    {
      config: { access: STAFF },
      schema: {
        tags: ['bot'],
        summary: 'Accept a message as an example of an intent: the bot learns it at the next start',
        params,
        body: z.object({ intent: z.enum(intents) }),
        response: { 200: suggestionSchema, ...errorResponses },
      },
    },
    async (request) =>
      out(
        await reviewSuggestion(
          db,
          request.params.id,
          { accept: true, intent: request.body.intent },
          userIdOf(request.principal!),
          new Date(),
        ),
      ),
  );

  app.post(
    '/api/v1/bot/suggestions/:id/rejection',
    {
      config: { access: STAFF },
      schema: {
        tags: ['bot'],
        summary: 'Reject a suggested message: the bot does not learn it',
        params,
        response: { 200: suggestionSchema, ...errorResponses },
      },
    },
    async (request) =>
      out(
        await reviewSuggestion(
          db,
          request.params.id,
          { accept: false },
          userIdOf(request.principal!),
          new Date(),
        ),
      ),
  );
}
