import { z } from 'zod';
import { externalId, instant } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { type Principal, scopeOf, staffRoles } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { sellerIdInScope } from '../marketplace';
import {
  autoEnrolNewSellers,
  eligibilityOf,
  enrol,
  MANAGED_SERVICE,
  servicesOf,
  withdraw,
} from './enrolment';
import type { ServiceStatus } from './enrolment-policy';
import { insertPolicy, setPremium } from './programs.repository';

const marketplaceId = z.string().regex(/^[A-Z]{2,8}$/);
const statusView = z.object({
  marketplace: z.string(),
  premium: z.boolean().optional(),
  status: z.enum(['trial', 'active', 'not_enrolled']),
  label: z.string(),
  since: z.string().nullable(),
  trialEndsAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
});

function viewOf(marketplace: string, s: ServiceStatus): z.infer<typeof statusView> {
  if (s.status === 'trial') {
    return {
      marketplace,
      status: 'trial',
      label: `Trial until ${s.trialEndsAt.toISOString().slice(0, 10)}`,
      since: s.since.toISOString(),
      trialEndsAt: s.trialEndsAt.toISOString(),
      withdrawnAt: null,
    };
  }
  if (s.status === 'active') {
    return {
      marketplace,
      status: 'active',
      label: 'Active',
      since: s.since.toISOString(),
      trialEndsAt: null,
      withdrawnAt: null,
    };
  }
  return {
    marketplace,
    status: 'not_enrolled',
    label: 'Not enrolled',
    since: null,
    trialEndsAt: null,
    withdrawnAt: s.withdrawnAt?.toISOString() ?? null,
  };
}

export function programsRoutes(app: App, db: Db) {
  const SELLER_OR_STAFF = { roles: [...staffRoles, 'seller'] as const };
  const SELLER_OR_ADMIN = { roles: ['admin', 'seller'] as const };
  const params = z.object({ ref: externalId });

  /** The seller the caller may act on: a seller user only on itself; anyone else's answers 404. */
  const sellerIdFor = (principal: Principal, ref: string) => sellerIdInScope(db, ref, scopeOf(principal));

  app.get(
    '/api/v1/sellers/:ref/services',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags: ['programs'],
        summary:
          '"Your services": the managed service in every marketplace — Active, Trial until …, or Not enrolled',
        params,
        querystring: z.object({ at: instant.optional() }),
        response: {
          200: z.object({
            service: z.object({ id: z.string(), name: z.string(), description: z.string() }),
            marketplaces: z.array(statusView),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      const at = request.query.at ? new Date(request.query.at) : new Date();
      const services = await servicesOf(db, sellerId, at);
      return {
        service: MANAGED_SERVICE,
        marketplaces: services.map((s) => ({ ...viewOf(s.marketplace, s.status), premium: s.premium })),
      };
    },
  );

  app.get(
    '/api/v1/sellers/:ref/services/managed-cs/eligibility',
    {
      config: { access: SELLER_OR_STAFF },
      schema: {
        tags: ['programs'],
        summary: 'Whether the seller may enrol, and why not',
        params,
        response: {
          200: z.object({
            eligible: z.boolean(),
            reasons: z.array(z.object({ code: z.string(), message: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => eligibilityOf(db, await sellerIdFor(request.principal!, request.params.ref)),
  );

  for (const action of ['enrolments', 'withdrawals'] as const) {
    app.post(
      `/api/v1/sellers/:ref/services/managed-cs/${action}`,
      {
        config: { access: SELLER_OR_ADMIN },
        schema: {
          tags: ['programs'],
          summary:
            action === 'enrolments'
              ? 'Enrol in a marketplace (a free trial on the first enrolment only)'
              : 'Withdraw from the managed service in a marketplace',
          params,
          body: z.object({ marketplace: marketplaceId }),
          response: { 200: z.object({ reason: z.string(), service: statusView }), ...errorResponses },
        },
      },
      async (request) => {
        const principal = request.principal!;
        const sellerId = await sellerIdFor(principal, request.params.ref);
        const { marketplace } = request.body;
        const by = principal.kind === 'user' && principal.role === 'admin' ? 'admin' : 'seller';
        const result = await db
          .transaction()
          .execute((tx) =>
            action === 'enrolments'
              ? enrol(tx, sellerId, marketplace, by, new Date())
              : withdraw(tx, sellerId, marketplace, new Date()),
          );
        return { reason: result.reason, service: viewOf(marketplace, result.status) };
      },
    );
  }

  app.put(
    '/api/v1/admin/sellers/:ref/premium/:marketplace',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary:
          'Start or end a seller’s premium seller-fulfilled membership in a marketplace (effective now)',
        params: z.object({ ref: externalId, marketplace: marketplaceId }),
        body: z.object({ member: z.boolean() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const sellerId = await sellerIdFor(request.principal!, request.params.ref);
      await db
        .transaction()
        .execute((tx) =>
          setPremium(tx, sellerId, request.params.marketplace, request.body.member, new Date()),
        )
        .catch((error: { code?: string }) => {
          if (error.code === '23503') throw notFound('Marketplace');
          throw error;
        });
      return reply.status(204).send(null);
    },
  );

  app.put(
    '/api/v1/admin/programs/:marketplace/policy',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary:
          'Set the programme rules of a marketplace from an instant on (trial length, automatic enrolment)',
        params: z.object({ marketplace: marketplaceId }),
        body: z.object({
          effectiveFrom: instant,
          trialDays: z.number().int().min(0).max(365),
          autoEnrolNewSellers: z.boolean(),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await insertPolicy(db, request.params.marketplace, new Date(b.effectiveFrom), {
        trialDays: b.trialDays,
        autoEnrolNewSellers: b.autoEnrolNewSellers,
      }).catch((error: { code?: string }) => {
        if (error.code === '23503') throw notFound('Marketplace');
        throw error;
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/admin/programs/auto-enrolment',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Enrol new sellers where the marketplace enrols them automatically (idempotent)',
        body: z.object({ createdSince: instant }),
        response: { 200: z.object({ enrolled: z.number() }), ...errorResponses },
      },
    },
    async (request) => ({
      enrolled: await db
        .transaction()
        .execute((tx) => autoEnrolNewSellers(tx, new Date(request.body.createdSince), new Date())),
    }),
  );
}
