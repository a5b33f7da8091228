import { z } from 'zod';
import { instant, MAX_MINOR_AMOUNT } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { sellerIdOf, userIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { callerKey } from '../../platform/idempotency';
import { concessionActions, concessionReasons } from './concession-policy';
import {
  approvalLimits,
  decideApproval,
  grantConcession,
  optionsForCase,
  setApprovalLimits,
} from './concessions';
import { confirmReceipt, sellerRefunded } from './refund-deadlines';
import { sellerDecisions } from './seller-decisions';

const amount = z.number().int().min(0).max(MAX_MINOR_AMOUNT);
const view = z.object({
  id: z.string(),
  status: z.string(),
  amountItems: z.number(),
  amountShipping: z.number(),
  replayed: z.boolean(),
  explanation: z.record(z.string(), z.unknown()),
});

export function refundsRoutes(app: App, db: Db) {
  const WORKERS = { roles: ['agent', 'supervisor'] as const };

  app.get(
    '/api/v1/cases/:ref/concession-options',
    {
      config: { access: WORKERS },
      schema: {
        tags: ['concessions'],
        summary: 'What may be granted for a reason on this case’s order, with maximum amounts and why',
        params: z.object({ ref: z.string().min(1).max(64) }),
        querystring: z.object({ reason: z.enum(concessionReasons) }),
        response: {
          200: z.object({
            currency: z.string(),
            options: z.array(
              z.object({
                action: z.string(),
                allowed: z.boolean(),
                maxAmount: z.number(),
                reason: z.string(),
                explanation: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const r = await optionsForCase(db, request.params.ref, request.query.reason, new Date());
      return {
        currency: r.currency,
        options: r.options.map((o) => ({ ...o, maxAmount: Number(o.maxAmount) })),
      };
    },
  );

  app.post(
    '/api/v1/cases/:ref/concessions',
    {
      config: { access: WORKERS },
      schema: {
        tags: ['concessions'],
        summary:
          'Grant a concession (refund, partial refund, shipping refund…); money moves once per Idempotency-Key',
        params: z.object({ ref: z.string().min(1).max(64) }),
        headers: z.object({ 'idempotency-key': z.string().min(8).max(200) }),
        body: z.object({
          action: z.enum(concessionActions),
          reason: z.enum(concessionReasons),
          lines: z
            .array(z.object({ lineNo: z.number().int().min(1).max(999), amount }))
            .max(200)
            .default([]),
          shipping: amount.default(0),
        }),
        response: { 200: view, ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'user' || (p.role !== 'agent' && p.role !== 'supervisor'))
        throw new AppError('forbidden', 'Agents only');
      const b = request.body;
      const r = await db.transaction().execute((tx) =>
        grantConcession(tx, {
          idempotency: callerKey(p, 'concession', request.headers['idempotency-key'], {
            params: request.params,
            body: b,
          }),
          caseRef: request.params.ref,
          action: b.action,
          reason: b.reason,
          lines: b.lines.map((l) => ({ lineNo: l.lineNo, amount: BigInt(l.amount) })),
          shipping: BigInt(b.shipping),
          actor: { userId: p.userId, role: p.role as 'agent' | 'supervisor' },
          at: new Date(),
        }),
      );
      return {
        id: r.id,
        status: r.status,
        amountItems: Number(r.amount_items),
        amountShipping: Number(r.amount_shipping),
        replayed: r.replayed,
        explanation: r.explanation,
      };
    },
  );

  app.get(
    '/api/v1/seller/decisions',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['concessions'],
        summary:
          'Decisions on your orders: what, how much, the reason code, the rule and the facts; a carrier-claim package for loss or damage',
        response: { 200: z.array(z.record(z.string(), z.unknown())), ...errorResponses },
      },
    },
    async (request) => {
      return sellerDecisions(db, sellerIdOf(request.principal!));
    },
  );

  app.post(
    '/api/v1/seller/returns/:ref/receipt',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['returns'],
        summary: 'Confirm a return reached your warehouse; the 2-business-day refund deadline starts',
        params: z.object({ ref: z.string().min(1).max(128) }),
        response: { 200: z.object({ refundDueAt: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      const due = await db
        .transaction()
        .execute((tx) => confirmReceipt(tx, request.params.ref, sellerId, new Date()));
      return { refundDueAt: due.toISOString() };
    },
  );

  app.post(
    '/api/v1/seller/returns/:ref/refund',
    {
      config: { access: { roles: ['seller'] } },
      schema: {
        tags: ['returns'],
        summary:
          'Record that you refunded the buyer for a received return (before the deadline nothing is charged)',
        params: z.object({ ref: z.string().min(1).max(128) }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const sellerId = sellerIdOf(request.principal!);
      await db.transaction().execute((tx) => sellerRefunded(tx, request.params.ref, sellerId, new Date()));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/concessions/:id/approval',
    {
      config: { access: { roles: ['supervisor'] } },
      schema: {
        tags: ['concessions'],
        summary: 'Approve or deny a concession above the agent’s limit, with a reason',
        params: z.object({ id: z.string().uuid() }),
        body: z.object({ approve: z.boolean(), note: z.string().trim().min(3).max(2000) }),
        response: { 200: z.object({ id: z.string(), status: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const supervisorId = userIdOf(request.principal!);
      return db
        .transaction()
        .execute((tx) =>
          decideApproval(
            tx,
            request.params.id,
            supervisorId,
            request.body.approve,
            request.body.note,
            new Date(),
          ),
        );
    },
  );

  const limits = z.object({ agent: amount, supervisor: amount });
  const marketplaceParams = z.object({ id: z.string().regex(/^[A-Z]{2,8}$/) });
  app.get(
    '/api/v1/marketplaces/:id/approval-limits',
    {
      config: { access: { roles: ['admin', 'supervisor', 'agent'] as const } },
      schema: {
        tags: ['concessions'],
        summary:
          'What an agent and a supervisor may grant alone in this marketplace, now or `at` an instant (minor units)',
        params: marketplaceParams,
        querystring: z.object({ at: instant.optional() }),
        response: { 200: limits, ...errorResponses },
      },
    },
    async (request) => {
      const l = await approvalLimits(
        db,
        request.params.id,
        request.query.at ? new Date(request.query.at) : new Date(),
      );
      return { agent: Number(l.agent), supervisor: Number(l.supervisor) };
    },
  );

  app.put(
    '/api/v1/admin/marketplaces/:id/approval-limits',
    {
      config: { access: { roles: ['admin'] as const } },
      schema: {
        tags: ['concessions'],
        summary:
          'Set the concession limits per role (K6), effective now or from `effectiveFrom`; above them a supervisor approves',
        params: marketplaceParams,
        body: limits.extend({ effectiveFrom: instant.optional() }),
        response: { 200: limits, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      await setApprovalLimits(
        db,
        request.params.id,
        { agent: BigInt(b.agent), supervisor: BigInt(b.supervisor) },
        b.effectiveFrom ? new Date(b.effectiveFrom) : new Date(),
      );
      return { agent: b.agent, supervisor: b.supervisor };
    },
  );
}
