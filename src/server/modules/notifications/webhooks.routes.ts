import { z } from 'zod';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import {
  createSubscription,
  deactivateSubscription,
  listDeliveries,
  listSubscriptions,
  retryDelivery,
  type WebhookTargets,
  webhookEventTypes,
  webhookTargetRefusal,
} from './webhooks';

const ADMIN = { roles: ['admin'] as const };
const id = z.object({ id: z.string().uuid() });

export function webhooksRoutes(app: App, db: Db, targets: WebhookTargets) {
  app.post(
    '/api/v1/admin/webhooks',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['webhooks'],
        summary: 'Subscribe an endpoint to events; the signing secret is shown once',
        description:
          'An endpoint on a loopback, private or link-local address (or a name resolving to one) is refused with ' +
          '422 `webhook_target_not_allowed` unless the service runs with `WEBHOOK_ALLOW_PRIVATE_TARGETS=true`.',
        body: z.object({
          url: z
            .string()
            .url()
            .max(2000)
            .regex(/^https?:\/\//, 'http or https'),
          eventTypes: z.array(z.enum(webhookEventTypes)).min(1),
          marketplace: z
            .string()
            .regex(/^[A-Z]{2,8}$/)
            .nullable()
            .default(null),
        }),
        response: { 201: z.object({ id: z.string(), secret: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const refusal = await webhookTargetRefusal(b.url, targets);
      if (refusal)
        throw new AppError(
          'webhook_target_not_allowed',
          `This endpoint may not receive webhooks: ${refusal}`,
          [{ path: 'body.url', code: 'webhook_target_not_allowed', message: refusal }],
        );
      const created = await createSubscription(db, {
        url: b.url,
        eventTypes: b.eventTypes,
        marketplaceId: b.marketplace,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/admin/webhooks',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['webhooks'],
        summary: 'Webhook subscriptions (never their secrets)',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              url: z.string(),
              eventTypes: z.array(z.string()),
              marketplace: z.string().nullable(),
              active: z.boolean(),
              createdAt: z.string(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () =>
      (await listSubscriptions(db)).map((s) => ({
        id: s.id,
        url: s.url,
        eventTypes: s.event_types,
        marketplace: s.marketplace_id,
        active: s.active,
        createdAt: s.created_at.toISOString(),
      })),
  );

  app.delete(
    '/api/v1/admin/webhooks/:id',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['webhooks'],
        summary: 'Stop a subscription',
        params: id,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deactivateSubscription(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/webhooks/:id/deliveries',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['webhooks'],
        summary: 'Deliveries of a subscription with attempts, last HTTP status and error',
        params: id,
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              eventKey: z.string(),
              type: z.string(),
              status: z.string(),
              attempts: z.number(),
              nextAttemptAt: z.string().nullable(),
              lastStatus: z.number().nullable(),
              lastError: z.string().nullable(),
              deliveredAt: z.string().nullable(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      (await listDeliveries(db, request.params.id)).map((d) => ({
        id: d.id,
        eventKey: d.event_key,
        type: d.type,
        status: d.status,
        attempts: d.attempts,
        nextAttemptAt: d.next_attempt_at?.toISOString() ?? null,
        lastStatus: d.last_status,
        lastError: d.last_error,
        deliveredAt: d.delivered_at?.toISOString() ?? null,
      })),
  );

  app.post(
    '/api/v1/admin/webhooks/:id/deliveries/:deliveryId/retry',
    {
      config: { access: ADMIN },
      schema: {
        tags: ['webhooks'],
        summary: 'Send a failed delivery again',
        params: z.object({ id: z.string().uuid(), deliveryId: z.string().uuid() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await db
        .transaction()
        .execute((tx) => retryDelivery(tx, request.params.id, request.params.deliveryId, new Date()));
      return reply.status(204).send(null);
    },
  );
}
