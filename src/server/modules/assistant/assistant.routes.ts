// The bot policy per marketplace over HTTP: what the chat bot may do by itself (docs/assistant.md).
import { z } from 'zod';
import { instant } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { STAFF } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { findMarketplace } from '../marketplace';
import { type BotPolicy, botPolicyOf, saveBotPolicy } from './assistant.repository';

const marketplaceParams = z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) });
const policySchema = z.strictObject({
  mayAuthoriseReturns: z.boolean(),
  mayRefund: z.boolean(),
  /** Minor units of the marketplace's currency; null: an agent's approval limit. */
  refundLimit: z.number().int().min(0).max(100_000_000_000).nullable(),
  mayCancelOrders: z.boolean(),
  mayChangeAddresses: z.boolean(),
});
const view = (p: BotPolicy) => ({ ...p, refundLimit: p.refundLimit === null ? null : Number(p.refundLimit) });

export function assistantRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/marketplaces/:id/bot-policy',
    {
      config: { access: STAFF },
      schema: {
        tags: ['chat assistant'],
        summary: 'What the chat bot may do by itself in the marketplace, now or `at` an instant',
        params: marketplaceParams,
        querystring: z.object({ at: instant.optional() }),
        response: { 200: policySchema, ...errorResponses },
      },
    },
    async (request) => {
      if (!(await findMarketplace(db, request.params.id))) throw notFound('Marketplace');
      const at = request.query.at ? new Date(request.query.at) : new Date();
      return view(await botPolicyOf(db, request.params.id, at));
    },
  );

  app.put(
    '/api/v1/admin/marketplaces/:id/bot-policy',
    {
      config: { access: { roles: ['admin'] as const } },
      schema: {
        tags: ['chat assistant'],
        summary:
          'Set what the chat bot may do by itself (returns, refunds up to a limit, cancellations, addresses), effective now or from `effectiveFrom`',
        params: marketplaceParams,
        body: policySchema.extend({ effectiveFrom: instant.optional() }),
        response: { 200: policySchema, ...errorResponses },
      },
    },
    async (request) => {
      if (!(await findMarketplace(db, request.params.id))) throw notFound('Marketplace');
      const { effectiveFrom, refundLimit, ...rest } = request.body;
      const from = effectiveFrom ? new Date(effectiveFrom) : new Date();
      const policy = { ...rest, refundLimit: refundLimit === null ? null : BigInt(refundLimit) };
      await saveBotPolicy(db, request.params.id, policy, from);
      return view(await botPolicyOf(db, request.params.id, from));
    },
  );
}
