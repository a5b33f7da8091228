import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { seller, twoSellers } from '../../../../test/helpers/fixtures';
import { enrol } from '../../modules/programs';
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
      trustedProxies: [],
      authenticate: async () => null,
    });
    expect(() => app.get('/open-door', async () => 'oops')).toThrow(/does not declare its access/);
    await app.close();
  });
});

describe('text at the edge: NUL and lone surrogates are refused, never a 500', () => {
  const NUL = 'Bad\u0000text';
  const SURROGATE = 'Bad\ud800text';
  let c: Record<'api' | 'buyer' | 'supervisor' | 'admin' | 'seller', TestClient>;
  let caseNumber: string;
  const written = async () =>
    (
      await sql<{ n: string }>`select (select count(*) from seller) + (select count(*) from contact)
        + (select count(*) from case_message) + (select count(*) from app_user) as n`.execute(t.db)
    ).rows[0]!.n;

  beforeAll(async () => {
    await t.seed(twoSellers());
    const sellerId = (
      await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db)
    ).rows[0]!.id;
    await t.db
      .transaction()
      .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
    c = {
      api: await t.apiKey(),
      buyer: await t.buyerToken('B-1'),
      supervisor: await t.user('supervisor'),
      admin: await t.user('admin'),
      seller: await t.user('seller', { sellerExternalId: 'S-A' }),
    };
    const contact = await c.buyer.post('/api/v1/contacts', {
      marketplace: 'IT',
      channel: 'chat',
      topic: 'other',
      orderId: 'O-A',
      message: 'ciao',
    });
    caseNumber = contact.json().case.caseNumber;
  });

  const { type: _type, externalId: _id, ...sellerBody } = seller('S-TEXT');
  const cases: [
    string,
    'GET' | 'POST' | 'PUT',
    () => string,
    keyof typeof c,
    (() => unknown) | null,
    string,
  ][] = [
    [
      'integration PUT',
      'PUT',
      () => '/api/v1/integration/sellers/S-TEXT',
      'api',
      () => ({ ...sellerBody, name: NUL }),
      'body.name',
    ],
    [
      'integration batch',
      'POST',
      () => '/api/v1/integration/batch',
      'api',
      () => ({ records: [seller('S-TEXT', { name: SURROGATE })] }),
      'body.records.0.name',
    ],
    [
      'contact',
      'POST',
      () => '/api/v1/contacts',
      'buyer',
      () => ({ marketplace: 'IT', channel: 'chat', topic: 'other', orderId: 'O-A', message: NUL }),
      'body.message',
    ],
    [
      'reply',
      'POST',
      () => `/api/v1/cases/${caseNumber}/replies`,
      'supervisor',
      () => ({ message: SURROGATE }),
      'body.message',
    ],
    [
      'staff form',
      'POST',
      () => '/api/v1/admin/users',
      'admin',
      () => ({
        email: 'text@test.example',
        displayName: NUL,
        password: 'long enough password',
        role: 'agent',
      }),
      'body.displayName',
    ],
    ['a key in a body', 'POST', () => '/api/v1/contacts', 'buyer', () => ({ [NUL]: 1 }), `body.${NUL}`],
    ['path with %00', 'GET', () => '/api/v1/cases/%00', 'supervisor', null, 'params.ref'],
    ['path with %ED%A0%80', 'GET', () => '/api/v1/orders/O-%ED%A0%80', 'api', null, 'path'],
    [
      'query string',
      'GET',
      () => '/api/v1/seller/claims/eligibility?order=O-A%00',
      'seller',
      null,
      'query.order',
    ],
    [
      'a lone surrogate in a query',
      'GET',
      () => '/api/v1/orders?marketplace=%ED%A0%80',
      'api',
      null,
      'query',
    ],
  ];

  it.each(cases)(
    '%s → 400 invalid_text naming the field, nothing written',
    async (_name, method, url, who, body, path) => {
      const before = await written();
      const client = c[who];
      const res =
        method === 'GET'
          ? await client.get(url())
          : method === 'PUT'
            ? await client.put(url(), body!())
            : await client.post(url(), body!());
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('invalid_text');
      expect(res.json().error.details[0].path).toBe(path);
      expect(await written()).toBe(before);
    },
  );

  it('the NDJSON import rejects such lines with the same code and keeps the others', async () => {
    const lines = [seller('S-NUL', { name: NUL }), seller('S-FINE'), seller('S-SUR', { name: SURROGATE })];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/integration/import',
      headers: { ...c.api.headers, 'content-type': 'application/x-ndjson' },
      payload: lines.map((l) => JSON.stringify(l)).join('\n'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ lines: 3, accepted: 1, rejected: 2 });
    expect(res.json().rejectedLines).toEqual([
      { line: 1, errors: [expect.objectContaining({ path: 'name', code: 'invalid_text' })] },
      { line: 3, errors: [expect.objectContaining({ path: 'name', code: 'invalid_text' })] },
    ]);
    const stored = await sql<{ external_id: string }>`
      select external_id from seller where external_id in ('S-NUL', 'S-FINE', 'S-SUR')`.execute(t.db);
    expect(stored.rows).toEqual([{ external_id: 'S-FINE' }]);
  });

  it('keeps well-formed text of every script, emoji included', async () => {
    const res = await c.api.put('/api/v1/integration/sellers/S-TEXT', {
      ...sellerBody,
      name: 'Ωmega 店 😀 ﬁ',
    });
    expect(res.statusCode).toBe(200);
  });
});
