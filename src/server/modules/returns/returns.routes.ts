import { z } from 'zod';
import { instant } from '../../../contracts/common';
import { returnReasons } from '../../../contracts/marketplace-records';
import type { Db } from '../../platform/db';
import { buyerIdOf, STAFF } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { callerKey } from '../../platform/idempotency';
import { caseWorkerOf } from '../cases';
import type { ReturnPolicySettings } from './return-policy';
import { authoriseReturn, returnPolicyChanges, returnPolicyOf, saveReturnPolicy } from './returns';

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD');
const category = z.string().min(1).max(100);
const policySchema = z.object({
  windowDays: z.number().int().min(1).max(365),
  categoryWindowDays: z.record(category, z.number().int().min(1).max(365)).default({}),
  holidayExtension: z.object({ shippedFrom: monthDay, shippedTo: monthDay, until: monthDay }).nullable(),
  nonReturnableCategories: z.array(category).max(200).default([]),
  sellerRefundBusinessDays: z.number().int().min(1).max(30).default(2),
});
const marketplaceParams = z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) });

export function returnsRoutes(app: App, db: Db) {
  app.post(
    '/api/v1/cases/:ref/returns',
    {
      config: { access: { roles: ['agent', 'supervisor', 'buyer'] as const } },
      schema: {
        tags: ['returns'],
        summary:
          'Authorise a return on the case’s order: within policy at once; outside it only with an agent’s recorded exception',
        params: z.object({ ref: z.string().min(1).max(64) }),
        headers: z.object({ 'idempotency-key': z.string().min(8).max(200) }),
        body: z.object({
          reason: z.enum(returnReasons),
          lines: z
            .array(
              z.object({
                lineNo: z.number().int().min(1).max(999),
                units: z.number().int().min(1).max(10_000),
              }),
            )
            .min(1)
            .max(200),
          exceptionNote: z.string().trim().min(5).max(2000).optional(),
        }),
        response: {
          201: z.object({
            returnId: z.string(),
            reason: z.string(),
            authorisation: z.string(),
            decision: z.record(z.string(), z.unknown()),
            replayed: z.boolean(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const p = request.principal!;
      const buyerId = buyerIdOf(p);
      const actor = buyerId
        ? { kind: 'buyer' as const, buyerId }
        : { kind: 'staff' as const, ...caseWorkerOf(p) };
      const b = request.body;
      const r = await db.transaction().execute((tx) =>
        authoriseReturn(tx, {
          idempotency: callerKey(p, 'return', request.headers['idempotency-key'], {
            params: request.params,
            body: b,
          }),
          caseRef: request.params.ref,
          actor,
          reason: b.reason,
          lines: b.lines,
          exceptionNote: b.exceptionNote ?? null,
          at: new Date(),
        }),
      );
      return reply.status(201).send(r);
    },
  );

  app.get(
    '/api/v1/marketplaces/:id/return-policy',
    {
      config: { access: STAFF },
      schema: {
        tags: ['returns'],
        summary:
          'The marketplace’s return policy in force now or `at` an instant (defaults where none was set)',
        params: marketplaceParams,
        querystring: z.object({ at: instant.optional() }),
        response: { 200: policySchema, ...errorResponses },
      },
    },
    async (request) =>
      policyView(
        await returnPolicyOf(
          db,
          request.params.id,
          request.query.at ? new Date(request.query.at) : new Date(),
        ),
      ),
  );

  app.get(
    '/api/v1/admin/marketplaces/:id/return-policy/changes',
    {
      config: { access: { roles: ['admin'] as const } },
      schema: {
        tags: ['returns'],
        summary:
          'Every dated change of the marketplace’s return policy, oldest first (past, current and scheduled)',
        params: marketplaceParams,
        response: {
          200: z.array(
            z.object({
              effectiveFrom: z.string(),
              windowDays: z.number(),
              sellerRefundBusinessDays: z.number(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => returnPolicyChanges(db, request.params.id),
  );

  app.put(
    '/api/v1/admin/marketplaces/:id/return-policy',
    {
      config: { access: { roles: ['admin'] as const } },
      schema: {
        tags: ['returns'],
        summary:
          'Set the marketplace’s return window, category windows, holiday extension, non-returnable categories and seller refund days, effective now or from `effectiveFrom`',
        params: marketplaceParams,
        body: policySchema.extend({ effectiveFrom: instant.optional() }),
        response: { 200: policySchema, ...errorResponses },
      },
    },
    async (request) => {
      const from = request.body.effectiveFrom ? new Date(request.body.effectiveFrom) : new Date();
      await saveReturnPolicy(db, request.params.id, request.body, from);
      return policyView(await returnPolicyOf(db, request.params.id, from));
    },
  );
}

const policyView = (p: ReturnPolicySettings) => ({
  ...p,
  categoryWindowDays: { ...p.categoryWindowDays },
  nonReturnableCategories: [...p.nonReturnableCategories],
});
