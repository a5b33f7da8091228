// The reads the admin pages need (users, agents, SLA targets, return-policy changes): admins see them,
// other roles get 403, and effective-dated changes show what is in force when.
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../helpers/app';
import { twoSellers } from '../helpers/fixtures';

const t = await testApp();
let admin: TestClient;
let agent: TestClient;
let seller: TestClient;

beforeAll(async () => {
  await t.seed(twoSellers());
  admin = await t.user('admin');
  agent = await t.user('agent');
  seller = await t.user('seller', { sellerExternalId: 'S-A' });
});

describe('GET /api/v1/admin/users', () => {
  it('lists every user with role and languages, never a password', async () => {
    const res = await admin.get('/api/v1/admin/users');
    expect(res.statusCode).toBe(200);
    const users = res.json() as Array<Record<string, unknown>>;
    expect(users.map((u) => u.role).sort()).toEqual(['admin', 'agent', 'seller']);
    expect(users[0]).toMatchObject({ languages: ['en'], disabledAt: null });
    expect(res.body).not.toMatch(/password|scrypt|\$argon/i);
  });

  it('is refused to an agent and a seller (403) and to nobody signed in (401)', async () => {
    expect((await agent.get('/api/v1/admin/users')).statusCode).toBe(403);
    expect(errorCode(await seller.get('/api/v1/admin/users'))).toBe('forbidden');
    expect((await t.anonymous().get('/api/v1/admin/users')).statusCode).toBe(401);
  });
});

describe('GET /api/v1/admin/agents', () => {
  it('shows staff without a profile as null, and the profile once an admin sets it', async () => {
    const before = (await admin.get('/api/v1/admin/agents')).json() as Array<{
      userId: string;
      role: string;
      profile: unknown;
    }>;
    const theAgent = before.find((a) => a.role === 'agent')!;
    expect(theAgent.profile).toBeNull();
    const put = await admin.put(`/api/v1/admin/agents/${theAgent.userId}`, {
      marketplaces: ['IT', 'ES'],
      languages: ['it', 'es'],
      capacity: 5,
    });
    expect(put.statusCode).toBe(204);
    const after = (await admin.get('/api/v1/admin/agents')).json() as typeof before;
    expect(after.find((a) => a.userId === theAgent.userId)!.profile).toEqual({
      marketplaces: ['IT', 'ES'],
      languages: ['it', 'es'],
      capacity: 5,
      premium: false,
      available: true,
      openCases: 0,
    });
    expect(after.some((a) => a.role === 'seller' || a.role === 'admin')).toBe(false);
  });

  it('is refused to an agent and a seller', async () => {
    expect((await agent.get('/api/v1/admin/agents')).statusCode).toBe(403);
    expect((await seller.get('/api/v1/admin/agents')).statusCode).toBe(403);
  });
});

describe('GET /api/v1/admin/sla/:marketplace', () => {
  it('gives the defaults, then a dated change in force only from its date', async () => {
    const first = (await admin.get('/api/v1/admin/sla/IT')).json();
    expect(first.inForce.chat).toEqual({
      firstResponseMinutes: 2,
      nextResponseMinutes: 5,
      warningPercent: 80,
    });
    expect(first.changes).toEqual([]);
    const nextMonth = new Date(Date.now() + 31 * 86_400_000).toISOString();
    const put = await admin.put('/api/v1/admin/sla/IT/email', {
      effectiveFrom: nextMonth,
      firstResponseMinutes: 600,
      nextResponseMinutes: 720,
    });
    expect(put.statusCode).toBe(204);
    const now = (await admin.get('/api/v1/admin/sla/IT')).json();
    expect(now.inForce.email.firstResponseMinutes).toBe(2 * 24 * 60);
    expect(now.changes).toEqual([
      {
        channel: 'email',
        effectiveFrom: nextMonth,
        firstResponseMinutes: 600,
        nextResponseMinutes: 720,
        warningPercent: 80,
      },
    ]);
    const later = (await admin.get(`/api/v1/admin/sla/IT?at=${encodeURIComponent(nextMonth)}`)).json();
    expect(later.inForce.email.firstResponseMinutes).toBe(600);
  });

  it('refuses a bad instant and an agent', async () => {
    expect((await admin.get('/api/v1/admin/sla/IT?at=tomorrow')).statusCode).toBe(400);
    expect((await agent.get('/api/v1/admin/sla/IT')).statusCode).toBe(403);
  });
});

describe('GET /api/v1/admin/marketplaces/:id/return-policy/changes', () => {
  it('lists the current and the scheduled return windows, oldest first', async () => {
    const policy = {
      windowDays: 30,
      categoryWindowDays: {},
      holidayExtension: null,
      nonReturnableCategories: [],
      sellerRefundBusinessDays: 2,
    };
    const nextMonth = new Date(Date.now() + 31 * 86_400_000).toISOString();
    await admin.put('/api/v1/admin/marketplaces/ES/return-policy', policy);
    await admin.put('/api/v1/admin/marketplaces/ES/return-policy', {
      ...policy,
      windowDays: 45,
      effectiveFrom: nextMonth,
    });
    const changes = (await admin.get('/api/v1/admin/marketplaces/ES/return-policy/changes')).json();
    expect(changes.map((c: { windowDays: number }) => c.windowDays)).toEqual([30, 45]);
    expect(changes[1].effectiveFrom).toBe(nextMonth);
    expect((await agent.get('/api/v1/admin/marketplaces/ES/return-policy/changes')).statusCode).toBe(403);
    expect((await admin.get('/api/v1/admin/marketplaces/es/return-policy/changes')).statusCode).toBe(400);
  });
});
