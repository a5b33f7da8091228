import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, errorStatus } from '../errors';
import type { Logger } from '../log';
import { findInvalidText, findUndecodableQuery } from '../validation';
import { type Access, isAllowed, type Principal } from './access';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  ZodTypeProvider
>;

export type HttpOptions = {
  logger: Logger;
  bodyLimit: number;
  publicUrl: string;
  /**
   * Addresses/CIDRs of the reverse proxies whose X-Forwarded-* headers are believed; from anyone
   * else the header is ignored, so a client cannot pick the address its rate limits key on.
   */
  trustedProxies: readonly string[];
  /** Finds who is calling (session cookie, bearer API key or buyer token); null when anonymous. */
  authenticate: (request: FastifyRequest) => Promise<Principal | null>;
  /**
   * API calls (paths under /api/) one address may make per minute, 0 for no limit; `exempt` addresses
   * are never limited (loopback: the machine's own tools, or a proxy not listed in trustedProxies).
   */
  apiRateLimit?: { perMinute: number; exempt: readonly string[] };
};

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function createHttpServer(options: HttpOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustedProxies.length > 0 ? [...options.trustedProxies] : false,
    ajv: { customOptions: { removeAdditional: false } },
    // A path whose percent-encoding is not UTF-8 (%ED%A0%80 is a lone surrogate) never reaches a route.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const mapped =
        error.code === 'FST_ERR_BAD_URL'
          ? new AppError('invalid_text', 'The path is not valid percent-encoded UTF-8', [
              { path: 'path', code: 'invalid_text', message: error.message },
            ])
          : toAppError(error);
      reply.status(mapped.status).send(errorBody(mapped.code, mapped.message, mapped.details));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);

  // Every route says who may call it; forgetting to is a start-up error, not an open door.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) {
      route.config = { ...(route.config ?? {}), access: 'public' } as typeof route.config;
      return;
    }
    if (!(route.config as { access?: Access } | undefined)?.access) {
      throw new Error(`Route ${route.method} ${route.url} does not declare its access`);
    }
  });

  await app.register(cookie);
  // preHandler: the login limit keys on the e-mail in the body, which is parsed by then.
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  const apiLimit = options.apiRateLimit;
  if (apiLimit && apiLimit.perMinute > 0) {
    const exempt = new Set(apiLimit.exempt);
    const limiter = app.createRateLimit({
      max: apiLimit.perMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `api:${request.ip}`,
    });
    // Before authentication: a flood of anonymous calls is slowed too, not answered 401 at full speed.
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/') || exempt.has(request.ip)) return;
      const limit = await limiter(request);
      if (limit.isAllowed || !limit.isExceeded) return;
      reply.header('retry-after', String(Math.max(1, limit.ttlInSeconds)));
      throw new AppError('rate_limited', 'Too many API calls from this address; wait and send again');
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Onbehalf API',
        version: '0.1.0',
        description:
          'Customer service run by a marketplace on behalf of its third-party sellers. ' +
          'Staff and sellers sign in with a session cookie (send `x-csrf-token` on writes); ' +
          'the commerce platform uses an API key as a bearer token; buyers from the operator site use a signed token.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'onbehalf_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    request.principal = await options.authenticate(request);
    if (!request.principal) throw new AppError('unauthenticated', 'Sign in or send a valid bearer token');
    if (!isAllowed(access, request.principal))
      throw new AppError('forbidden', 'Your role may not call this endpoint');
    const p = request.principal;
    if (p.kind === 'user' && p.csrfToken && !SAFE_METHODS.has(request.method)) {
      if (request.headers['x-csrf-token'] !== p.csrfToken) {
        throw new AppError(
          'csrf_failed',
          'Missing or wrong x-csrf-token header for a cookie-authenticated write',
        );
      }
    }
  });

  // One rule for all text arriving over HTTP (path, query, JSON body): NUL or a lone surrogate is
  // refused here, before any handler could try to store it.
  app.addHook('preValidation', async (request) => {
    const problem =
      findUndecodableQuery(request.url) ??
      findInvalidText({ params: request.params, query: request.query, body: request.body });
    if (problem)
      throw new AppError('invalid_text', 'Text must be valid Unicode without NUL characters', [problem]);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = toAppError(error);
    if (mapped.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: mapped.code, details: mapped.details }, mapped.message);
    if (mapped.code === 'rate_limited' && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
    // The database is away (restarting, failing over): a short wait, then the same request again.
    if (mapped.code === 'unavailable') reply.header('retry-after', '5');
    reply.status(mapped.status).send(errorBody(mapped.code, mapped.message, mapped.details));
  });

  return app;
}

export function errorBody(code: ErrorCode, message: string, details: AppError['details'] = []) {
  return { error: { code, message, details } };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({
      path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      code: v.keyword,
      message: v.message ?? 'invalid',
    }));
    return new AppError('validation_failed', 'The request does not match the schema', details);
  }
  const e = error as { code?: string; statusCode?: number; message?: string };
  switch (e.code) {
    // Two writes met and PostgreSQL let one through: the other may simply be sent again.
    case '40001':
    case '40P01':
      return new AppError('conflict', 'This change met another one at the same moment; send it again');
    // The identity triggers of migration 0025: a writer that lost a race on a new record.
    case '23000':
      return new AppError('immutable_field', 'What this record belongs to cannot change once set');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', e.message ?? 'Malformed JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this endpoint accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', e.message ?? 'Unsupported content type');
  }
  if (isDatabaseUnreachable(error))
    return new AppError('unavailable', 'The database is unreachable for a moment; send the request again');
  if (e.statusCode === 429) return new AppError('rate_limited', 'Too many attempts; wait a minute');
  if (e.statusCode === 400 && error instanceof SyntaxError)
    return new AppError('malformed_json', error.message);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    const code = (Object.entries(errorStatus).find(([, s]) => s === e.statusCode)?.[0] ??
      'validation_failed') as ErrorCode;
    return new AppError(code, e.message ?? 'Bad request');
  }
  return new AppError('internal', 'Something went wrong on our side; it has been logged');
}

/**
 * A failure to reach PostgreSQL (refused or dropped connection, server shutting down or starting,
 * no free connection in time) rather than an error of the request: nothing was committed by it.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e) return false;
  if (e.code && DATABASE_GONE_CODES.has(e.code)) return true;
  // pg raises these without a code.
  return /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated due to connection timeout/.test(
    e.message ?? '',
  );
}

// Node's socket errors, and PostgreSQL's class 08 (connection) and 57P01–57P03 (shutting down, starting).
const DATABASE_GONE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);

/** The standard error response, for OpenAPI. */
export { errorStatus };
