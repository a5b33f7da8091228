import { describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { createLogger } from '../log';
import { createHttpServer } from './server';

const t = await testApp();

describe('HTTP platform', () => {
  it('reports health of the process and the database', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('publishes an OpenAPI 3.1 document with every route, and its UI', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/integration/orders/{externalId}',
      '/api/v1/orders/{ref}',
      '/api/v1/auth/login',
      '/health',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect((await t.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('answers unknown routes with the standard error body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'No route GET /api/v1/nothing-here', details: [] },
    });
  });

  it('refuses to start with a route that does not declare who may call it', async () => {
    const app = await createHttpServer({
      logger: createLogger('silent'),
      bodyLimit: 1000,
      publicUrl: 'http://localhost',
      authenticate: async () => null,
    });
    expect(() => app.get('/open-door', async () => 'oops')).toThrow(/does not declare its access/);
    await app.close();
  });
});
