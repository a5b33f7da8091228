import websocket from '@fastify/websocket';
import { z } from 'zod';
import { MAX_FRAME_BYTES } from '../../contracts/chat';
import { assistantRoutes } from '../modules/assistant';
import { billingRoutes } from '../modules/billing';
import { botRoutes } from '../modules/bot';
import { buyerConversationsRoutes, casesRoutes, chatCases } from '../modules/cases';
import { claimsRoutes } from '../modules/claims';
import { type ChatBot, chatSocketRoutes, silentBot, startChatHub } from '../modules/conversations';
import { emailAttachmentRoutes } from '../modules/email';
import { helpCenterRoutes, widgetOriginsOf } from '../modules/help-center';
import {
  createAuthenticator,
  createBearerAuthenticator,
  identityRoutes,
  startCredentialCache,
} from '../modules/identity';
import { ledgerRoutes } from '../modules/ledger';
import { marketplaceRoutes } from '../modules/marketplace';
import { notificationsRoutes, webhooksRoutes } from '../modules/notifications';
import { programsRoutes } from '../modules/programs';
import { refundsRoutes } from '../modules/refunds';
import { returnsRoutes } from '../modules/returns';
import { sellerInboxRoutes } from '../modules/seller-inbox';
import type { Config } from '../platform/config';
import { type Db, ping } from '../platform/db';
import { type App, createHttpServer } from '../platform/http/server';
import { registerWebPages } from '../platform/http/web-pages';
import type { Logger } from '../platform/log';
import { demoShopRoutes } from './demo-shop';

/** First path segments of the web app's pages (each module's routes.ts in src/web); the rest is API. */
export const webPagePrefixes = [
  'signin',
  'help',
  'agent',
  'supervisor',
  'seller',
  'admin',
  'claims',
  'embed',
];

/**
 * The whole HTTP surface, wired from its modules. Tests build it on their own database. The chat socket
 * needs `databaseUrl` (its LISTEN connection); without it the app has no chat. `web.dir` is the built
 * web pages (src/web/build.ts); without it the app serves the API only.
 */
export async function buildApp(
  config: Config,
  db: Db,
  logger: Logger,
  chat: { databaseUrl?: string; bot?: ChatBot } = {},
  web: { dir?: string } = {},
): Promise<App> {
  for (const variable of config.demoSecrets)
    logger.warn({ variable }, `${variable} is the public demo value: set your own secret before real use`);
  const auth = {
    buyerTokenSecret: config.buyerTokenSecret,
    buyerTokenMaxTtlSeconds: config.buyerTokenMaxTtlSeconds,
  };
  // Sessions and API keys are remembered briefly when a LISTEN connection can hear their changes.
  const credentials = chat.databaseUrl ? startCredentialCache(chat.databaseUrl, logger) : undefined;
  const authenticate = createAuthenticator(db, auth, undefined, credentials);
  const app = await createHttpServer({
    logger,
    bodyLimit: config.bodyLimitBytes,
    publicUrl: config.publicUrl,
    trustedProxies: config.trustedProxies,
    authenticate,
    apiRateLimit: { perMinute: config.apiRateLimitPerMinute, exempt: config.apiRateLimitExempt },
  });
  const started = Date.now();

  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Liveness of the process and its database',
        response: {
          200: z.object({ status: z.literal('ok'), database: z.literal('ok'), uptimeSeconds: z.number() }),
          503: z.object({
            status: z.literal('degraded'),
            database: z.literal('unreachable'),
            uptimeSeconds: z.number(),
          }),
        },
      },
    },
    async (_request, reply) => {
      const uptimeSeconds = Math.round((Date.now() - started) / 1000);
      if (await ping(db)) return { status: 'ok' as const, database: 'ok' as const, uptimeSeconds };
      return reply.status(503).send({ status: 'degraded', database: 'unreachable', uptimeSeconds });
    },
  );

  identityRoutes(app, db, {
    sessionTtlHours: config.sessionTtlHours,
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    secureCookies: config.publicUrl.startsWith('https:'),
    credentials,
  });
  if (credentials) {
    app.addHook('onReady', () => credentials.ready());
    app.addHook('onClose', () => credentials.close());
  }
  marketplaceRoutes(app, db, { importBodyLimitBytes: config.importBodyLimitBytes });
  programsRoutes(app, db);
  casesRoutes(app, db);
  buyerConversationsRoutes(app, db);
  botRoutes(app, db);
  sellerInboxRoutes(app, db);
  ledgerRoutes(app, db);
  returnsRoutes(app, db);
  refundsRoutes(app, db);
  claimsRoutes(app, db);
  emailAttachmentRoutes(app, db);
  assistantRoutes(app, db);
  billingRoutes(app, db);
  helpCenterRoutes(app, db, { mailDomain: config.mailDomain });
  notificationsRoutes(app, db, { outboxDir: config.outboxDir });
  webhooksRoutes(app, db, { allowPrivate: config.webhookAllowPrivateTargets });
  // The demo's stand-in shop with the widget; a real deployment (LOAD_DEMO=false) has none.
  if (config.loadDemo) demoShopRoutes(app, db, config);
  if (chat.databaseUrl) {
    // Past 4× the frame limit ws closes the socket; below it the chat answers frame_too_large.
    await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES * 4 } });
    const hub = startChatHub(chat.databaseUrl, logger);
    app.addHook('onClose', () => hub.close());
    // What the bot keeps in memory (the marketplaces' facts) hears their changes on its own connection.
    const botListening = chat.bot?.listen?.(chat.databaseUrl, logger);
    if (botListening) {
      app.addHook('onReady', () => botListening.ready());
      app.addHook('onClose', () => botListening.close());
    }
    chatSocketRoutes(app, db, {
      hub,
      publicUrl: config.publicUrl,
      authenticate,
      authenticateToken: createBearerAuthenticator(db, auth),
      framesPer10Seconds: config.chatFramesPer10Seconds,
      connectionsPerAddress: config.chatConnectionsPerAddress,
      bot: chat.bot ?? silentBot,
      cases: chatCases,
    });
  }
  if (web.dir)
    registerWebPages(app, {
      dir: web.dir,
      publicUrl: config.publicUrl,
      pagePrefixes: webPagePrefixes,
      framedPrefix: 'embed',
      // The widget's chat page may be framed only by the marketplace's own sites.
      frameAncestors: (request) =>
        widgetOriginsOf(db, (request.query as { marketplace?: string }).marketplace),
    });
  return app;
}
