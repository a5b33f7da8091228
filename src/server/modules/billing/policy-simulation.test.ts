// Issue 18 item 10: a draft return window and a draft agent concession limit against June's real
// returns and concessions — per seller and in total — and the database unchanged after it.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, testApp } from '../../../../test/helpers/app';
import { tableDigests } from '../../../../test/helpers/db-state';
import { buyer, marketplaces, product, seller } from '../../../../test/helpers/fixtures';
import { concessionUnderDraftLimit, returnUnderDraftWindow } from './policy-simulation';

// The marketplace's default return policy (D1), as the returns module has it.
const DEFAULT_RETURN_POLICY = {
  windowDays: 30,
  categoryWindowDays: {},
  holidayExtension: { shippedFrom: '11-01', shippedTo: '12-31', until: '01-31' },
  nonReturnableCategories: ['personalised_gifts'],
  sellerRefundBusinessDays: 2,
};

describe('a return under a draft window (pure)', () => {
  const r = {
    requestedOn: '2026-06-20',
    deliveredOn: '2026-06-01',
    shippedOn: '2026-05-29',
    category: 'home',
  };
  it.each([
    [
      'authorised within 30 days, the draft is 14: an exception needed',
      'within_return_window',
      14,
      'would_need_exception',
    ],
    [
      'authorised within 30 days, the draft is 19: still within (ends on the 20th)',
      'within_return_window',
      19,
      'unchanged',
    ],
    [
      'an agent’s exception that 45 days would have made automatic',
      'agent_exception',
      45,
      'would_be_automatic',
    ],
    ['an agent’s exception still outside a 10-day draft', 'agent_exception', 10, 'unchanged'],
    ['a seller-fault return does not depend on the window', 'seller_fault_always_returnable', 5, 'unchanged'],
  ] as const)('%s', (_name, reason, days, outcome) => {
    const current = { ...DEFAULT_RETURN_POLICY, windowDays: 14 }; // the exception was needed under 14 days
    expect(returnUnderDraftWindow({ ...r, decisionReason: reason }, current, days).outcome).toBe(outcome);
  });
  it('an exception for a never-returnable category was not about the window', () => {
    expect(
      returnUnderDraftWindow(
        { ...r, category: 'personalised_gifts', decisionReason: 'agent_exception' },
        DEFAULT_RETURN_POLICY,
        60,
      ),
    ).toEqual({ outcome: 'unchanged', reason: 'not_about_the_window' });
  });
});

describe('a concession under a draft agent limit (pure)', () => {
  it.each([
    [
      'issued alone at 80, draft 50: a supervisor needed',
      { total: 80n, status: 'issued', waited: false },
      'would_need_supervisor',
    ],
    [
      'issued alone at exactly the draft: unchanged',
      { total: 50n, status: 'issued', waited: false },
      'unchanged',
    ],
    [
      'waited and approved at 120, draft 150: at once',
      { total: 120n, status: 'issued', waited: true },
      'would_issue_at_once',
    ],
    [
      'denied at 120, draft 150: at once, and charged to the seller',
      { total: 120n, status: 'denied', waited: true },
      'would_issue_at_once',
    ],
    [
      'pending at 300, draft 150: unchanged',
      { total: 300n, status: 'pending_approval', waited: true },
      'unchanged',
    ],
  ] as const)('%s', (_name, c, outcome) => {
    const draft = _name.includes('draft 50') ? 50n : 150n;
    const judged = concessionUnderDraftLimit({ ...c, deciderRole: 'agent' }, draft);
    expect(judged.outcome).toBe(outcome);
    if (c.status === 'denied') expect(judged).toMatchObject({ chargedToSellerToo: true });
  });
  it('a supervisor’s or the bot’s concession is not judged by the agent limit', () => {
    for (const deciderRole of ['supervisor', null])
      expect(
        concessionUnderDraftLimit({ total: 10_000n, status: 'issued', waited: false, deciderRole }, 1n),
      ).toEqual({
        outcome: 'unchanged',
        reason: 'not_decided_by_an_agent',
      });
  });
});

const t = await testApp();
const db = t.db;

describe('the policy simulation on June’s real data', () => {
  let admin: Awaited<ReturnType<typeof t.user>>;
  let supervisor: Awaited<ReturnType<typeof t.user>>;
  const seller_ = async (ref: string) =>
    (await sql<{ id: string }>`select id from seller where external_id = ${ref}`.execute(db)).rows[0]!.id;

  beforeAll(async () => {
    const records: unknown[] = [...marketplaces(), buyer('B-1')];
    for (const ref of ['P-ONE', 'P-TWO']) records.push(seller(ref), product(`PR-${ref}`, ref));
    for (const [i, ref] of ['P-ONE', 'P-ONE', 'P-TWO', 'P-TWO'].entries())
      records.push({
        type: 'order',
        externalId: `PO-${i}`,
        marketplace: 'IT',
        sellerExternalId: ref,
        buyerExternalId: 'B-1',
        fulfilmentChannel: 'seller',
        currency: 'EUR',
        orderedAt: '2026-05-20T10:00:00Z',
        lines: [{ lineNo: 1, productExternalId: `PR-${ref}`, units: 2, unitPrice: 1500 }],
        itemsTotal: 3000,
        shippingCharge: 0,
        orderTotal: 3000,
      });
    await t.seed(records);
    admin = await t.user('admin');
    supervisor = await t.user('supervisor');
    await t.user('agent');
    const agent = (await sql<{ id: string }>`select id from app_user where role = 'agent'`.execute(db))
      .rows[0]!.id;
    // Returns authorised in June: two by the 30-day policy (delivered 1 and 20 June, asked for on the 25th),
    // one by an agent's exception (delivered 1 May, asked for on 10 June: 40 days).
    const returns: [string, string, string, string][] = [
      ['PO-0', 'within_return_window', '2026-06-01', '2026-06-25'],
      ['PO-1', 'within_return_window', '2026-06-20', '2026-06-25'],
      ['PO-2', 'agent_exception', '2026-05-01', '2026-06-10'],
    ];
    for (const [order, reason, delivered, asked] of returns) {
      const decision = {
        reason,
        facts: { deliveredOn: delivered, shippedOn: null, today: asked, category: 'home_kitchen' },
      };
      await sql`with r as (
          insert into "return" (external_id, order_id, seller_id, reason, requested_at, authorisation, authorised_at, decision)
          select 'RMA-' || o.external_id, o.id, o.seller_id, 'no_longer_needed', ${`${asked}T09:00:00Z`}::timestamptz, 'authorised',
            ${`${asked}T09:00:00Z`}::timestamptz, ${JSON.stringify(decision)}::jsonb
          from "order" o where o.external_id = ${order} returning id, seller_id)
        insert into return_line (return_id, line_no, seller_id, units) select id, 1, seller_id, 1 from r`.execute(
        db,
      );
    }
    // Concessions decided in June by the agent (limit 100.00 €): 80.00 issued alone, 150.00 approved, 90.00 issued
    // alone for the other seller; one in May (not judged).
    const concessions: [string, number, string, boolean, string][] = [
      ['PO-0', 8000, 'issued', false, '2026-06-05'],
      ['PO-1', 15000, 'issued', true, '2026-06-06'],
      ['PO-2', 9000, 'issued', false, '2026-06-07'],
      ['PO-3', 9500, 'issued', false, '2026-05-07'],
    ];
    for (const [order, amount, status, approved, day] of concessions)
      await sql`insert into concession (idempotency_scope, idempotency_key, order_id, seller_id, marketplace_id, currency, action, reason,
          amount_items, amount_shipping, status, explanation, decided_by, decided_at, approved_by, approved_at)
        select 'test', ${order}, o.id, o.seller_id, 'IT', 'EUR', 'partial_refund', 'goodwill', ${amount}, 0, ${status}, '{}'::jsonb,
          ${agent}::uuid, ${`${day}T10:00:00Z`}::timestamptz, ${approved ? agent : null}::uuid, ${approved ? `${day}T11:00:00Z` : null}::timestamptz
        from "order" o where o.external_id = ${order}`.execute(db);
  }, 120_000);

  it('says what a 14-day window and an agent limit of 85.00 € would have changed, and changes nothing', async () => {
    const before = await tableDigests(db);
    const res = await admin.post('/api/v1/fees/simulations/policies', {
      marketplace: 'IT',
      month: '2026-06',
      returnWindowDays: 14,
      agentConcessionLimit: 8500,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const one = await seller_('P-ONE');
    const two = await seller_('P-TWO');
    expect(body.returnWindow.currentWindowDays).toBe(30);
    // PO-0 (24 days after delivery) would have needed an exception; PO-1 (5 days) not; PO-2 still would.
    expect(body.returnWindow.sellers).toEqual(
      expect.arrayContaining([
        {
          sellerId: one,
          returns: 2,
          wouldNeedException: { count: 1, amount: 1500 },
          wouldBeAutomatic: { count: 0, amount: 0 },
        },
        {
          sellerId: two,
          returns: 1,
          wouldNeedException: { count: 0, amount: 0 },
          wouldBeAutomatic: { count: 0, amount: 0 },
        },
      ]),
    );
    expect(body.returnWindow.total).toEqual({
      returns: 3,
      wouldNeedException: { count: 1, amount: 1500 },
      wouldBeAutomatic: { count: 0, amount: 0 },
    });
    // 90.00 € issued alone is above 85.00: a supervisor; 80.00 stays; 150.00 still waits; May is not counted.
    expect(body.concessionLimit.currentAgentLimit).toBe(10000);
    expect(body.concessionLimit.total).toEqual({
      concessions: 3,
      wouldNeedSupervisor: { count: 1, amount: 9000 },
      wouldIssueAtOnce: { count: 0, amount: 0 },
      moreChargedToSeller: 0,
    });
    expect(body.concessionLimit.sellers).toContainEqual({
      sellerId: two,
      concessions: 1,
      wouldNeedSupervisor: { count: 1, amount: 9000 },
      wouldIssueAtOnce: { count: 0, amount: 0 },
      moreChargedToSeller: 0,
    });
    expect(await tableDigests(db)).toEqual(before);
  });

  it('a 45-day window makes the agent’s exception automatic; a limit of 200.00 € issues the approved one at once', async () => {
    const body = (
      await admin.post('/api/v1/fees/simulations/policies', {
        marketplace: 'IT',
        month: '2026-06',
        returnWindowDays: 45,
        agentConcessionLimit: 20000,
      })
    ).json();
    expect(body.returnWindow.total).toMatchObject({
      wouldBeAutomatic: { count: 1, amount: 1500 },
      wouldNeedException: { count: 0 },
    });
    expect(body.concessionLimit.total).toMatchObject({
      wouldIssueAtOnce: { count: 1, amount: 15000 },
      wouldNeedSupervisor: { count: 0 },
    });
  });

  it('refuses no draft, a bad window and non-admins, with stable codes', async () => {
    const before = await tableDigests(db);
    const none = await admin.post('/api/v1/fees/simulations/policies', {
      marketplace: 'IT',
      month: '2026-06',
    });
    expect(none.statusCode).toBe(400);
    expect(errorCode(none)).toBe('validation_failed');
    const bad = await admin.post('/api/v1/fees/simulations/policies', {
      marketplace: 'IT',
      returnWindowDays: 0,
    });
    expect(errorCode(bad)).toBe('validation_failed');
    const future = await admin.post('/api/v1/fees/simulations/policies', {
      marketplace: 'IT',
      month: '2099-01',
      returnWindowDays: 10,
    });
    expect(errorCode(future)).toBe('validation_failed');
    expect(
      (
        await supervisor.post('/api/v1/fees/simulations/policies', {
          marketplace: 'IT',
          returnWindowDays: 10,
        })
      ).statusCode,
    ).toBe(403);
    expect(await tableDigests(db)).toEqual(before);
  });
});
