import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { product, seller, twoSellers } from '../../../../test/helpers/fixtures';

const t = await testApp();
let sellerA: TestClient;
let sellerB: TestClient;
let admin: TestClient;
let agent: TestClient;

beforeAll(async () => {
  await t.seed([...twoSellers(), seller('S-SUSP', { standing: 'suspended' })]);
  sellerA = await t.user('seller', { sellerExternalId: 'S-A' });
  sellerB = await t.user('seller', { sellerExternalId: 'S-B' });
  admin = await t.user('admin');
  agent = await t.user('agent');
});

const statusIn = async (client: TestClient, ref: string, marketplace: string, at?: string) => {
  const res = await client.get(`/api/v1/sellers/${ref}/services${at ? `?at=${encodeURIComponent(at)}` : ''}`);
  return res.json().marketplaces.find((m: { marketplace: string }) => m.marketplace === marketplace);
};

describe('managed-service programme', () => {
  it('shows Not enrolled with the service description before enrolment', async () => {
    const res = (await sellerA.get('/api/v1/sellers/S-A/services')).json();
    expect(res.service.description).toMatch(/post-order questions/);
    expect(res.marketplaces).toHaveLength(5);
    expect(res.marketplaces.every((m: { label: string }) => m.label === 'Not enrolled')).toBe(true);
  });

  it('starts a 30-day trial on the first enrolment, then withdrawal, then re-enrolment without trial', async () => {
    const before = Date.now();
    const first = (
      await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/enrolments', { marketplace: 'IT' })
    ).json();
    expect(first.reason).toBe('first_enrolment_with_trial');
    expect(first.service.status).toBe('trial');
    const trialDays = (Date.parse(first.service.trialEndsAt) - before) / 86_400_000;
    expect(trialDays).toBeGreaterThan(29.99);
    expect(trialDays).toBeLessThan(30.01);
    expect(first.service.label).toBe(`Trial until ${first.service.trialEndsAt.slice(0, 10)}`);

    const withdrawn = (
      await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/withdrawals', { marketplace: 'IT' })
    ).json();
    expect(withdrawn.service).toMatchObject({ status: 'not_enrolled', label: 'Not enrolled' });
    expect(withdrawn.service.withdrawnAt).not.toBeNull();

    const again = (
      await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/enrolments', { marketplace: 'IT' })
    ).json();
    expect(again).toMatchObject({
      reason: 're_enrolment_no_trial',
      service: { status: 'active', label: 'Active' },
    });
  });

  it('knows the status at a past instant', async () => {
    const periods = await sql<{
      enrolled_at: Date;
    }>`select enrolled_at from service_enrolment e join seller s on s.id = e.seller_id
      where s.external_id = 'S-A' and marketplace_id = 'IT' order by enrolled_at`.execute(t.db);
    const firstEnrolment = periods.rows[0]!.enrolled_at.toISOString();
    expect((await statusIn(sellerA, 'S-A', 'IT', '2020-01-01T00:00:00Z')).status).toBe('not_enrolled');
    expect((await statusIn(sellerA, 'S-A', 'IT', firstEnrolment)).status).toBe('trial');
  });

  it('refuses a second enrolment while enrolled, and a withdrawal while not enrolled', async () => {
    const twice = await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/enrolments', {
      marketplace: 'IT',
    });
    expect(twice.statusCode).toBe(409);
    const notEnrolled = await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/withdrawals', {
      marketplace: 'FR',
    });
    expect(notEnrolled.statusCode).toBe(409);
  });

  it('says why a seller is not eligible, and refuses its enrolment', async () => {
    const eligibility = (await admin.get('/api/v1/sellers/S-SUSP/services/managed-cs/eligibility')).json();
    expect(eligibility).toEqual({
      eligible: false,
      reasons: [
        { code: 'account_not_in_good_standing', message: 'The account is suspended, not in good standing' },
      ],
    });
    const res = await admin.post('/api/v1/sellers/S-SUSP/services/managed-cs/enrolments', {
      marketplace: 'IT',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details[0].code).toBe('account_not_in_good_standing');
  });

  it('enrols once when the same seller enrols twice at the same moment', async () => {
    const results = await Promise.all([
      sellerB.post('/api/v1/sellers/S-B/services/managed-cs/enrolments', { marketplace: 'DE' }),
      sellerB.post('/api/v1/sellers/S-B/services/managed-cs/enrolments', { marketplace: 'DE' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows =
      await sql`select 1 from service_enrolment e join seller s on s.id = e.seller_id where s.external_id = 'S-B'
      and marketplace_id = 'DE'`.execute(t.db);
    expect(rows.rows).toHaveLength(1);
  });

  it("keeps sellers to their own services: another seller's answers 404, agents may read, not enrol", async () => {
    expect((await sellerA.get('/api/v1/sellers/S-B/services')).statusCode).toBe(404);
    expect(
      (await sellerA.post('/api/v1/sellers/S-B/services/managed-cs/enrolments', { marketplace: 'US' }))
        .statusCode,
    ).toBe(404);
    expect((await agent.get('/api/v1/sellers/S-B/services')).statusCode).toBe(200);
    expect(
      (await agent.post('/api/v1/sellers/S-B/services/managed-cs/enrolments', { marketplace: 'US' }))
        .statusCode,
    ).toBe(403);
  });

  it('records premium membership, effective-dated, among the seller’s services (P6)', async () => {
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    expect((await admin.put('/api/v1/admin/sellers/S-B/premium/DE', { member: true })).statusCode).toBe(204);
    expect((await statusIn(sellerB, 'S-B', 'DE')).premium).toBe(true);
    expect((await statusIn(sellerB, 'S-B', 'DE', before)).premium).toBe(false);
    await admin.put('/api/v1/admin/sellers/S-B/premium/DE', { member: false });
    expect((await statusIn(sellerB, 'S-B', 'DE')).premium).toBe(false);
    expect((await sellerB.put('/api/v1/admin/sellers/S-B/premium/DE', { member: true })).statusCode).toBe(
      403,
    );
  });

  it('rejects bad input', async () => {
    const res = await sellerA.post('/api/v1/sellers/S-A/services/managed-cs/enrolments', {
      marketplace: 'it',
    });
    expect(errorCode(res)).toBe('validation_failed');
    const unknown = await admin.put('/api/v1/admin/programs/XX/policy', {
      effectiveFrom: '2026-01-01T00:00:00Z',
      trialDays: 30,
      autoEnrolNewSellers: true,
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('uses the trial length in force and enrols new sellers automatically where configured (demo: US)', async () => {
    await admin.put('/api/v1/admin/programs/US/policy', {
      effectiveFrom: '2026-01-01T00:00:00Z',
      trialDays: 14,
      autoEnrolNewSellers: true,
    });
    const since = new Date(Date.now() - 60_000).toISOString();
    const usPage = { pages: [{ marketplace: 'US', language: 'en', title: 'Kettle' }] };
    await t.seed([
      seller('S-NEW-1', { homeCountry: 'US' }),
      seller('S-NEW-2', { homeCountry: 'CN', standing: 'at_risk' }),
      seller('S-NEW-3', { homeCountry: 'DE' }),
      product('P-NEW-1', 'S-NEW-1', usPage),
      product('P-NEW-2', 'S-NEW-2', usPage),
    ]);
    const first = (await admin.post('/api/v1/admin/programs/auto-enrolment', { createdSince: since })).json();
    expect(first).toEqual({ enrolled: 1 }); // S-NEW-1 only: S-NEW-2 is not eligible, S-NEW-3 does not sell in US
    expect(
      (await admin.post('/api/v1/admin/programs/auto-enrolment', { createdSince: since })).json(),
    ).toEqual({ enrolled: 0 });
    const auto = await statusIn(admin, 'S-NEW-1', 'US');
    expect(auto.status).toBe('trial');
    expect((Date.parse(auto.trialEndsAt) - Date.parse(auto.since)) / 86_400_000).toBe(14);
    expect((await statusIn(admin, 'S-NEW-2', 'US')).status).toBe('not_enrolled'); // not eligible
    expect((await statusIn(admin, 'S-NEW-3', 'US')).status).toBe('not_enrolled'); // lists nothing in US
    expect((await statusIn(admin, 'S-NEW-1', 'IT')).status).toBe('not_enrolled'); // IT does not auto-enrol
  });
});
