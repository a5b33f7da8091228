// Sessions and API keys are remembered for a few seconds (no round trip on a repeated request), yet a
// signed-out session or a revoked key stops working at once on the instance that ended it, and on
// every other instance as soon as its LISTEN connection hears the change — long before the time limit.
import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { errorCode, testApp } from '../../../../test/helpers/app';
import { buildApp } from '../../main/app';
import { loadConfig } from '../../platform/config';
import { createLogger } from '../../platform/log';

/** Statements sent to PostgreSQL while `fn` runs, from any connection of this process. */
async function statementsDuring(fn: () => Promise<unknown>): Promise<number> {
  const original = pg.Client.prototype.query;
  let count = 0;
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is overloaded; this only counts calls
  pg.Client.prototype.query = function (this: pg.Client, ...args: any[]): any {
    count++;
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (original as any).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return count;
}

/**
 * The status an instance answers once it has heard of a change: asked again every 5 ms for at most
 * 2 s, well inside the 10 s a credential is remembered, so only the notice can make it change.
 */
async function statusOnceHeard(ask: () => Promise<{ statusCode: number }>): Promise<number> {
  const until = Date.now() + 2000;
  let status = (await ask()).statusCode;
  while (status === 200 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    status = (await ask()).statusCode;
  }
  return status;
}

describe('remembered credentials', async () => {
  const t = await testApp();
  // A second instance of the service on the same database, as behind a load balancer.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', LOAD_DEMO: 'false' });
  const other = await buildApp(config, t.db, createLogger('silent'), { databaseUrl: t.database.url });
  await other.ready();
  const on = (
    app: typeof other,
    headers: Record<string, string>,
    url: string,
    method: 'GET' | 'DELETE' = 'GET',
  ) => app.inject({ method, url, headers });

  it('answers a repeated request without asking the database who calls', async () => {
    const agent = await t.user('agent');
    const ask = async () => expect((await agent.get('/api/v1/marketplaces')).statusCode).toBe(200);
    const first = await statementsDuring(ask);
    const again = await statementsDuring(ask);
    expect(again).toBe(first - 1);
  });

  it('refuses a signed-out session at once here, and on the other instance when it hears of it', async () => {
    const agent = await t.user('agent');
    expect((await agent.get('/api/v1/auth/session')).statusCode).toBe(200);
    expect((await on(other, agent.headers, '/api/v1/auth/session')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/auth/logout')).statusCode).toBe(204);
    // No wait at all on the instance that signed out.
    const here = await agent.get('/api/v1/auth/session');
    expect(here.statusCode).toBe(401);
    expect(errorCode(here)).toBe('unauthenticated');
    expect(await statusOnceHeard(() => on(other, agent.headers, '/api/v1/auth/session'))).toBe(401);
  });

  it('refuses a revoked API key at once here, and on the other instance when it hears of it', async () => {
    const admin = await t.user('admin');
    const created = await admin.post('/api/v1/admin/api-keys', {
      name: 'platform',
      scopes: ['integration:read'],
    });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json() as { id: string; key: string };
    const bearer = { authorization: `Bearer ${key}` };
    const read = '/api/v1/marketplaces';
    expect((await on(t.app, bearer, read)).statusCode).toBe(200);
    expect((await on(other, bearer, read)).statusCode).toBe(200);
    expect((await admin.delete(`/api/v1/admin/api-keys/${id}`)).statusCode).toBe(204);
    expect((await on(t.app, bearer, read)).statusCode).toBe(401);
    expect(await statusOnceHeard(() => on(other, bearer, read))).toBe(401);
  });

  it('forgets a user disabled by hand in the database, on every instance', async () => {
    const agent = await t.user('agent');
    expect((await agent.get('/api/v1/auth/session')).statusCode).toBe(200);
    expect((await on(other, agent.headers, '/api/v1/auth/session')).statusCode).toBe(200);
    const me = (await agent.get('/api/v1/auth/session')).json() as { user: { id: string } };
    await sql`update app_user set disabled_at = now() where id = ${me.user.id}::uuid`.execute(t.db);
    expect(await statusOnceHeard(() => agent.get('/api/v1/auth/session'))).toBe(401);
    expect(await statusOnceHeard(() => on(other, agent.headers, '/api/v1/auth/session'))).toBe(401);
    await other.close();
  });
});
