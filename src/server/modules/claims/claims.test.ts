import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCode, type TestClient, testApp } from '../../../../test/helpers/app';
import { order, twoSellers } from '../../../../test/helpers/fixtures';
import { fireDueTimers } from '../../platform/timers';
import { sellerBalances, unbalancedBatches } from '../ledger';
import { enrol } from '../programs';
import { refundDeadlineTimerHandlers } from '../refunds';
import { claimTimerHandlers } from './claims';

const t = await testApp();
let seller: TestClient;
let otherSeller: TestClient;
let reviewer: TestClient;
let secondReviewer: TestClient;
let supervisor: TestClient;
let buyer: TestClient;
let sellerId: string;
const noNotifications = { notify_seller: async () => {}, publish_event: async () => {} };

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), Buffer.alloc(100, 3)]);
const file = (name: string, contentType: string, data: Buffer) => ({
  filename: name,
  contentType,
  dataBase64: data.toString('base64'),
});

const delivered = (id: string, deliveredAt: string) => [
  order(id, 'S-A', 'B-1', 'P-A'),
  {
    type: 'shipment',
    externalId: `SH-${id}`,
    orderExternalId: id,
    carrier: 'BRT',
    trackingNumber: `T-${id}`,
    shippedAt: deliveredAt,
    events: [{ code: 'delivered', occurredAt: deliveredAt }],
  },
];
const authorisedReturn = (id: string, orderId: string, authorisedAt: string, receivedAt: string | null) => ({
  type: 'return',
  externalId: id,
  orderExternalId: orderId,
  reason: 'no_longer_needed',
  requestedAt: authorisedAt,
  authorisation: 'authorised',
  authorisedAt,
  receivedAt,
  lines: [{ lineNo: 1, units: 1 }],
});

/** CS refunds the buyer without waiting for the item, charged to the seller. */
async function returnlessRefund(orderId: string, key: string) {
  const c = await buyer.post('/api/v1/contacts', {
    marketplace: 'IT',
    channel: 'chat',
    topic: 'damaged_or_wrong',
    orderId,
    message: 'SECRET-BUYER-MESSAGE il pacco è arrivato rotto',
  });
  const res = await supervisor.post(
    `/api/v1/cases/${c.json().case.caseNumber}/concessions`,
    {
      action: 'returnless_refund',
      reason: 'defective_or_damaged',
      lines: [{ lineNo: 1, amount: 1999 }],
      shipping: 499,
    },
    { 'idempotency-key': key },
  );
  expect(res.json().status).toBe('issued');
}

const fileClaim = (client: TestClient, key: string, body: Record<string, unknown>) =>
  client.post(
    '/api/v1/seller/claims',
    { description: 'The buyer kept the item', ...body },
    { 'idempotency-key': key },
  );
const balance = async () =>
  (await sellerBalances(t.db, sellerId)).find((b) => b.marketplace_id === 'IT')?.balance ?? 0n;
const claimCount = async () =>
  (await sql<{ n: number }>`select count(*)::int as n from reimbursement_claim`.execute(t.db)).rows[0]!.n;

beforeAll(async () => {
  await t.seed([
    ...twoSellers(),
    ...delivered('O-C1', ago(60)),
    authorisedReturn('R-C1', 'O-C1', ago(50), null),
    ...delivered('O-C2', ago(20)),
    authorisedReturn('R-C2', 'O-C2', ago(15), null),
    ...delivered('O-C3', ago(20)),
    ...delivered('O-C4', '2026-01-10T10:00:00Z'),
    ...delivered('O-C5', ago(20)),
    authorisedReturn('R-C5', 'O-C5', ago(15), null),
    ...delivered('O-C6', ago(20)),
    order('O-NONE', 'S-A', 'B-1', 'P-A'),
    ...delivered('O-K1', ago(20)),
    ...delivered('O-K2', ago(20)),
  ]);
  sellerId = (await sql<{ id: string }>`select id from seller where external_id = 'S-A'`.execute(t.db))
    .rows[0]!.id;
  await t.db
    .transaction()
    .execute((tx) => enrol(tx, sellerId, 'IT', 'seller', new Date('2026-01-01T00:00:00Z')));
  // R-C2 and R-C5 reached the service when authorised, and their receipt 5 days later: the deadline applies.
  await sql`update "return" set created_at = requested_at where external_id in ('R-C2', 'R-C5')`.execute(
    t.db,
  );
  await t.seed([
    authorisedReturn('R-C2', 'O-C2', ago(15), ago(10)),
    authorisedReturn('R-C5', 'O-C5', ago(15), ago(10)),
  ]);
  seller = await t.user('seller', { sellerExternalId: 'S-A' });
  otherSeller = await t.user('seller', { sellerExternalId: 'S-B' });
  reviewer = await t.user('claims_reviewer');
  secondReviewer = await t.user('claims_reviewer');
  supervisor = await t.user('supervisor');
  buyer = await t.buyerToken('B-1');
  for (const o of ['O-C1', 'O-C3', 'O-C6']) await returnlessRefund(o, `refund-${o}`);
  // O-C2: the seller let the refund deadline pass, so the marketplace refunded and charged; O-C5: the seller refunded itself.
  const handlers = { ...refundDeadlineTimerHandlers, ...noNotifications };
  await refundDeadlineTimerHandlers.scan_received_returns!(t.db, {}, new Date(ago(10)));
  expect((await seller.post('/api/v1/seller/returns/R-C5/refund')).statusCode).toBe(204);
  await fireDueTimers(t.db, handlers, new Date(ago(1)));
  await sql`insert into concession (idempotency_scope, idempotency_key, order_id, seller_id, marketplace_id, currency, action, reason, amount_items, amount_shipping, status, explanation, decided_at)
    select 'system', 'old-refund', id, seller_id, marketplace_id, currency, 'returnless_refund', 'defective_or_damaged', 1999, 0, 'issued', '{}', '2026-01-12T10:00:00Z'
    from "order" where external_id = 'O-C4'`.execute(t.db);
});

describe('eligibility (T2)', () => {
  it('says why an order cannot be claimed', async () => {
    const check = async (order: string) =>
      (await seller.get(`/api/v1/seller/claims/eligibility?order=${order}`))
        .json()
        .problems.map((p: { code: string }) => p.code);
    expect(await check('O-NONE')).toEqual(['not_refunded_by_marketplace']);
    expect(await check('O-C5')).toEqual(['refunded_by_seller']);
    expect(await check('O-C4')).toEqual(['past_filing_window']);
    expect((await seller.get('/api/v1/seller/claims/eligibility?order=O-C2')).json()).toMatchObject({
      eligible: true,
      currency: 'EUR',
      maxAmount: 1999,
    });
  });

  it('refuses to file an ineligible claim with the reasons, and stores nothing', async () => {
    const before = await claimCount();
    const res = await fileClaim(seller, 'claim-none-1', {
      orderExternalId: 'O-C5',
      reason: 'returned_damaged_by_buyer',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'not_eligible',
      details: [{ code: 'refunded_by_seller' }],
    });
    const overCap = await fileClaim(seller, 'claim-cap-1', {
      orderExternalId: 'O-C6',
      reason: 'other',
      amount: 500_001,
    });
    expect(overCap.json().error.details[0].code).toBe('over_cap');
    expect(await claimCount()).toBe(before);
  });

  it('another seller’s order does not exist for you', async () => {
    expect((await otherSeller.get('/api/v1/seller/claims/eligibility?order=O-C1')).statusCode).toBe(404);
    expect(
      (await fileClaim(otherSeller, 'claim-other-1', { orderExternalId: 'O-C1', reason: 'other' }))
        .statusCode,
    ).toBe(404);
  });
});

describe('automatic grants and money moving once', () => {
  let claimId: string;
  it('grants “item not returned” at once when the authorised return has no scan after 30 days, and credits the ledger', async () => {
    const before = await balance();
    const res = await fileClaim(seller, 'claim-c1-0001', {
      orderExternalId: 'O-C1',
      reason: 'item_not_returned',
    });
    expect(res.statusCode).toBe(201);
    claimId = res.json().id;
    expect(res.json()).toMatchObject({
      status: 'granted',
      requestedAmount: 2498,
      grantedAmount: 2498,
      decision: { rule: 'no_return_scan_after_authorisation', stage: 'first' },
      appealBy: null,
    });
    expect(await balance()).toBe(before + 2498n);
    expect(await unbalancedBatches(t.db)).toEqual([]);
  });

  it('a retried filing changes nothing; a second claim on the order is refused', async () => {
    const before = await balance();
    const retry = await fileClaim(seller, 'claim-c1-0001', {
      orderExternalId: 'O-C1',
      reason: 'item_not_returned',
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(claimId);
    const second = await fileClaim(seller, 'claim-c1-0002', { orderExternalId: 'O-C1', reason: 'other' });
    expect(second.json().error.details.map((d: { code: string }) => d.code)).toEqual(['already_claimed']);
    expect(await balance()).toBe(before);
  });

  it('two claims on one order filed at once make one claim', async () => {
    const results = await Promise.all(
      ['race-000001', 'race-000002', 'race-000003'].map((k) =>
        fileClaim(seller, k, { orderExternalId: 'O-C3', reason: 'returned_different_item' }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422, 422]);
    expect(
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from reimbursement_claim c join "order" o on o.id = c.order_id where o.external_id = 'O-C3'`.execute(
          t.db,
        )
      ).rows[0]!.n,
    ).toBe(1);
  });

  it('never changes the refund it is about (seller metrics stay as they were)', async () => {
    const r = await sql<{
      status: string;
      amount_items: string;
    }>`select c.status, c.amount_items from concession c join "order" o on o.id = c.order_id where o.external_id = 'O-C1'`.execute(
      t.db,
    );
    expect(r.rows).toEqual([{ status: 'issued', amount_items: 1999n }]);
    const decisions = (await seller.get('/api/v1/seller/decisions')).json();
    expect(decisions.filter((d: { orderExternalId: string }) => d.orderExternalId === 'O-C1')).toHaveLength(
      1,
    );
  });
});

describe('the reviewer’s queue, information requests, partial grants and one appeal', () => {
  let claimId: string;
  it('files with evidence; the claim waits in the reviewers’ queue and never shows buyer messages', async () => {
    const res = await fileClaim(seller, 'claim-c2-0001', {
      orderExternalId: 'O-C2',
      reason: 'returned_damaged_by_buyer',
      description: 'The item came back with a broken screen',
      evidence: [file('screen.jpg', 'image/jpeg', jpeg)],
    });
    expect(res.statusCode).toBe(201);
    claimId = res.json().id;
    expect(res.json()).toMatchObject({ status: 'under_review', requestedAmount: 1999 });
    expect(res.json().evidence).toEqual([
      expect.objectContaining({ filename: 'screen.jpg', contentType: 'image/jpeg', sizeBytes: jpeg.length }),
    ]);
    const queue = (await reviewer.get('/api/v1/claims/queue')).json();
    expect(queue.map((c: { id: string }) => c.id)).toContain(claimId);
    const download = await reviewer.get(`/api/v1/claims/${claimId}/evidence/${res.json().evidence[0].id}`);
    expect(download.rawPayload.equals(jpeg)).toBe(true);
    expect(download.headers['content-type']).toBe('image/jpeg');
    const all = JSON.stringify((await seller.get('/api/v1/seller/claims')).json());
    expect(all).not.toContain('SECRET-BUYER-MESSAGE');
    expect((await otherSeller.get(`/api/v1/seller/claims/${claimId}`)).statusCode).toBe(404);
    expect(
      (await otherSeller.get(`/api/v1/claims/${claimId}/evidence/${res.json().evidence[0].id}`)).statusCode,
    ).toBe(404);
    expect((await seller.get('/api/v1/claims/queue')).statusCode).toBe(403);
  });

  it('asks the seller for information with a reply-by date; the reply brings it back to review', async () => {
    const asked = await reviewer.post(`/api/v1/claims/${claimId}/information-request`, {
      question: 'Photos of the packaging, please',
    });
    expect(asked.json().status).toBe('awaiting_seller');
    expect(Date.parse(asked.json().replyBy) - Date.now()).toBeGreaterThan(6 * DAY);
    const decideTooEarly = await reviewer.post(
      `/api/v1/claims/${claimId}/decision`,
      { outcome: 'grant', note: 'fine' },
      { 'idempotency-key': 'early-decision' },
    );
    expect(decideTooEarly.statusCode).toBe(409);
    const replied = await seller.post(`/api/v1/seller/claims/${claimId}/reply`, {
      message: 'Here they are',
      evidence: [file('box.png', 'image/png', png)],
    });
    expect(replied.json()).toMatchObject({ status: 'under_review', replyBy: null });
    expect(replied.json().evidence).toHaveLength(2);
    expect(replied.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'filed',
      'information_requested',
      'seller_replied',
    ]);
  });

  it('a partial grant where the buyer damaged the item stays within 50 % of the order value, posted once', async () => {
    const tooMuch = await reviewer.post(
      `/api/v1/claims/${claimId}/decision`,
      { outcome: 'partial', amount: 2300, note: 'most of it' },
      { 'idempotency-key': 'decision-too-much' },
    );
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().error.message).toMatch(/50 %/);
    const before = await balance();
    const decide = () =>
      reviewer.post(
        `/api/v1/claims/${claimId}/decision`,
        { outcome: 'partial', amount: 1000, note: 'Shared damage' },
        { 'idempotency-key': 'decision-0001' },
      );
    const first = await decide();
    expect(first.json()).toMatchObject({
      replayed: false,
      claim: { status: 'partially_granted', grantedAmount: 1000 },
    });
    expect(first.json().claim.appealBy).not.toBeNull();
    expect((await decide()).json().replayed).toBe(true);
    expect(await balance()).toBe(before + 1000n);
  });

  it('one appeal, decided by another reviewer, pays only what it adds', async () => {
    const appealed = await seller.post(`/api/v1/seller/claims/${claimId}/appeal`, {
      note: 'The courier photos prove it',
    });
    expect(appealed.json()).toMatchObject({ status: 'under_review', stage: 'appeal' });
    const sameReviewer = await reviewer.post(
      `/api/v1/claims/${claimId}/decision`,
      { outcome: 'grant', note: 'looks right' },
      { 'idempotency-key': 'appeal-same' },
    );
    expect(sameReviewer.statusCode).toBe(403);
    const before = await balance();
    const granted = await secondReviewer.post(
      `/api/v1/claims/${claimId}/decision`,
      { outcome: 'grant', note: 'Appeal granted up to the limit' },
      { 'idempotency-key': 'appeal-0001' },
    );
    // The order is worth 4,497; half of it is 2,248, more than the 1,999 refunded, so the grant is the refund.
    expect(granted.json().claim).toMatchObject({ status: 'granted', grantedAmount: 1999, stage: 'appeal' });
    expect(await balance()).toBe(before + 999n);
    expect((await seller.post(`/api/v1/seller/claims/${claimId}/appeal`, { note: 'again' })).statusCode).toBe(
      409,
    );
    expect(await unbalancedBatches(t.db)).toEqual([]);
  });
});

describe('deadlines and bad input', () => {
  it('a claim with no reply by the reply-by date is denied for that reason, and can be appealed', async () => {
    const filed = await fileClaim(seller, 'claim-c6-0001', {
      orderExternalId: 'O-C6',
      reason: 'delivered_not_received_with_proof',
    });
    const id = filed.json().id;
    const asked = await reviewer.post(`/api/v1/claims/${id}/information-request`, {
      question: 'The proof of delivery, please',
    });
    await fireDueTimers(
      t.db,
      { ...claimTimerHandlers, ...noNotifications },
      new Date(Date.parse(asked.json().replyBy) - 1000),
    );
    expect((await seller.get(`/api/v1/seller/claims/${id}`)).json().status).toBe('awaiting_seller');
    await fireDueTimers(
      t.db,
      { ...claimTimerHandlers, ...noNotifications },
      new Date(Date.parse(asked.json().replyBy) + 1000),
    );
    const denied = (await seller.get(`/api/v1/seller/claims/${id}`)).json();
    expect(denied).toMatchObject({ status: 'denied', decision: { denialReason: 'no_reply_by_deadline' } });
    expect(denied.appealBy).not.toBeNull();
    expect((await seller.post(`/api/v1/seller/claims/${id}/reply`, { message: 'late' })).statusCode).toBe(
      409,
    );
  });

  it('rejects evidence that is not what it says, oversize bodies, denials without a reason and unknown claims', async () => {
    const before = await claimCount();
    const fake = await fileClaim(seller, 'claim-fake-1', {
      orderExternalId: 'O-C3',
      reason: 'other',
      evidence: [file('photo.jpg', 'image/jpeg', Buffer.from('<script>alert(1)</script>'))],
    });
    expect(fake.statusCode).toBe(415);
    const exe = await fileClaim(seller, 'claim-fake-2', {
      orderExternalId: 'O-C3',
      reason: 'other',
      evidence: [file('x.exe', 'application/x-msdownload', jpeg)],
    });
    expect(exe.statusCode).toBe(400);
    const huge = await fileClaim(seller, 'claim-huge-1', {
      orderExternalId: 'O-C3',
      reason: 'other',
      evidence: [file('big.jpg', 'image/jpeg', Buffer.concat([jpeg, Buffer.alloc(5 * 1024 * 1024)]))],
    });
    expect(huge.statusCode).toBe(413);
    expect(await claimCount()).toBe(before);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await reviewer.get(`/api/v1/claims/${unknown}`)).statusCode).toBe(404);
    expect(
      (
        await reviewer.post(
          `/api/v1/claims/not-a-uuid/decision`,
          { outcome: 'grant', note: 'x y z' },
          { 'idempotency-key': 'k-00000001' },
        )
      ).statusCode,
    ).toBe(400);
    const queue = (await reviewer.get('/api/v1/claims/queue')).json();
    const open = queue.find((c: { orderExternalId: string }) => c.orderExternalId === 'O-C3');
    const noReason = await secondReviewer.post(
      `/api/v1/claims/${open.id}/decision`,
      { outcome: 'deny', note: 'not convinced' },
      { 'idempotency-key': 'deny-000001' },
    );
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].code).toBe('denial_reason_required');
    const missingKey = await seller.post('/api/v1/seller/claims', {
      orderExternalId: 'O-C3',
      reason: 'other',
      description: 'abc',
    });
    expect(missingKey.statusCode).toBe(400);
  });
});

describe('the reimbursement policy is the marketplace’s', () => {
  it('starts from T2’s defaults and is changed by an admin; a longer window opens an old refund to claims', async () => {
    expect((await seller.get('/api/v1/marketplaces/IT/claim-policy')).json()).toEqual({
      filingWindowDays: 30,
      capMajorUnits: 5000,
      buyerDamageMaxPercent: 50,
      noReturnScanDays: 30,
      replyByDays: 7,
      appealByDays: 30,
    });
    const admin = await t.user('admin');
    const policy = {
      filingWindowDays: 365,
      capMajorUnits: 2000,
      buyerDamageMaxPercent: 40,
      noReturnScanDays: 20,
      replyByDays: 5,
      appealByDays: 14,
    };
    expect((await seller.put('/api/v1/admin/marketplaces/IT/claim-policy', policy)).statusCode).toBe(403);
    expect(
      (
        await admin.put('/api/v1/admin/marketplaces/IT/claim-policy', {
          ...policy,
          buyerDamageMaxPercent: 101,
        })
      ).statusCode,
    ).toBe(400);
    expect((await admin.put('/api/v1/admin/marketplaces/ZZ/claim-policy', policy)).statusCode).toBe(404);
    expect((await admin.put('/api/v1/admin/marketplaces/IT/claim-policy', policy)).json()).toEqual(policy);
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await admin.put('/api/v1/admin/marketplaces/IT/claim-policy', {
      ...policy,
      capMajorUnits: 100,
      effectiveFrom: nextYear,
    });
    expect((await seller.get('/api/v1/marketplaces/IT/claim-policy')).json().capMajorUnits).toBe(2000);
    expect(
      (await seller.get(`/api/v1/marketplaces/IT/claim-policy?at=${nextYear}`)).json().capMajorUnits,
    ).toBe(100);
    const old = (
      await seller.get('/api/v1/seller/claims/eligibility?order=O-C4&reason=returned_damaged_by_buyer')
    ).json();
    // 40 % of the 4,497 order value is 1,798, below the 1,999 refunded.
    expect(old).toMatchObject({ eligible: true, maxAmount: 1798 });
  });
});

describe('idempotency keys of claims and of reviewers’ decisions', () => {
  const claim = { reason: 'returned_different_item', description: 'Another item came back' };
  const decision = { outcome: 'partial', amount: 1000, note: 'Half of it' };
  const decide = (client: TestClient, id: string, key: string, body: Record<string, unknown> = decision) =>
    client.post(`/api/v1/claims/${id}/decision`, body, { 'idempotency-key': key });
  let first: string;
  let second: string;

  it('a filing: the same key with another order or amount is refused, the same request replayed', async () => {
    await returnlessRefund('O-K1', 'refund-O-K1');
    await returnlessRefund('O-K2', 'refund-O-K2');
    const filed = await fileClaim(seller, 'claim-k-0001', { ...claim, orderExternalId: 'O-K1' });
    expect(filed.statusCode).toBe(201);
    first = filed.json().id;
    const count = await claimCount();
    for (const body of [
      { ...claim, orderExternalId: 'O-K2' },
      { ...claim, orderExternalId: 'O-K1', amount: 100 },
      { ...claim, orderExternalId: 'O-K1', description: 'Something else' },
    ]) {
      const res = await fileClaim(seller, 'claim-k-0001', body);
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('idempotency_key_reused');
    }
    expect(await claimCount()).toBe(count);
    const replay = await fileClaim(seller, 'claim-k-0001', { ...claim, orderExternalId: 'O-K1' });
    expect([replay.statusCode, replay.json().id]).toEqual([200, first]);
    // Another seller's same key is its own: its request is judged on its own (not its order here).
    expect(
      (await fileClaim(otherSeller, 'claim-k-0001', { ...claim, orderExternalId: 'O-K1' })).statusCode,
    ).toBe(404);
    second = (await fileClaim(seller, 'claim-k-0002', { ...claim, orderExternalId: 'O-K2' })).json().id;
    expect(await claimCount()).toBe(count + 1);
  });

  it('a decision: another reviewer’s same key decides the appeal instead of replaying the first decision', async () => {
    expect((await decide(reviewer, first, 'decision-k-0001')).json().claim.status).toBe('partially_granted');
    await seller.post(`/api/v1/seller/claims/${first}/appeal`, { note: 'The photos prove it' });
    const before = await balance();
    const appeal = await decide(secondReviewer, first, 'decision-k-0001', {
      outcome: 'grant',
      note: 'Appeal granted',
    });
    expect(appeal.json()).toMatchObject({
      replayed: false,
      claim: { status: 'granted', stage: 'appeal', grantedAmount: 2498 },
    });
    expect(await balance()).toBe(before + 1498n);
  });

  it('a decision: the same key on another claim or with another amount is refused; the same one replayed', async () => {
    const before = await balance();
    for (const [id, body] of [
      [second, decision],
      [first, { ...decision, amount: 1200 }],
    ] as const) {
      const res = await decide(reviewer, id, 'decision-k-0001', body);
      expect(res.statusCode).toBe(422);
      expect(errorCode(res)).toBe('idempotency_key_reused');
    }
    expect((await seller.get(`/api/v1/seller/claims/${second}`)).json().status).toBe('under_review');
    const replay = await decide(reviewer, first, 'decision-k-0001');
    expect(replay.json()).toMatchObject({ replayed: true, claim: { id: first } });
    expect(await balance()).toBe(before);
  });

  it('a decision sent twice at once is made once and pays once', async () => {
    const before = await balance();
    const both = await Promise.all([
      decide(reviewer, second, 'decision-k-0002'),
      decide(reviewer, second, 'decision-k-0002'),
    ]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(both.map((r) => r.json().replayed).sort()).toEqual([false, true]);
    expect(await balance()).toBe(before + 1000n);
    expect(await unbalancedBatches(t.db)).toEqual([]);
  });
});
