import type { LightMyRequestResponse } from 'fastify';
import { SignJWT } from 'jose';
import { sql } from 'kysely';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/server/main/app';
import { hashPassword, insertApiKey, insertUser, newApiKey } from '../../src/server/modules/identity';
import { applyRecords } from '../../src/server/modules/marketplace';
import { loadConfig } from '../../src/server/platform/config';
import type { ApiKeyScope, UserRole } from '../../src/server/platform/http/access';
import { createLogger } from '../../src/server/platform/log';
import { testDatabase } from './database';

export const TEST_PASSWORD = 'correct horse battery staple';
const passwordHash = hashPassword(TEST_PASSWORD);

export type TestConfigOverrides = Record<string, string>;

/** The real app on this test file's own database. */
export async function testApp(env: TestConfigOverrides = {}) {
  const database = await testDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOAD_DEMO: 'false', ...env });
  const app = await buildApp(config, database.db, createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), {
    databaseUrl: database.url,
  });
  await app.ready();
  afterAll(() => app.close());

  const helpers = {
    app,
    db: database.db,
    database,
    config,

    async user(role: UserRole, links: { sellerExternalId?: string; buyerExternalId?: string } = {}) {
      const id = async (table: 'seller' | 'buyer', externalId?: string) =>
        externalId
          ? (
              await sql<{
                id: string;
              }>`select id from ${sql.table(table)} where external_id = ${externalId}`.execute(database.db)
            ).rows[0]!.id
          : null;
      const email = `${role}-${Math.random().toString(36).slice(2)}@test.example`;
      await insertUser(database.db, {
        email,
        display_name: email.split('@')[0]!,
        password_hash: await passwordHash,
        role,
        seller_id: await id('seller', links.sellerExternalId),
        buyer_id: await id('buyer', links.buyerExternalId),
        languages: ['en'],
      });
      return helpers.login(email);
    },

    /** Signs in and returns a client that sends the session cookie (and the CSRF token on writes). */
    async login(email: string, password = TEST_PASSWORD) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'onbehalf_session')!;
      const csrf = res.json().csrfToken as string;
      return client({ cookie: `onbehalf_session=${cookie.value}`, 'x-csrf-token': csrf });
    },

    async apiKey(scopes: ApiKeyScope[] = ['integration:write', 'integration:read']) {
      const key = newApiKey();
      await insertApiKey(database.db, { name: 'test', prefix: key.prefix, keyHash: key.hash, scopes });
      return client({ authorization: `Bearer ${key.key}` });
    },

    async buyerToken(
      buyerExternalId: string,
      options: { ttlSeconds?: number; secret?: string; issuedAt?: Date } = {},
    ) {
      const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(buyerExternalId)
        .setIssuedAt(iat)
        .setExpirationTime(iat + (options.ttlSeconds ?? 300))
        .sign(new TextEncoder().encode(options.secret ?? config.buyerTokenSecret));
      return client({ authorization: `Bearer ${token}` });
    },

    anonymous: () => client({}),

    /** Loads records straight through the apply engine (fails the test on any rejection). */
    async seed(records: unknown[]) {
      const result = await database.db.transaction().execute((tx) => applyRecords(tx, records));
      if (result.rejected.length > 0) throw new Error(`seed rejected: ${JSON.stringify(result.rejected)}`);
      return result;
    },
  };

  function client(headers: Record<string, string>) {
    const call = (
      method: 'GET' | 'POST' | 'PUT' | 'DELETE',
      url: string,
      payload?: unknown,
      extra: Record<string, string> = {},
    ) =>
      app.inject({
        method,
        url,
        headers: { ...headers, ...extra },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    return {
      headers,
      get: (url: string) => call('GET', url),
      post: (url: string, payload?: unknown, extra?: Record<string, string>) =>
        call('POST', url, payload ?? {}, extra),
      put: (url: string, payload: unknown, extra?: Record<string, string>) =>
        call('PUT', url, payload, extra),
      delete: (url: string) => call('DELETE', url),
    };
  }

  return helpers;
}

export type TestClient = ReturnType<Awaited<ReturnType<typeof testApp>>['anonymous']>;

/** The error code of a response, for terse assertions. */
export const errorCode = (res: LightMyRequestResponse) =>
  (res.json() as { error?: { code: string } }).error?.code;
