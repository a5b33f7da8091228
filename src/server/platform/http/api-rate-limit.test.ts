// One address calling the API far past its limit is slowed with 429 + Retry-After, before
// authentication (an anonymous flood too), while other addresses and loopback are still served.
import { describe, expect, it } from 'vitest';
import { testApp } from '../../../../test/helpers/app';

describe('the general API rate limit', async () => {
  const { app } = await testApp({ API_RATE_LIMIT_PER_MINUTE: '5' });
  const call = (remoteAddress: string, url = '/api/v1/orders') =>
    app.inject({ method: 'GET', url, remoteAddress });

  it('slows one address past its limit and serves the others', async () => {
    const flood = [];
    for (let i = 0; i < 8; i++) flood.push(await call('192.0.2.10'));
    expect(flood.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    const slowed = flood[7]!;
    expect(slowed.json().error.code).toBe('rate_limited');
    const wait = Number(slowed.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Another address, loopback (exempt by default) and what is not the API are not slowed by it.
    expect((await call('192.0.2.11')).statusCode).toBe(401);
    for (let i = 0; i < 8; i++) expect((await call('127.0.0.1')).statusCode).toBe(401);
    expect((await call('192.0.2.10', '/health')).statusCode).toBe(200);
  });

  it('can be switched off', async () => {
    const off = await testApp({ API_RATE_LIMIT_PER_MINUTE: '0' });
    for (let i = 0; i < 12; i++)
      expect((await off.app.inject({ url: '/api/v1/orders', remoteAddress: '192.0.2.20' })).statusCode).toBe(
        401,
      );
  });
});
