import { z } from 'zod';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { apiKeyScopes, userRoles } from '../../platform/http/access';
import { errorResponses } from '../../platform/http/schemas';
import type { App } from '../../platform/http/server';
import { SESSION_COOKIE } from './authenticate';
import type { CredentialCache } from './credential-cache';
import { hashPassword, newApiKey, sha256 } from './credentials';
import {
  deleteSession,
  findSessionUser,
  insertApiKey,
  insertUser,
  listApiKeys,
  listUsers,
  revokeApiKey,
} from './identity.repository';
import { signIn, userView as viewOfUser } from './sessions';

export type IdentityRouteSettings = {
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  secureCookies: boolean;
  /** This instance's remembered credentials: forgotten before a sign-out or a revocation answers. */
  credentials?: CredentialCache;
};

const userView = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(userRoles),
  sellerId: z.string().nullable(),
  buyerId: z.string().nullable(),
});

export function identityRoutes(app: App, db: Db, settings: IdentityRouteSettings) {
  // A counter of its own: the plugin runs one of its hooks per request, and the per-account one must run too.
  const attemptsFromAddress = app.createRateLimit({
    max: settings.loginRateLimitPerMinute * 10,
    timeWindow: '1 minute',
    keyGenerator: (req) => req.ip,
  });
  app.post(
    '/api/v1/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: {
          max: settings.loginRateLimitPerMinute,
          timeWindow: '1 minute',
          keyGenerator: (req) =>
            `${req.ip}:${String((req.body as { email?: unknown })?.email ?? '').toLowerCase()}`,
        },
      },
      // One address trying many accounts (password spraying, or burning the CPU on password hashes)
      // is limited too: ten accounts' worth of attempts a minute, before the body is even read.
      onRequest: async (request) => {
        const limit = await attemptsFromAddress(request);
        if (!limit.isAllowed && limit.isExceeded)
          throw new AppError('rate_limited', 'Too many sign-in attempts from your address; wait a minute');
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password; sets an httpOnly session cookie',
        body: z.object({ email: z.string().email().max(254), password: z.string().min(1).max(1024) }),
        response: {
          200: z.object({ user: userView, csrfToken: z.string(), expiresAt: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const s = await signIn(
        db,
        request.body.email,
        request.body.password,
        settings.sessionTtlHours,
        new Date(),
      );
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: settings.secureCookies,
        path: '/',
        expires: s.expiresAt,
      });
      return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { access: { roles: userRoles } },
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await deleteSession(db, sha256(cookie));
      settings.credentials?.forgetAll();
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/session',
    {
      config: { access: { roles: userRoles } },
      schema: {
        tags: ['auth'],
        summary: 'Who am I, and the CSRF token to send on writes',
        response: { 200: z.object({ user: userView, csrfToken: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => {
      const p = request.principal!;
      if (p.kind !== 'user') throw new AppError('forbidden', 'Only signed-in users have a session');
      const cookie = request.cookies[SESSION_COOKIE];
      const user = cookie ? await findSessionUser(db, sha256(cookie), new Date()) : undefined;
      if (!user) throw new AppError('unauthenticated', 'No session');
      return {
        user: viewOfUser(user),
        csrfToken: p.csrfToken,
      };
    },
  );

  app.post(
    '/api/v1/admin/users',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Create a user (staff, seller user bound to a seller, or buyer)',
        body: z
          .object({
            email: z.string().email().max(254),
            displayName: z.string().min(1).max(200),
            password: z.string().min(12).max(1024),
            role: z.enum(userRoles),
            sellerId: z.string().uuid().nullable().default(null),
            buyerId: z.string().uuid().nullable().default(null),
            languages: z
              .array(z.string().regex(/^[a-z]{2}$/))
              .max(10)
              .default([]),
          })
          .refine((u) => (u.role === 'seller') === (u.sellerId !== null), {
            path: ['sellerId'],
            message: 'a seller user needs sellerId, and only a seller user has one',
          })
          .refine((u) => (u.role === 'buyer') === (u.buyerId !== null), {
            path: ['buyerId'],
            message: 'a buyer user needs buyerId, and only a buyer user has one',
          }),
        response: { 201: z.object({ id: z.string() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const result = await insertUser(db, {
        email: b.email,
        display_name: b.displayName,
        password_hash: await hashPassword(b.password),
        role: b.role,
        seller_id: b.sellerId,
        buyer_id: b.buyerId,
        languages: b.languages,
      }).catch((error: { code?: string }) => {
        if (error.code === '23503') throw new AppError('unknown_reference', 'No such seller or buyer');
        throw error;
      });
      if (!result.created) throw new AppError('conflict', 'A user with this e-mail exists');
      return reply.status(201).send({ id: result.id });
    },
  );

  app.get(
    '/api/v1/admin/users',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Every user with role, links and languages (never a password)',
        response: {
          200: z.array(
            userView.extend({ languages: z.array(z.string()), disabledAt: z.string().nullable() }),
          ),
          ...errorResponses,
        },
      },
    },
    async () =>
      (await listUsers(db)).map((u) => ({
        id: u.id,
        email: u.email,
        displayName: u.display_name,
        role: u.role,
        sellerId: u.seller_id,
        buyerId: u.buyer_id,
        languages: u.languages,
        disabledAt: u.disabled_at?.toISOString() ?? null,
      })),
  );

  app.post(
    '/api/v1/admin/api-keys',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Create an integration API key; the key is shown once',
        body: z.object({ name: z.string().min(1).max(200), scopes: z.array(z.enum(apiKeyScopes)).min(1) }),
        response: {
          201: z.object({ id: z.string(), key: z.string(), scopes: z.array(z.string()) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { key, prefix, hash } = newApiKey();
      const scopes = [...new Set(request.body.scopes)];
      const id = await insertApiKey(db, { name: request.body.name, prefix, keyHash: hash, scopes });
      return reply.status(201).send({ id, key, scopes });
    },
  );

  app.get(
    '/api/v1/admin/api-keys',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'List API keys (never the secrets)',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              prefix: z.string(),
              scopes: z.array(z.string()),
              createdAt: z.string(),
              revokedAt: z.string().nullable(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () =>
      (await listApiKeys(db)).map((k) => ({
        id: k.id,
        name: k.name,
        prefix: k.prefix,
        scopes: k.scopes,
        createdAt: k.created_at.toISOString(),
        revokedAt: k.revoked_at?.toISOString() ?? null,
      })),
  );

  app.delete(
    '/api/v1/admin/api-keys/:id',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key',
        params: z.object({ id: z.string().uuid() }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!(await revokeApiKey(db, request.params.id, new Date()))) throw notFound('API key');
      settings.credentials?.forgetAll();
      return reply.status(204).send(null);
    },
  );
}
