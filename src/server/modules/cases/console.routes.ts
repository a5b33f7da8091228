// The agent console's and the supervisor pages' own reads and writes: case search, saved replies (kept
// by supervisors and admins, used by agents) and the live queue board.
import { z } from 'zod';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { caseStatuses } from './case-rules';
import { findCase } from './cases.repository';
import { queueBoard } from './queue-board';
import {
  createSavedReply,
  deleteSavedReply,
  findSavedReply,
  listSavedReplies,
  PLACEHOLDERS,
  placeholderValues,
  renderSavedReply,
  SAVED_REPLY_LANGUAGES,
  type SavedReplyRow,
  updateSavedReply,
} from './saved-replies';
import { SEARCH_LANGUAGES, searchCases } from './search';
import { waitingOnSupervisors } from './supervisor-waiting';

const CASE_WORKERS = { roles: ['agent', 'supervisor'] as const };
const SUPERVISORS = { roles: ['supervisor', 'admin'] as const };
const statuses = caseStatuses;
const iso = (d: Date | null) => d?.toISOString() ?? null;
const userOf = (p: Principal) => {
  if (p.kind !== 'user') throw new AppError('forbidden', 'People only');
  return p.userId;
};

const savedReplySchema = z.object({
  id: z.string(),
  marketplace: z.string().nullable(),
  language: z.enum(SAVED_REPLY_LANGUAGES),
  title: z.string(),
  body: z.string(),
  updatedAt: z.string(),
});
const savedReplyView = (r: SavedReplyRow) => ({
  id: r.id,
  marketplace: r.marketplace_id,
  language: r.language,
  title: r.title,
  body: r.body,
  updatedAt: r.updated_at.toISOString(),
});
const savedReplyBody = z.object({
  marketplace: z
    .string()
    .regex(/^[A-Z]{2,8}$/)
    .nullable()
    .default(null),
  language: z.enum(SAVED_REPLY_LANGUAGES),
  title: z.string().trim().min(1).max(120),
  body: z.string().trim().min(1).max(5000),
});
const idParam = z.object({ id: z.string().uuid() });

export function consoleRoutes(app: App, db: Db) {
  app.get(
    '/api/v1/cases',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary:
          'Search cases: by number, order, buyer e-mail, status, queue, marketplace and words in messages',
        description:
          'All filters combine. `text` is matched with PostgreSQL full-text search over the buyer–customer ' +
          'service messages (e-mail, chat, call notes), stemmed in the five languages (or only in `textLanguage`). ' +
          'Newest first; pass `nextCursor` back as `cursor` for the next page.',
        querystring: z.object({
          caseNumber: z.string().trim().min(1).max(32).optional(),
          order: z.string().trim().min(1).max(100).optional(),
          buyerEmail: z.string().trim().min(3).max(254).optional(),
          status: z.enum(statuses).optional(),
          queue: z.string().trim().min(1).max(40).optional(),
          marketplace: z
            .string()
            .regex(/^[A-Z]{2,8}$/)
            .optional(),
          text: z.string().trim().min(1).max(200).optional(),
          textLanguage: z.enum(SEARCH_LANGUAGES).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(25),
        }),
        response: {
          200: z.object({
            cases: z.array(
              z.object({
                caseNumber: z.string(),
                status: z.string(),
                marketplace: z.string(),
                language: z.string(),
                channel: z.string(),
                queue: z.string(),
                topic: z.string(),
                owner: z.object({ kind: z.string(), name: z.string().nullable() }).nullable(),
                buyerName: z.string().nullable(),
                orderNumber: z.string().nullable(),
                dueAt: z.string().nullable(),
                openedAt: z.string(),
                conversationId: z.string().nullable(),
              }),
            ),
            nextCursor: z.string().nullable(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const found = await searchCases(db, request.query);
      return {
        cases: found.cases.map((c) => ({
          caseNumber: c.case_number,
          status: c.status,
          marketplace: c.marketplace_id,
          language: c.language,
          channel: c.channel,
          queue: c.queue,
          topic: c.topic,
          owner: c.owner_kind === 'unassigned' ? null : { kind: c.owner_kind, name: c.owner_name },
          buyerName: c.buyer_name,
          orderNumber: c.order_number,
          dueAt: iso(c.due_at),
          openedAt: c.opened_at.toISOString(),
          conversationId: c.conversation_id,
        })),
        nextCursor: found.nextCursor,
      };
    },
  );

  app.get(
    '/api/v1/saved-replies',
    {
      config: { access: { roles: ['agent', 'supervisor', 'admin'] } },
      schema: {
        tags: ['cases'],
        summary: 'Saved replies, by language and marketplace (those for every marketplace included)',
        description: `Placeholders: ${PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')}.`,
        querystring: z.object({
          language: z.enum(SAVED_REPLY_LANGUAGES).optional(),
          marketplace: z
            .string()
            .regex(/^[A-Z]{2,8}$/)
            .optional(),
        }),
        response: {
          200: z.object({ placeholders: z.array(z.string()), replies: z.array(savedReplySchema) }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      placeholders: [...PLACEHOLDERS],
      replies: (await listSavedReplies(db, request.query)).map(savedReplyView),
    }),
  );

  app.post(
    '/api/v1/admin/saved-replies',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['admin'],
        summary: 'Add a saved reply (an unknown {{placeholder}} is refused)',
        body: savedReplyBody,
        response: { 201: savedReplySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const row = await createSavedReply(db, request.body, userOf(request.principal!), new Date());
      return reply.status(201).send(savedReplyView(row));
    },
  );

  app.put(
    '/api/v1/admin/saved-replies/:id',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['admin'],
        summary: 'Change a saved reply',
        params: idParam,
        body: savedReplyBody,
        response: { 200: savedReplySchema, ...errorResponses },
      },
    },
    async (request) =>
      savedReplyView(
        await updateSavedReply(db, request.params.id, request.body, userOf(request.principal!), new Date()),
      ),
  );

  app.delete(
    '/api/v1/admin/saved-replies/:id',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['admin'],
        summary: 'Remove a saved reply (no longer offered)',
        params: idParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteSavedReply(db, request.params.id, userOf(request.principal!), new Date());
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/cases/:ref/saved-replies/:id',
    {
      config: { access: CASE_WORKERS },
      schema: {
        tags: ['cases'],
        summary: "A saved reply filled in for a case: the buyer's name, the order number, the case number…",
        description:
          'A value the case lacks (no order, say) is listed in `missing` and its placeholder is left in the ' +
          'text for the agent to fill in. Nothing is sent: the agent sends the text as a reply.',
        params: z.object({ ref: z.string().min(1).max(64), id: z.string().uuid() }),
        response: {
          200: z.object({
            id: z.string(),
            title: z.string(),
            text: z.string(),
            missing: z.array(z.string()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const c = await findCase(db, request.params.ref);
      if (!c) throw notFound('Case');
      const saved = await findSavedReply(db, request.params.id);
      const values = await placeholderValues(db, c.id, userOf(request.principal!));
      return { id: saved.id, title: saved.title, ...renderSavedReply(saved.body, values) };
    },
  );

  app.get(
    '/api/v1/supervisor/queue-board',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['cases'],
        summary: 'The queues now: waiting cases, the oldest wait, breaches and available agents, per queue',
        description:
          'A queue is per marketplace and language (`IT:it`, `IT:it:premium`) or the supervisors’ queue of a ' +
          'marketplace (`IT:supervisors`, language null). Only queues with open cases are listed.',
        response: {
          200: z.object({
            at: z.string(),
            queues: z.array(
              z.object({
                queue: z.string(),
                marketplace: z.string(),
                language: z.string().nullable(),
                premium: z.boolean(),
                waiting: z.number(),
                oldestWaitingSince: z.string().nullable(),
                open: z.number(),
                breached: z.number(),
                agentsAvailable: z.number(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const at = new Date();
      const rows = await queueBoard(db, at);
      return {
        at: at.toISOString(),
        queues: rows.map((r) => ({ ...r, oldestWaitingSince: iso(r.oldestWaitingSince) })),
      };
    },
  );

  app.get(
    '/api/v1/supervisor/waiting',
    {
      config: { access: SUPERVISORS },
      schema: {
        tags: ['cases'],
        summary:
          'What waits on supervisors: escalated cases and concessions waiting for approval, oldest first',
        response: {
          200: z.object({
            escalations: z.array(
              z.object({
                caseNumber: z.string(),
                marketplace: z.string(),
                language: z.string(),
                escalationReason: z.string().nullable(),
                owner: z.string().nullable(),
                since: z.string(),
              }),
            ),
            approvals: z.array(
              z.object({
                id: z.string(),
                caseNumber: z.string().nullable(),
                action: z.string(),
                reason: z.string(),
                amount: z.number(),
                currency: z.string(),
                requestedBy: z.string().nullable(),
                requestedAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async () => {
      const w = await waitingOnSupervisors(db);
      return {
        escalations: w.escalations.map((e) => ({
          caseNumber: e.case_number,
          marketplace: e.marketplace_id,
          language: e.language,
          escalationReason: e.escalation_reason,
          owner: e.owner_name,
          since: e.updated_at.toISOString(),
        })),
        approvals: w.approvals.map((a) => ({
          id: a.id,
          caseNumber: a.case_number,
          action: a.action,
          reason: a.reason,
          amount: Number(a.amount),
          currency: a.currency,
          requestedBy: a.requested_by,
          requestedAt: a.requested_at.toISOString(),
        })),
      };
    },
  );
}
