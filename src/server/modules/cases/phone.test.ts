import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, testApp } from '../../../../test/helpers/app';
import { buyer, order, twoSellers } from '../../../../test/helpers/fixtures';
import { fireDueTimers } from '../../platform/timers';
import { enrol } from '../programs';
import { phoneTimerHandlers } from './phone';

const t = await testApp();
let telephony: TestClient;
let agent: TestClient;
let buyerClient: TestClient;

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    buyer('B-PH', { phone: '+390612345678' }),
    order('O-PH', 'S-A', 'B-PH', 'P-A'),
  ]);
  const sA = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db.transaction().execute((tx) => enrol(tx, sA, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  telephony = await t.apiKey(['telephony']);
  agent = await t.user('agent');
  const admin = await t.user('admin');
  await admin.put(`/api/v1/admin/agents/${(await agent.get('/api/v1/auth/session')).json().user.id}`, {
    marketplaces: ['IT'],
    languages: ['it'],
  });
  buyerClient = await t.buyerToken('B-PH');
});

const call = (callId: string) =>
  telephony.post('/api/v1/telephony/inbound-calls', {
    marketplace: 'IT',
    callerNumber: '+390612345678',
    callId,
    startedAt: new Date().toISOString(),
  });

describe('phone channel', () => {
  it('opens a case for an inbound call from a known buyer, then joins it on the next call', async () => {
    const first = (await call('call-1')).json();
    expect(first).toMatchObject({ handler: 'marketplace_cs', reason: 'enrolled_seller_fulfilled' });
    const second = (await call('call-2')).json();
    expect(second).toMatchObject({ reason: 'continued_case', case: { caseNumber: first.case.caseNumber } });
    // Nothing is quoted on a call: the explanation says what matched, or that nothing did.
    expect(first.explanation).toMatch(/^The caller's number matches no open case .*: a new case opens\./);
    expect(second.explanation).toBe(
      `The caller's number belongs to the buyer of open case ${first.case.caseNumber}: the call joins that case.`,
    );
    for (const r of [first, second]) expect(r.explanation).not.toMatch(/quoted/);
    expect((await call('call-2')).json().contactId).toBe(second.contactId); // the same webhook twice is one contact
    const calls = await sql`select external_call_id from phone_call order by started_at`.execute(t.db);
    expect(calls.rows).toEqual([{ external_call_id: 'call-1' }, { external_call_id: 'call-2' }]);
    const view = (await agent.get(`/api/v1/cases/${first.case.caseNumber}`)).json();
    expect(view.channel).toBe('phone');
  });

  it('refuses an unknown caller and callers without the telephony key', async () => {
    const unknown = await telephony.post('/api/v1/telephony/inbound-calls', {
      marketplace: 'IT',
      callerNumber: '+390600000000',
      callId: 'x',
      startedAt: new Date().toISOString(),
    });
    expect(unknown.statusCode).toBe(404);
    expect((await agent.post('/api/v1/telephony/inbound-calls', {})).statusCode).toBe(403);
    const bad = await telephony.post('/api/v1/telephony/inbound-calls', {
      marketplace: 'IT',
      callerNumber: '0612345678',
      callId: 'y',
      startedAt: 'now',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('logs an agent’s call and refuses one that ends before it starts', async () => {
    const n = (await sql<{ case_number: string }>`select case_number from cs_case limit 1`.execute(t.db))
      .rows[0]!.case_number;
    const ok = await agent.post(`/api/v1/cases/${n}/calls`, {
      caller: '+390612345678',
      direction: 'outbound',
      startedAt: '2026-03-12T09:00:00Z',
      endedAt: '2026-03-12T09:04:00Z',
      outcome: 'answered',
      notes: 'Spiegato il reso',
    });
    expect(ok.statusCode).toBe(200);
    const bad = await agent.post(`/api/v1/cases/${n}/calls`, {
      caller: '+390612345678',
      direction: 'outbound',
      startedAt: '2026-03-12T09:00:00Z',
      endedAt: '2026-03-12T08:00:00Z',
      outcome: 'answered',
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses a call log or a callback from an agent who does not own the case, writing nothing', async () => {
    const n = (await sql<{ case_number: string }>`select case_number from cs_case limit 1`.execute(t.db))
      .rows[0]!.case_number;
    const other = await t.user('agent');
    const count = async () =>
      (
        await sql<{
          calls: number;
          callbacks: number;
        }>`select (select count(*) from phone_call)::int as calls,
        (select count(*) from callback_request)::int as callbacks`.execute(t.db)
      ).rows[0]!;
    const before = await count();
    const call = await other.post(`/api/v1/cases/${n}/calls`, {
      caller: '+390612345678',
      direction: 'outbound',
      startedAt: '2026-03-12T09:00:00Z',
      endedAt: '2026-03-12T09:04:00Z',
      outcome: 'answered',
    });
    expect(call.statusCode).toBe(403);
    const callback = await other.post(`/api/v1/cases/${n}/callbacks`, {
      phone: '+390612345678',
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(callback.statusCode).toBe(403);
    expect(await count()).toEqual(before);
  });

  it('brings a callback back to the case when it is due', async () => {
    const n = (await sql<{ case_number: string }>`select case_number from cs_case limit 1`.execute(t.db))
      .rows[0]!.case_number;
    const due = new Date(Date.now() + 2 * 3_600_000);
    const cb = await buyerClient.post(`/api/v1/cases/${n}/callbacks`, {
      phone: '+390612345678',
      dueAt: due.toISOString(),
    });
    expect(cb.statusCode).toBe(200);
    expect(
      (
        await buyerClient.post(`/api/v1/cases/${n}/callbacks`, {
          phone: '+390612345678',
          dueAt: '2020-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    await fireDueTimers(t.db, phoneTimerHandlers, new Date(due.getTime() - 60_000));
    const kinds = async () =>
      (await agent.get(`/api/v1/cases/${n}`)).json().events.map((e: { kind: string }) => e.kind);
    expect(await kinds()).not.toContain('callback_due');
    await fireDueTimers(t.db, phoneTimerHandlers, new Date(due.getTime() + 1000));
    expect(await kinds()).toContain('callback_due');
  });
});
