import { z } from 'zod';
import type { Db } from '../../platform/db';
import { notFound } from '../../platform/errors';
import { sellerIdOf } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { listOutbox } from '../../platform/mail';
import { inAppNotifications, markRead, preferencesOf, setPreference } from './notify';
import { notificationCategories } from './templates';

const prefView = z.object({
  category: z.enum(notificationCategories),
  email: z.boolean(),
  inApp: z.boolean(),
});

export function notificationsRoutes(app: App, db: Db, settings: { outboxDir: string }) {
  const SELLER = { roles: ['seller'] as const };

  app.get(
    '/api/v1/seller/notifications',
    {
      config: { access: SELLER },
      schema: {
        tags: ['notifications'],
        summary: 'Your in-app notifications, newest first',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              category: z.string(),
              subject: z.string(),
              body: z.string(),
              createdAt: z.string(),
              readAt: z.string().nullable(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      (await inAppNotifications(db, sellerIdOf(request.principal!))).map((n) => ({
        id: n.id,
        category: n.category,
        subject: n.subject,
        body: n.body,
        createdAt: n.created_at.toISOString(),
        readAt: n.read_at?.toISOString() ?? null,
      })),
  );

  app.post(
    '/api/v1/seller/notifications/:id/read',
    {
      config: { access: SELLER },
      schema: {
        tags: ['notifications'],
        summary: 'Mark a notification read',
        params: z.object({ id: z.string().uuid() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await markRead(db, sellerIdOf(request.principal!), request.params.id, new Date())))
        throw notFound('Notification');
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/seller/notification-preferences',
    {
      config: { access: SELLER },
      schema: {
        tags: ['notifications'],
        summary: 'Which notifications you get by e-mail and in the app, per category',
        response: { 200: z.array(prefView), ...errorResponses },
      },
    },
    async (request) => preferencesOf(db, sellerIdOf(request.principal!)),
  );

  app.put(
    '/api/v1/seller/notification-preferences/:category',
    {
      config: { access: SELLER },
      schema: {
        tags: ['notifications'],
        summary: 'Choose e-mail and in-app delivery for a category (e.g. returns_and_claims)',
        params: z.object({ category: z.enum(notificationCategories) }),
        body: z.object({ email: z.boolean(), inApp: z.boolean() }),
        response: { 200: z.array(prefView), ...errorResponses },
      },
    },
    async (request) => {
      const sellerId = sellerIdOf(request.principal!);
      await setPreference(db, sellerId, request.params.category, request.body);
      return preferencesOf(db, sellerId);
    },
  );

  app.get(
    '/api/v1/admin/outbox',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'E-mails written to the outbox folder when no SMTP_URL is set, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.array(z.object({ file: z.string(), raw: z.string() })), ...errorResponses },
      },
    },
    async (request) => listOutbox(settings.outboxDir, request.query.limit),
  );
}
