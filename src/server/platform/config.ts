import { resolve } from 'node:path';
import { z } from 'zod';

// The only place that reads process.env (DESIGN rule 6); everything else receives a Config.
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
  BUYER_TOKEN_SECRET: z.string().min(32).default('onbehalf-demo-buyer-token-secret-change-me!'),
  BUYER_TOKEN_MAX_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
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
  REPLY_TOKEN_SECRET: z.string().min(32).default('onbehalf-demo-reply-token-secret-change-me!'),
  SMTP_INBOUND_HOST: z.string().default('127.0.0.1'),
  SMTP_INBOUND_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  SMTP_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
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
  buyerTokenSecret: string;
  buyerTokenMaxTtlSeconds: number;
  loginRateLimitPerMinute: number;
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
  outboxDir: string;
}>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS,
    dataDir: resolve(e.DATA_DIR),
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    logLevel: e.LOG_LEVEL,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    buyerTokenSecret: e.BUYER_TOKEN_SECRET,
    buyerTokenMaxTtlSeconds: e.BUYER_TOKEN_MAX_TTL_SECONDS,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
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
    outboxDir: resolve(e.DATA_DIR, 'outbox'),
  };
}
