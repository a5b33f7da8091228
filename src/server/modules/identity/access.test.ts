import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, TEST_PASSWORD, type TestClient, testApp } from '../../../../test/helpers/app';
import { twoSellers } from '../../../../test/helpers/fixtures';
import { buildApp } from '../../main/app';
import { loadConfig } from '../../platform/config';
import type { UserRole } from '../../platform/http/access';
import { createLogger } from '../../platform/log';

const TEST_ENV = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  LOAD_DEMO: 'false',
  LOGIN_RATE_LIMIT_PER_MINUTE: '5',
};
const t = await testApp(TEST_ENV);
const clients: Partial<Record<UserRole | 'sellerB' | 'buyer2', TestClient>> = {};

beforeAll(async () => {
  await t.seed(twoSellers());
  for (const role of ['admin', 'supervisor', 'agent', 'claims_reviewer'] as const)
    clients[role] = await t.user(role);
  clients.seller = await t.user('seller', { sellerExternalId: 'S-A' });
  clients.sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
  clients.buyer = await t.user('buyer', { buyerExternalId: 'B-1' });
});

const status = async (client: TestClient, url: string) => (await client.get(url)).statusCode;

describe('every read is scoped to the caller', () => {
  it.each(['admin', 'supervisor', 'agent', 'claims_reviewer'] as const)(
    '%s sees every order',
    async (role) => {
      expect(await status(clients[role]!, '/api/v1/orders/O-A')).toBe(200);
      expect(await status(clients[role]!, '/api/v1/orders/O-B')).toBe(200);
      expect((await clients[role]!.get('/api/v1/orders')).json()).toHaveLength(2);
    },
  );

  it("a seller user sees only its seller's orders; another seller's order is not found", async () => {
    expect(await status(clients.seller!, '/api/v1/orders/O-A')).toBe(200);
    const other = await clients.seller!.get('/api/v1/orders/O-B');
    expect(other.statusCode).toBe(404);
    expect(errorCode(other)).toBe('not_found');
    const list = (await clients.seller!.get('/api/v1/orders')).json();
    expect(list.map((o: { externalId: string }) => o.externalId)).toEqual(['O-A']);
    // Filtering by the other seller's id does not widen the scope.
    const sellerB = (await clients.admin!.get('/api/v1/sellers/S-B')).json();
    expect((await clients.seller!.get(`/api/v1/orders?sellerId=${sellerB.id}`)).json()).toEqual([]);
  });

  it('a seller user reads its own seller record only', async () => {
    expect(await status(clients.seller!, '/api/v1/sellers/S-A')).toBe(200);
    expect(await status(clients.seller!, '/api/v1/sellers/S-B')).toBe(404);
    expect(await status(clients.buyer!, '/api/v1/sellers/S-A')).toBe(403);
  });

  it("a seller reads its own products' pages, not another seller's", async () => {
    expect(await status(clients.seller!, '/api/v1/products/P-A/page?marketplace=IT')).toBe(200);
    expect(await status(clients.seller!, '/api/v1/products/P-B/page?marketplace=IT')).toBe(404);
  });

  it('a buyer sees only their own orders', async () => {
    expect(await status(clients.buyer!, '/api/v1/orders/O-A')).toBe(200);
    expect(await status(clients.buyer!, '/api/v1/orders/O-B')).toBe(404);
    expect((await clients.buyer!.get('/api/v1/orders')).json()).toHaveLength(1);
  });

  it('a buyer may read any public product page', async () => {
    expect(await status(clients.buyer!, '/api/v1/products/P-B/page?marketplace=IT')).toBe(200);
  });

  it('nobody anonymous reads anything but health and docs', async () => {
    const anon = t.anonymous();
    expect(await status(anon, '/health')).toBe(200);
    expect(await status(anon, '/docs/json')).toBe(200);
    const res = await anon.get('/api/v1/orders/O-A');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('unauthenticated');
  });
});

describe('the integration API takes only scoped API keys and admins', () => {
  const seller = {
    name: 'X',
    homeCountry: 'IT',
    defaultEmail: 'x@x.example',
    languages: ['it'],
    standing: 'good',
  };

  it.each(['supervisor', 'agent', 'claims_reviewer', 'seller', 'buyer'] as const)(
    '%s may not write marketplace data',
    async (role) => {
      const res = await clients[role]!.put('/api/v1/integration/sellers/S-X', seller);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('forbidden');
    },
  );

  it('a read-only key may read but not write', async () => {
    const reader = await t.apiKey(['integration:read']);
    expect(await status(reader, '/api/v1/orders/O-A')).toBe(200);
    expect((await reader.put('/api/v1/integration/sellers/S-X', seller)).statusCode).toBe(403);
  });

  it('a forged, malformed or revoked key is refused', async () => {
    const forged = { authorization: 'Bearer obk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers: forged })).statusCode).toBe(
      401,
    );
    const malformed = { authorization: 'Bearer obk_nonsense' };
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers: malformed })).statusCode,
    ).toBe(401);

    const created = await clients.admin!.post('/api/v1/admin/api-keys', {
      name: 'short-lived',
      scopes: ['integration:read'],
    });
    expect(created.statusCode).toBe(201);
    const { id, key } = created.json();
    const headers = { authorization: `Bearer ${key}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers })).statusCode).toBe(200);
    expect((await clients.admin!.delete(`/api/v1/admin/api-keys/${id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/orders', headers })).statusCode).toBe(401);
    // The listing never shows secrets.
    expect(JSON.stringify((await clients.admin!.get('/api/v1/admin/api-keys')).json())).not.toContain(key);
  });
});

describe('buyer tokens signed by the operator site', () => {
  it('let the buyer in to their own orders only', async () => {
    const buyer = await t.buyerToken('B-1');
    expect(await status(buyer, '/api/v1/orders/O-A')).toBe(200);
    expect(await status(buyer, '/api/v1/orders/O-B')).toBe(404);
  });

  it('are refused when forged, expired, long-lived or for an unknown buyer', async () => {
    expect(await status(await t.buyerToken('B-1', { secret: 'x'.repeat(40) }), '/api/v1/orders')).toBe(401);
    expect(
      await status(
        await t.buyerToken('B-1', { issuedAt: new Date(Date.now() - 3_600_000) }),
        '/api/v1/orders',
      ),
    ).toBe(401);
    expect(await status(await t.buyerToken('B-1', { ttlSeconds: 86_400 }), '/api/v1/orders')).toBe(401);
    expect(await status(await t.buyerToken('B-404'), '/api/v1/orders')).toBe(401);
  });

  it('are refused when issued in the future beyond a minute of clock skew', async () => {
    const inAYear = await t.buyerToken('B-1', { issuedAt: new Date(Date.now() + 365 * 86_400_000) });
    const res = await inAYear.get('/api/v1/orders');
    expect(res.statusCode).toBe(401);
    expect(errorCode(res)).toBe('invalid_token');
    const skewed = await t.buyerToken('B-1', { issuedAt: new Date(Date.now() + 30_000) });
    expect(await status(skewed, '/api/v1/orders')).toBe(200);
  });

  it('are refused, not a 500, when their subject holds a NUL or a lone surrogate', async () => {
    for (const sub of ['B-\u00001', '\u0000', 'B-\ud800']) {
      const res = await (await t.buyerToken(sub)).get('/api/v1/orders');
      expect(res.statusCode, sub).toBe(401);
      expect(errorCode(res)).toBe('invalid_token');
    }
  });

  it('are refused without iat or exp', async () => {
    const secret = new TextEncoder().encode(t.config.buyerTokenSecret);
    const now = Math.floor(Date.now() / 1000);
    const noIat = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('B-1')
      .setExpirationTime(now + 300)
      .sign(secret);
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('B-1')
      .setIssuedAt(now)
      .sign(secret);
    for (const token of [noIat, noExp]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/orders',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.statusCode).toBe(401);
      expect(errorCode(res)).toBe('invalid_token');
    }
  });

  it('cannot reach staff or integration endpoints', async () => {
    const buyer = await t.buyerToken('B-1');
    expect((await buyer.put('/api/v1/integration/sellers/S-X', {})).statusCode).toBe(403);
    expect((await buyer.get('/api/v1/admin/api-keys')).statusCode).toBe(403);
  });
});

describe('sessions', () => {
  it('refuse a cookie-authenticated write without the CSRF token', async () => {
    const { cookie } = clients.admin!.headers;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/api-keys',
      headers: { cookie: cookie! },
      payload: { name: 'csrf', scopes: ['integration:read'] },
    });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('csrf_failed');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/api-keys',
      headers: { cookie: cookie!, 'x-csrf-token': 'guess' },
      payload: { name: 'csrf', scopes: ['integration:read'] },
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('set an httpOnly cookie and end on logout', async () => {
    const email = `logout-${Date.now()}@test.example`;
    await clients.admin!.post('/api/v1/admin/users', {
      email,
      displayName: 'Temp',
      password: TEST_PASSWORD,
      role: 'agent',
    });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: TEST_PASSWORD },
    });
    const cookie = login.cookies.find((c) => c.name === 'onbehalf_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const agent = await t.login(email);
    expect((await agent.get('/api/v1/auth/session')).json().user.role).toBe('agent');
    expect((await agent.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await agent.get('/api/v1/auth/session')).statusCode).toBe(401);
  });

  it('refuse a wrong password with the same answer as an unknown e-mail', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@test.example', password: 'whatever' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('invalid_credentials');
  });

  it('rate-limit repeated login attempts', async () => {
    const attempt = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'victim@test.example', password: 'guess' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await attempt()).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.at(-1)).toBe(429);
    expect(errorCode(await attempt())).toBe('rate_limited');
  });

  it('rate-limit one address trying many accounts, ten accounts’ worth a minute', async () => {
    // One attempt per account a minute, so ten from an address: each attempt hashes a password.
    const strict = await buildApp(
      loadConfig({ ...TEST_ENV, LOGIN_RATE_LIMIT_PER_MINUTE: '1' }),
      t.db,
      createLogger('silent'),
    );
    try {
      const attempt = (email: string, remoteAddress = '192.0.2.55') =>
        strict.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress,
          payload: { email, password: 'guess' },
        });
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await attempt(`spray${i}@test.example`);
        codes.push(res.statusCode);
        if (res.statusCode === 429) expect(res.headers['retry-after']).toBe('60');
      }
      expect(codes).toEqual([...Array(10).fill(401), 429, 429]);
      // Another address is not affected.
      expect((await attempt('spray11@test.example', '192.0.2.56')).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });

  describe('login limits key on the real peer, not on a header anyone can send', () => {
    const wrongLogins = async (app: typeof t.app, forwardedFor: (i: number) => string, peer: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 15; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          remoteAddress: peer,
          headers: { 'x-forwarded-for': forwardedFor(i) },
          payload: { email: 'proxied@test.example', password: 'guess' },
        });
        codes.push(res.statusCode);
      }
      return codes;
    };

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const codes = await wrongLogins(t.app, (i) => `203.0.113.${i + 1}`, '198.51.100.7');
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    });

    it('honours X-Forwarded-For from a configured proxy', async () => {
      const config = loadConfig({ ...TEST_ENV, TRUSTED_PROXIES: '10.0.0.0/8, ::1' });
      const behindProxy = await buildApp(config, t.db, createLogger('silent'));
      try {
        // Fifteen different clients behind the proxy: each has its own allowance.
        expect(await wrongLogins(behindProxy, (i) => `203.0.113.${i + 1}`, '10.1.2.3')).toEqual(
          Array(15).fill(401),
        );
        // One client behind the proxy is limited, whatever proxy address it comes through.
        const codes = await wrongLogins(behindProxy, () => '192.0.2.99', '10.9.9.9');
        expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
        expect(codes.at(-1)).toBe(429);
      } finally {
        await behindProxy.close();
      }
    });

    it('refuses a proxy list that is not addresses or CIDRs', () => {
      expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/8,proxy.internal' })).toThrow(/TRUSTED_PROXIES/);
      expect(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(/TRUSTED_PROXIES/);
      expect(loadConfig({ TRUSTED_PROXIES: ' 127.0.0.1 , fd00::/8,loopback ' }).trustedProxies).toEqual([
        '127.0.0.1',
        'fd00::/8',
        'loopback',
      ]);
    });
  });

  it('only admins create users, and a seller user must name its seller', async () => {
    const body = { email: 'new@test.example', displayName: 'New', password: TEST_PASSWORD, role: 'seller' };
    expect((await clients.supervisor!.post('/api/v1/admin/users', body)).statusCode).toBe(403);
    const res = await clients.admin!.post('/api/v1/admin/users', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('body.sellerId');
  });
});
