// Late data after a month was charged (issue 18): a carrier scan, a back-dated shipment and a contact
// that arrive in July change June's figures; the revision moves the difference through the ledger once.
import { sql } from 'kysely';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { testApp } from '../../../../test/helpers/app';
import { tableDigests } from '../../../../test/helpers/db-state';
import { buyer, marketplaces, product, seller } from '../../../../test/helpers/fixtures';
import { feesCommand } from '../../main/fees-cli';
import { unbalancedBatches } from '../ledger';
import { figuresFromFacts, figuresOf, marketplaceFacts } from './billing.repository';
import { runDueFeeMonths, runFeeMonth } from './monthly-run';
import { reviseFeeMonth } from './revisions';
import { feeMonths } from './seller-fees';

const t = await testApp();
const db = t.db;
const ids: Record<string, string> = {};
const CHARGED = new Date('2026-07-01T08:00:00Z');
const LATER = new Date('2026-07-06T08:00:00Z');

let n = 0;
function orderWithShipment(sellerRef: string, shippedAt: string, units: number, scanned: boolean) {
  const id = `O-${++n}`;
  return [
    {
      type: 'order',
      externalId: id,
      marketplace: 'IT',
      sellerExternalId: sellerRef,
      buyerExternalId: 'B-1',
      fulfilmentChannel: 'seller',
      currency: 'EUR',
      orderedAt: new Date(new Date(shippedAt).getTime() - 86_400_000).toISOString(),
      lines: [{ lineNo: 1, productExternalId: `P-${sellerRef}`, units, unitPrice: 1000 }],
      itemsTotal: 1000 * units,
      shippingCharge: 0,
      orderTotal: 1000 * units,
    },
    {
      type: 'shipment',
      externalId: `SH-${n}`,
      orderExternalId: id,
      carrier: 'BRT',
      shippedAt,
      events: [
        { code: 'label_created', occurredAt: shippedAt },
        ...(scanned
          ? [
              {
                code: 'picked_up',
                occurredAt: new Date(new Date(shippedAt).getTime() + 3_600_000).toISOString(),
              },
            ]
          : []),
      ],
    },
  ];
}
const march = (i: number) => `2026-03-${String(2 + (i % 27)).padStart(2, '0')}T10:00:00Z`;
const june = (day: number) => `2026-06-${String(day).padStart(2, '0')}T10:00:00Z`;

// In the window (March): R-SCAN 2 % CPU but 94 % tracked (band 1, no discount: 9 c a unit) — one late
// scan makes 95 %, free below 3 %. R-SHIP 20 % (band 3, 109 c, 30 % off); a June shipment imported late
// adds 2 units. R-SAME 10 % (band 2, 41 c, 50 % off); a late contact makes 11 %: the band is revised,
// the fee is the same.
const SELLERS = {
  'R-SCAN': { contacts: 2, scans: 94 },
  'R-SHIP': { contacts: 20, scans: 100 },
  'R-SAME': { contacts: 10, scans: 100 },
};
const windowOrders: Record<string, string[]> = {};

async function contact(orderRef: string, at: string) {
  await sql`
    insert into contact (marketplace_id, channel, sender, buyer_id, seller_id, order_id, topic, handler, routing_reason, explanation, received_at)
    select 'IT', 'chat', 'buyer', o.buyer_id, o.seller_id, o.id, 'delivery', 'marketplace_cs', 'enrolled_seller_fulfilled', 'test', ${at}::timestamptz
    from "order" o where o.external_id = ${orderRef}`.execute(db);
}

beforeAll(async () => {
  const records: unknown[] = [...marketplaces(), buyer('B-1')];
  for (const [ref, s] of Object.entries(SELLERS)) {
    records.push(seller(ref), product(`P-${ref}`, ref));
    windowOrders[ref] = [];
    for (let i = 0; i < 100; i++) {
      const rs = orderWithShipment(ref, march(i), 1, i < s.scans);
      windowOrders[ref].push((rs[0] as { externalId: string }).externalId);
      records.push(...rs);
    }
    for (let i = 0; i < 10; i++) records.push(...orderWithShipment(ref, june(2 + i), 1, true));
  }
  await t.seed(records);
  for (const r of (
    await sql<{ id: string; external_id: string }>`select id, external_id from seller`.execute(db)
  ).rows)
    ids[r.external_id] = r.id;
  for (const [ref, s] of Object.entries(SELLERS)) {
    await sql`insert into service_enrolment (seller_id, marketplace_id, enrolled_at, trial_ends_at, enrolled_by)
      values (${ids[ref]}::uuid, 'IT', '2026-01-01T00:00:00Z', '2026-01-31T00:00:00Z', 'seller')`.execute(db);
    for (let i = 0; i < s.contacts; i++)
      await contact(windowOrders[ref]![i]!, `2026-03-${String(2 + i).padStart(2, '0')}T12:00:00Z`);
  }
  await runFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now: CHARGED });
}, 120_000);

type StoredDecision = { window: { contacts: number }; band: { band: string } };
const net = async (ref: string) => (await feeMonths(db, ids[ref]!, 'IT')).find((m) => m.month === '2026-06')!;
const sellerBalance = async (ref: string) =>
  Number(
    (
      await sql<{
        s: string;
      }>`select coalesce(sum(amount), 0) as s from ledger_posting where seller_id = ${ids[ref]}::uuid`.execute(
        db,
      )
    ).rows[0]!.s,
  );
const adjustments = async () =>
  (
    await sql<{ external_id: string; credit: string; revision: number; explanation: { changed: string[] } }>`
    select s.external_id, a.credit, a.revision, a.explanation from fee_adjustment a join seller s on s.id = a.seller_id
    where a.revision is not null order by 1, a.revision`.execute(db)
  ).rows.map((r) => [r.external_id, Number(r.credit), r.revision, r.explanation.changed]);

describe('late data after the month was charged', () => {
  it('charged June on the figures known on 1 July', async () => {
    expect((await net('R-SCAN')).amount).toBe(10 * 9);
    expect((await net('R-SHIP')).amount).toBe(Math.round(10 * 109 * 0.7));
    expect((await net('R-SAME')).amount).toBe(10 * 41 * 0.5);
  });

  it('a late scan and a late shipment are credited and charged once; killed half-way, the next run finishes', async () => {
    // A carrier scan of a March shipment and a June shipment (2 units) reach us in July.
    await sql`insert into shipment_event (shipment_id, seller_id, code, occurred_at, received_at)
      select s.id, s.seller_id, 'picked_up', s.shipped_at + interval '2 hours', ${LATER}
      from shipment s join "order" o on o.id = s.order_id where o.external_id = ${windowOrders['R-SCAN']![99]!}`.execute(
      db,
    );
    await t.seed(orderWithShipment('R-SHIP', june(20), 2, true));
    // The tallies took the late facts in as they were written.
    const m = (await marketplaceFacts(db, 'IT'))!;
    expect(await figuresOf(db, m, '2026-06')).toEqual(await figuresFromFacts(db, m, '2026-06'));

    // Killed after the first seller's transaction: it stays revised, the others are not yet.
    await expect(
      reviseFeeMonth(db, {
        marketplaceId: 'IT',
        month: '2026-06',
        now: LATER,
        chunkSize: 1,
        afterChunk: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const first = await adjustments();
    expect(first.length).toBeLessThanOrEqual(1);

    const r = await reviseFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now: LATER, chunkSize: 1 });
    expect(r.revised.length + first.length).toBe(2);
    expect(await adjustments()).toEqual([
      ['R-SCAN', 90, 1, ['scanned']], // 95 % tracked and 2 % CPU: free, the whole charge back
      ['R-SHIP', 763 - 916, 1, ['chargedUnits']], // 12 units × 109 c × 70 % = 915.6 → 916: 153 more
    ]);
    expect(await net('R-SCAN')).toMatchObject({ amount: 90, credited: 90, net: 0 });
    expect(await net('R-SHIP')).toMatchObject({ amount: 763, net: 916 });
    expect(await sellerBalance('R-SCAN')).toBe(0);
    expect(await sellerBalance('R-SHIP')).toBe(-916);
    expect(await unbalancedBatches(db)).toEqual([]);
    // Each revision explained: before and after, and the ledger batch says why.
    const explained = (
      await sql<{ explanation: Record<string, unknown>; description: string }>`
      select a.explanation, b.description from fee_adjustment a join ledger_batch b on b.id = a.ledger_batch_id
      where a.seller_id = ${ids['R-SCAN']}::uuid`.execute(db)
    ).rows[0]!;
    expect(explained.explanation).toMatchObject({
      kind: 'late_data',
      before: { validTrackingRateBp: 9400, discountPercent: 0, chargedUnits: 10, net: 90 },
      after: { validTrackingRateBp: 9500, discountPercent: 100, discountReason: 'free_low_cpu' },
      owedNow: 0,
      difference: -90,
    });
    expect(explained.description).toContain('late data (scanned)');

    // Run again: nothing moves, nothing is written.
    const before = await tableDigests(db);
    const again = await reviseFeeMonth(db, { marketplaceId: 'IT', month: '2026-06', now: LATER });
    expect(again.revised).toEqual([]);
    expect(await tableDigests(db)).toEqual(before);
  });

  it('`fees revise` by hand prints each seller revised and a summary; once more, nothing', async () => {
    // A second late scan for R-SCAN changes its figures again (already free: the band alone is revised).
    await sql`insert into shipment_event (shipment_id, seller_id, code, occurred_at, received_at)
      select s.id, s.seller_id, 'picked_up', s.shipped_at + interval '2 hours', ${LATER}
      from shipment s join "order" o on o.id = s.order_id where o.external_id = ${windowOrders['R-SCAN']![98]!}`.execute(
      db,
    );
    const run = async () => {
      const out: string[] = [];
      const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out.push(String(chunk));
        return true;
      });
      try {
        expect(await feesCommand(['revise', '--month', '2026-06', '--marketplace', 'IT'], db, LATER)).toBe(0);
      } finally {
        spy.mockRestore();
      }
      return out
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
    };
    const first = await run();
    expect(first).toEqual([
      expect.objectContaining({ sellerId: ids['R-SCAN'], changed: ['scanned'], difference: 0, owed: 0 }),
      expect.objectContaining({ summary: true, revised: 1, total: 0, currency: 'EUR' }),
    ]);
    expect(await run()).toEqual([expect.objectContaining({ summary: true, revised: 0, total: 0 })]);
  });

  it('the timer on the next 1st revises the month: a late contact revises the band, the fee stays', async () => {
    await contact(windowOrders['R-SAME']![50]!, '2026-03-25T12:00:00Z');
    await runDueFeeMonths(db, new Date('2026-08-01T08:00:00Z'));
    const band = (
      await sql<{ decision: StoredDecision; first_decision: StoredDecision }>`
      select decision, first_decision from fee_band where seller_id = ${ids['R-SAME']}::uuid and month = '2026-06'`.execute(
        db,
      )
    ).rows[0]!;
    expect(band.first_decision.window.contacts).toBe(10);
    expect(band.decision.window.contacts).toBe(11);
    expect(band.decision.band.band).toBe('band_2');
    expect((await adjustments()).filter((a) => a[0] === 'R-SAME')).toEqual([]);
    expect(await net('R-SAME')).toMatchObject({ amount: 205, net: 205 });
  });
});
