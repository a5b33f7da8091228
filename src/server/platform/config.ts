import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

// The only place that reads process.env (DESIGN rule 6); everything else receives a Config.

// The demo's secrets are printed in the README: fine on a laptop, an open door anywhere else.
const DEMO_SECRETS = {
  BUYER_TOKEN_SECRET: 'onbehalf-demo-buyer-token-secret-change-me!',
  REPLY_TOKEN_SECRET: 'onbehalf-demo-reply-token-secret-change-me!',
} as const;

// proxy-addr's names for whole ranges, besides addresses and CIDRs.
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyAddress = (entry: string) => {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  DATA_DIR: z.string().default('var'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().positive().default(12),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isProxyAddress), 'a comma-separated list of IP addresses or CIDRs'),
  BUYER_TOKEN_SECRET: z.string().min(32).default(DEMO_SECRETS.BUYER_TOKEN_SECRET),
  BUYER_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  API_RATE_LIMIT_EXEMPT: z
    .string()
    .default('127.0.0.1,::1')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  CHAT_FRAMES_PER_10_SECONDS: z.coerce.number().int().positive().default(30),
  CHAT_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().positive().default(20),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  IMPORT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024 * 1024),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Customer service <cs@onbehalf.test>'),
  MAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i)
    .default('onbehalf.test'),
  REPLY_TOKEN_SECRET: z.string().min(32).default(DEMO_SECRETS.REPLY_TOKEN_SECRET),
  SMTP_INBOUND_HOST: z.string().default('127.0.0.1'),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LOAD_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  preparedStatements: boolean;
  dataDir: string;
  embeddedPgPort: number;
  logLevel: string;
  sessionTtlHours: number;
  trustedProxies: readonly string[];
  /** Names of the secrets still set to the public demo values; start-up warns about each. */
  demoSecrets: readonly string[];
  buyerTokenSecret: string;
  buyerTokenMaxTtlSeconds: number;
  loginRateLimitPerMinute: number;
  /** API calls one address may make a minute (0: no limit), and the addresses never limited. */
  apiRateLimitPerMinute: number;
  apiRateLimitExempt: readonly string[];
  chatFramesPer10Seconds: number;
  chatConnectionsPerAddress: number;
  bodyLimitBytes: number;
  importBodyLimitBytes: number;
  loadDemo: boolean;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailDomain: string;
  replyTokenSecret: string;
  smtpInboundHost: string;
  smtpInboundPort: number;
  smtpMaxMessageBytes: number;
  webhookAllowPrivateTargets: boolean;
  outboxDir: string;
}>;

/**
 * The origins of PUBLIC_URL: itself and, on a loopback address, its other spelling — people type
 * localhost and 127.0.0.1 alike for the same server on their own machine.
 */
export function sameMachineOrigins(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const other =
    url.hostname === 'localhost' ? '127.0.0.1' : url.hostname === '127.0.0.1' ? 'localhost' : null;
  if (!other) return [url.origin];
  const alias = new URL(url.origin);
  alias.hostname = other;
  return [url.origin, alias.origin];
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // Schemes are case-insensitive: `HTTPS://…` is https too (secure cookies, no demo secrets).
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`
  ).replace(/^[a-z][a-z0-9+.-]*:/i, (scheme) => scheme.toLowerCase());
  const demoSecrets = (Object.keys(DEMO_SECRETS) as (keyof typeof DEMO_SECRETS)[]).filter(
    (name) => e[name] === DEMO_SECRETS[name],
  );
  if (demoSecrets.length > 0 && publicUrl.startsWith('https:'))
    throw new Error(
      `Invalid configuration: ${demoSecrets.join(', ')} still ${demoSecrets.length > 1 ? 'have' : 'has'} the public demo value, ` +
        `and PUBLIC_URL is https: set your own secret of at least 32 characters (e.g. openssl rand -base64 48)`,
    );
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    dataDir: resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    trustedProxies: e.TRUSTED_PROXIES,
    demoSecrets,
    buyerTokenSecret: e.BUYER_TOKEN_SECRET,
    buyerTokenMaxTtlSeconds: e.BUYER_TOKEN_MAX_TTL_SECONDS,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    apiRateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
    apiRateLimitExempt: e.API_RATE_LIMIT_EXEMPT,
    chatFramesPer10Seconds: e.CHAT_FRAMES_PER_10_SECONDS,
    chatConnectionsPerAddress: e.CHAT_CONNECTIONS_PER_ADDRESS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    loadDemo: e.LOAD_DEMO,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    mailDomain: e.MAIL_DOMAIN,
    replyTokenSecret: e.REPLY_TOKEN_SECRET,
    smtpInboundHost: e.SMTP_INBOUND_HOST,
    smtpInboundPort: e.SMTP_INBOUND_PORT,
    smtpMaxMessageBytes: e.SMTP_MAX_MESSAGE_BYTES,
    webhookAllowPrivateTargets: e.WEBHOOK_ALLOW_PRIVATE_TARGETS,
    outboxDir: resolve(e.DATA_DIR, 'outbox'),
  };
}
