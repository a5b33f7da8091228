import { z } from 'zod';
import { externalId } from '../../../contracts/common';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { buyerIdOf, type Principal, staffRoles } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { callerKey } from '../../platform/idempotency';
import { contactTopics } from '../routing';
import {
  type Actor,
  caseSummary,
  closeCase,
  escalate,
  pullNextCase,
  rateCase,
  replyToBuyer,
  resolveCase,
} from './case-work';
import {
  type CaseRow,
  caseHistory,
  findCase,
  insertSlaPolicy,
  listAgentProfiles,
  ownedCases,
  slaPolicyRows,
  slaTargets,
  upsertAgentProfile,
} from './cases.repository';
import { consoleRoutes } from './console.routes';
import { receiveContact } from './contacts';
import { inboundCall, logCall, requestCallback } from './phone';
import { reassignCase, UNASSIGNABLE_DEFINITION, unassignableCases } from './supervision';

const marketplaceId = z.string().regex(/^[A-Z]{2,8}$/);
const caseRef = z.object({ ref: z.string().min(1).max(64) });
const message = z.string().trim().min(1).max(20_000);

const summarySchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  status: z.string(),
  owner: z.object({ kind: z.string(), name: z.string().nullable() }).nullable(),
});
const iso = (d: Date | null) => d?.toISOString() ?? null;

function actorOf(p: Principal): Actor {
  if (p.kind === 'buyer_token') return { kind: 'buyer', userId: null, buyerId: p.buyerId };
  if (p.kind === 'user' && p.role === 'buyer') return { kind: 'buyer', userId: p.userId, buyerId: p.buyerId };
  const worker = caseWorkerOf(p);
  return { kind: worker.role, userId: worker.userId };
}

/** The agent or supervisor calling; anyone else is refused. */
export function caseWorkerOf(p: Principal): { userId: string; role: 'agent' | 'supervisor' } {
  if (p.kind === 'user' && (p.role === 'agent' || p.role === 'supervisor'))
    return { userId: p.userId, role: p.role };
  throw new AppError('forbidden', 'Only buyers, agents and supervisors act on cases');
}

export function casesRoutes(app: App, db: Db) {
  const BUYERS_AND_STAFF = { roles: [...staffRoles, 'buyer'] as const };
  const CASE_WORKERS = { roles: ['agent', 'supervisor'] as const };
  consoleRoutes(app, db);

  app.post(
    '/api/v1/contacts',
    {
      config: { access: BUYERS_AND_STAFF },
      schema: {
        tags: ['cases'],
        summary:
          'A buyer contacts customer service (or an agent records one): routed, then a case is opened or continued',
        description:
          'Send `caseNumber` to continue a case. Send an `Idempotency-Key` header to make retries safe ' +
          '(the same key with another request: `422 idempotency_key_reused`). ' +
          'The answer says who handles the contact and why (routing reason and explanation).',
        headers: z.object({ 'idempotency-key': z.string().min(8).max(200).optional() }),
        body: z.object({
          marketplace: marketplaceId,
          channel: z.enum(['chat', 'email', 'phone']),
          topic: z.enum(contactTopics),
          orderId: externalId.optional(),
          caseNumber: z.string().max(32).optional(),
          language: z
            .string()
            .regex(/^[a-z]{2}$/)
            .optional(),
          message,
          buyerId: z.string().uuid().optional(),
        }),
        response: {
          200: z.object({
            contactId: z.string(),
            handler: z.string(),
            reason: z.string(),
            explanation: z.string(),
            case: summarySchema.nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const p = request.principal!;
      const b = request.body;
      const buyerId = buyerIdOf(p) ?? b.buyerId ?? null;
      if (p.kind === 'user' && p.role !== 'buyer' && !b.orderId && !b.buyerId && !b.caseNumber) {
        throw new AppError(
          'validation_failed',
          'Name the order, the buyer or the case the contact is about',
          [
            {
              path: 'body.orderId',
              code: 'required',
              message: 'orderId, buyerId or caseNumber is required for staff',
            },
          ],
        );
      }
      const key = request.headers['idempotency-key'];
      // No transaction here: a new case is written in one statement, other paths open their own.
      return receiveContact(db, {
        idempotency: key ? callerKey(p, 'contact', key, b) : null,
        marketplaceId: b.marketplace,
        channel: b.channel,
        sender: 'buyer',
        buyerId,
        sellerId: null,
        orderRef: b.orderId ?? null,
        topic: b.topic,
        language: b.language ?? null,
        body: b.message,
        caseNumber: b.caseNumber ?? null,
        at: new Date(),
      });
    },
  );

  app.get(
    '/api/v1/cases/:ref',
    {
      config: { access: BUYERS_AND_STAFF },
      schema: {
        tags: ['cases'],
        summary: 'A case with its messages and, for staff, its full event history',
        params: caseRef,
        response: { 200: z.record(z.string(), z.unknown()), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      const c = await findCase(db, request.params.ref);
      const buyerId = buyerIdOf(p);
      if (!c || (buyerId !== null && c.buyer_id !== buyerId) || (p.kind === 'user' && p.role === 'seller'))
        throw notFound('Case');
      const history = await caseHistory(db, c.id);
      const messages = history.messages.map((m) => ({
        author: m.author_kind,
        channel: m.channel,
        body: m.body,
        sentAt: iso(m.sent_at),
      }));
      if (buyerId !== null) return { ...(await caseSummary(db, c)), messages };
      return {
        ...(await caseSummary(db, c)),
        ...staffView(c),
        messages,
        events: history.events.map((e) => ({
          kind: e.kind,
          actor: e.actor_kind,
          actorUserId: e.actor_user_id,
          data: e.data,
          at: iso(e.at),
        })),
      };
    },
  );

  app.get(
    '/api/v1/agent/cases',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: "The caller's open cases, the one due soonest first",
        response: { 200: z.array(z.record(z.string(), z.unknown())), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'user') throw new AppError('forbidden', 'Agents only');
      return (await ownedCases(db, p.userId)).map((c) => ({ caseNumber: c.case_number, ...staffView(c) }));
    },
  );

  app.post(
    '/api/v1/agent/next-case',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary:
          'Take the next unassigned case from your queues (due soonest first); never the same case as another agent',
        response: { 200: z.object({ case: summarySchema.nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'user') throw new AppError('forbidden', 'Agents only');
      const claimed = await db.transaction().execute((tx) => pullNextCase(tx, p.userId, new Date()));
      return { case: claimed ? await caseSummary(db, claimed) : null };
    },
  );

  app.post(
    '/api/v1/cases/:ref/replies',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: 'Reply to the buyer',
        params: caseRef,
        body: z.object({ message }),
        response: { 200: summarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await db
        .transaction()
        .execute((tx) =>
          replyToBuyer(tx, request.params.ref, actorOf(request.principal!), request.body.message, new Date()),
        );
      return caseSummary(db, updated);
    },
  );

  app.post(
    '/api/v1/cases/:ref/escalations',
    {
      config: { access: { roles: ['agent', 'supervisor', 'buyer'] } },
      schema: {
        tags: ['cases'],
        summary: 'Escalate to a supervisor, with a reason (buyers may ask for a manager)',
        params: caseRef,
        body: z.object({ reason: z.string().trim().min(3).max(2000) }),
        response: { 200: summarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await db
        .transaction()
        .execute((tx) =>
          escalate(tx, request.params.ref, actorOf(request.principal!), request.body.reason, new Date()),
        );
      return caseSummary(db, updated);
    },
  );

  app.post(
    '/api/v1/cases/:ref/resolution',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: 'Mark the case resolved',
        params: caseRef,
        body: z.object({ note: z.string().max(2000).optional() }),
        response: { 200: summarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await db
        .transaction()
        .execute((tx) =>
          resolveCase(
            tx,
            request.params.ref,
            actorOf(request.principal!),
            request.body.note ?? null,
            new Date(),
          ),
        );
      return caseSummary(db, updated);
    },
  );

  app.post(
    '/api/v1/cases/:ref/closure',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: 'Close a resolved case',
        params: caseRef,
        response: { 200: summarySchema, ...errorResponses },
      },
    },
    async (request) => {
      const updated = await db
        .transaction()
        .execute((tx) => closeCase(tx, request.params.ref, actorOf(request.principal!), new Date()));
      return caseSummary(db, updated);
    },
  );

  const slaTargetsView = z.object({
    firstResponseMinutes: z.number(),
    nextResponseMinutes: z.number(),
    warningPercent: z.number(),
  });
  app.get(
    '/api/v1/admin/sla/:marketplace',
    {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: {
        tags: ['admin'],
        summary:
          'Response targets per channel in force now or `at` an instant (defaults where none was set), and every dated change',
        params: z.object({ marketplace: marketplaceId }),
        querystring: z.object({ at: z.iso.datetime({ offset: true }).optional() }),
        response: {
          200: z.object({
            at: z.string(),
            inForce: z.object({ chat: slaTargetsView, email: slaTargetsView, phone: slaTargetsView }),
            changes: z.array(slaTargetsView.extend({ channel: z.string(), effectiveFrom: z.string() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const m = request.params.marketplace;
      const at = request.query.at ? new Date(request.query.at) : new Date();
      const [chat, email, phone, rows] = await Promise.all([
        slaTargets(db, m, 'chat', at),
        slaTargets(db, m, 'email', at),
        slaTargets(db, m, 'phone', at),
        slaPolicyRows(db, m),
      ]);
      return {
        at: at.toISOString(),
        inForce: { chat, email, phone },
        changes: rows.map((r) => ({
          channel: r.channel,
          effectiveFrom: r.effective_from.toISOString(),
          firstResponseMinutes: r.first_response_minutes,
          nextResponseMinutes: r.next_response_minutes,
          warningPercent: r.warning_percent,
        })),
      };
    },
  );

  app.put(
    '/api/v1/admin/sla/:marketplace/:channel',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary:
          'Set first- and next-response targets of a channel in a marketplace, effective from an instant',
        params: z.object({ marketplace: marketplaceId, channel: z.enum(['chat', 'email', 'phone']) }),
        body: z.object({
          effectiveFrom: z.iso.datetime({ offset: true }),
          firstResponseMinutes: z
            .number()
            .int()
            .min(1)
            .max(60 * 24 * 30),
          nextResponseMinutes: z
            .number()
            .int()
            .min(1)
            .max(60 * 24 * 30),
          warningPercent: z.number().int().min(1).max(99).default(80),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      await insertSlaPolicy(
        db,
        request.params.marketplace,
        request.params.channel,
        new Date(b.effectiveFrom),
        b,
      ).catch((error: { code?: string }) => {
        if (error.code === '23503') throw notFound('Marketplace');
        throw error;
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/cases/:ref/rating',
    {
      config: { access: { roles: ['buyer'] } },
      schema: {
        tags: ['cases'],
        summary: 'Rate the help received (1–5, solved or not, a comment)',
        params: caseRef,
        body: z.object({
          stars: z.number().int().min(1).max(5),
          solved: z.boolean(),
          comment: z.string().max(2000).optional(),
        }),
        response: {
          200: z.object({ ratedOwnerKind: z.string(), ratedUserId: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const buyerId = buyerIdOf(request.principal!);
      if (!buyerId) throw new AppError('forbidden', 'Only the buyer rates');
      const b = request.body;
      return db
        .transaction()
        .execute((tx) =>
          rateCase(
            tx,
            request.params.ref,
            buyerId,
            { stars: b.stars, solved: b.solved, comment: b.comment ?? null },
            new Date(),
          ),
        );
    },
  );

  const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164, e.g. +390212345678');
  const contactResult = z.object({
    contactId: z.string(),
    handler: z.string(),
    reason: z.string(),
    explanation: z.string(),
    case: summarySchema.nullable(),
  });

  app.post(
    '/api/v1/cases/:ref/calls',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['phone'],
        summary: 'Log a phone call on a case (caller, direction, start, end, outcome, notes)',
        params: caseRef,
        body: z.object({
          caller: e164,
          direction: z.enum(['inbound', 'outbound']),
          startedAt: z.iso.datetime({ offset: true }),
          endedAt: z.iso.datetime({ offset: true }).optional(),
          outcome: z.enum(['answered', 'missed', 'voicemail', 'transferred']),
          notes: z.string().max(5000).optional(),
        }),
        response: {
          200: z.object({ callId: z.string().nullable(), caseNumber: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const b = request.body;
      return db.transaction().execute((tx) =>
        logCall(
          tx,
          request.params.ref,
          actorOf(request.principal!),
          {
            caller: b.caller,
            direction: b.direction,
            startedAt: new Date(b.startedAt),
            endedAt: b.endedAt ? new Date(b.endedAt) : null,
            outcome: b.outcome,
            notes: b.notes ?? null,
          },
          new Date(),
        ),
      );
    },
  );

  app.post(
    '/api/v1/telephony/inbound-calls',
    {
      config: { access: { scopes: ['telephony'] } },
      schema: {
        tags: ['phone'],
        summary: "The telephony provider's webhook: an inbound call opens or joins the caller's case",
        body: z.object({
          marketplace: marketplaceId,
          callerNumber: e164,
          callId: z.string().min(1).max(200),
          startedAt: z.iso.datetime({ offset: true }),
        }),
        response: { 200: contactResult, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      return db.transaction().execute((tx) =>
        inboundCall(
          tx,
          {
            marketplaceId: b.marketplace,
            callerNumber: b.callerNumber,
            externalCallId: b.callId,
            startedAt: new Date(b.startedAt),
          },
          new Date(),
        ),
      );
    },
  );

  app.post(
    '/api/v1/cases/:ref/callbacks',
    {
      config: { access: { roles: ['agent', 'supervisor', 'buyer'] } },
      schema: {
        tags: ['phone'],
        summary: 'Schedule a callback to the buyer; when due, it comes back to the case',
        params: caseRef,
        body: z.object({ phone: e164, dueAt: z.iso.datetime({ offset: true }) }),
        response: { 200: z.object({ id: z.string(), dueAt: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const r = await db
        .transaction()
        .execute((tx) =>
          requestCallback(
            tx,
            request.params.ref,
            request.body.phone,
            new Date(request.body.dueAt),
            actorOf(request.principal!),
            new Date(),
          ),
        );
      return { id: r.id, dueAt: r.dueAt.toISOString() };
    },
  );

  const SUPERVISORS = { roles: ['supervisor', 'admin'] as const };
  const supervisorOf = (p: Principal) => {
    if (p.kind === 'user' && (p.role === 'supervisor' || p.role === 'admin'))
      return { userId: p.userId, role: p.role };
    throw new AppError('forbidden', 'Supervisors and admins only');
  };

  app.get(
    '/api/v1/supervisor/unassignable-cases',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['cases'],
        summary: 'Open cases no agent can take now, each with the reason',
        description: UNASSIGNABLE_DEFINITION,
        response: {
          200: z.object({
            definition: z.string(),
            cases: z.array(
              z.object({
                caseNumber: z.string(),
                status: z.string(),
                reason: z.enum(['no_agent_serves_queue', 'no_agent_available']),
                explanation: z.string(),
                ...staffViewSchema,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      definition: UNASSIGNABLE_DEFINITION,
      cases: (await unassignableCases(db)).map((u) => ({
        caseNumber: u.case.case_number,
        status: u.case.status,
        reason: u.reason,
        explanation: u.explanation,
        ...staffView(u.case),
      })),
    }),
  );

  app.post(
    '/api/v1/cases/:ref/reassignment',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['cases'],
        summary:
          'Give an open case to an agent who serves its queue, or move it to another queue of its marketplace',
        description:
          'Send `agentId` (an agent or supervisor set up for the case’s marketplace, language and premium skill; ' +
          'availability and capacity are the supervisor’s call) or `queue` (`IT:it`, `IT:it:premium`: a language ' +
          'the marketplace speaks; the least busy available agent there is booked), with a `note` saying why. ' +
          'The case’s history records who moved it and why; its SLA clock runs on unchanged.',
        params: caseRef,
        body: z
          .object({
            agentId: z.string().uuid().optional(),
            queue: z.string().max(40).optional(),
            note: z.string().trim().min(3).max(2000),
          })
          .refine((b) => (b.agentId === undefined) !== (b.queue === undefined), {
            message: 'send agentId or queue, not both',
            path: ['agentId'],
          }),
        response: { 200: summarySchema.extend({ queue: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const by = supervisorOf(request.principal!);
      const b = request.body;
      const to = b.agentId !== undefined ? { agentId: b.agentId } : { queue: b.queue! };
      const updated = await db
        .transaction()
        .execute((tx) => reassignCase(tx, request.params.ref, by, { to, note: b.note }, new Date()));
      return { ...(await caseSummary(db, updated)), queue: updated.queue };
    },
  );

  app.get(
    '/api/v1/admin/agents',
    {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: {
        tags: ['admin'],
        summary:
          'Agents and supervisors with their marketplaces, languages, capacity, open cases and availability (profile null until set)',
        response: {
          200: z.array(
            z.object({
              userId: z.string(),
              email: z.string(),
              displayName: z.string(),
              role: z.string(),
              profile: z
                .object({
                  marketplaces: z.array(z.string()),
                  languages: z.array(z.string()),
                  capacity: z.number(),
                  premium: z.boolean(),
                  available: z.boolean(),
                  openCases: z.number(),
                })
                .nullable(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () =>
      (await listAgentProfiles(db)).map((a) => ({
        userId: a.user_id,
        email: a.email,
        displayName: a.display_name,
        role: a.role,
        profile:
          a.marketplaces === null
            ? null
            : {
                marketplaces: a.marketplaces,
                languages: a.languages ?? [],
                capacity: a.capacity ?? 0,
                premium: a.premium ?? false,
                available: a.available ?? false,
                openCases: a.open_cases ?? 0,
              },
      })),
  );

  app.put(
    '/api/v1/admin/agents/:userId',
    {
      config: { access: { roles: ['admin', 'supervisor'] } },
      schema: {
        tags: ['admin'],
        summary:
          "Set an agent's or supervisor's marketplaces, languages, capacity, premium skill and availability",
        params: z.object({ userId: z.string().uuid() }),
        body: z.object({
          marketplaces: z.array(marketplaceId).min(1).max(20),
          languages: z
            .array(z.string().regex(/^[a-z]{2}$/))
            .min(1)
            .max(10),
          capacity: z.number().int().min(1).max(100).default(8),
          premium: z.boolean().default(false),
          available: z.boolean().default(true),
        }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await upsertAgentProfile(db, request.params.userId, request.body).catch((error: { code?: string }) => {
        if (error.code === '23503') throw notFound('User');
        throw error;
      });
      return reply.status(204).send(null);
    },
  );
}

const staffViewSchema = {
  marketplace: z.string(),
  sellerId: z.string().nullable(),
  buyerId: z.string().nullable(),
  orderId: z.string().nullable(),
  language: z.string(),
  channel: z.string(),
  topic: z.string(),
  routingReason: z.string(),
  queue: z.string(),
  firstResponseDueAt: z.string().nullable(),
  nextResponseDueAt: z.string().nullable(),
  escalationReason: z.string().nullable(),
  openedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
};

function staffView(c: CaseRow) {
  return {
    marketplace: c.marketplace_id,
    sellerId: c.seller_id,
    buyerId: c.buyer_id,
    orderId: c.order_id,
    language: c.language,
    channel: c.channel,
    topic: c.topic,
    routingReason: c.routing_reason,
    queue: c.queue,
    firstResponseDueAt: iso(c.first_response_due_at),
    nextResponseDueAt: iso(c.next_response_due_at),
    escalationReason: c.escalation_reason,
    openedAt: iso(c.opened_at),
    resolvedAt: iso(c.resolved_at),
  };
}
