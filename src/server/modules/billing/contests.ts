// A seller contests a counted contact (F4); staff decide. An accepted contest takes the contact out of
// the count of every band window it was in; where that lowers a month's band or raises its discount,
// the month's band is revised, and a month already charged gets the difference back through the ledger.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { minorUnits } from '../../platform/money';
import { scheduleTimer } from '../../platform/timers';
import { postBatch } from '../ledger';
import {
  bandsOf,
  contactsOf,
  enrolmentPeriods,
  lockedChargesOf,
  marketplaceFacts,
  policiesOfMonth,
  reviseBand,
} from './billing.repository';
import { addMonths, contactCount, decideFee, feeAmount, monthOf, unitCoverage } from './fee-rules';

export const contestReasons = ['caused_by_marketplace', 'duplicate', 'not_about_my_order', 'other'] as const;
export type ContestReason = (typeof contestReasons)[number];

export async function fileContest(
  tx: Db,
  c: {
    sellerId: string;
    contactId: string;
    reason: ContestReason;
    comment: string;
    userId: string;
    now: Date;
  },
) {
  const r = await sql<{ marketplace_id: string; received_at: Date }>`
    select marketplace_id, received_at from contact where id = ${c.contactId}::uuid and seller_id = ${c.sellerId}::uuid`.execute(
    tx,
  );
  const contact = r.rows[0];
  if (!contact) throw notFound('Contact');
  // Only a contact that counts can be contested.
  const around = await contactsOf(
    tx,
    c.sellerId,
    contact.marketplace_id,
    contact.received_at,
    new Date(contact.received_at.getTime() + 1),
  );
  const row = around.find((x) => x.id === c.contactId);
  const periods = await enrolmentPeriods(tx, c.sellerId, contact.marketplace_id);
  const count =
    row &&
    contactCount({
      handler: row.handler,
      routingReason: row.routing_reason,
      topic: row.topic,
      fulfilmentChannel: row.fulfilment_channel,
      coveredAt: unitCoverage(periods, row.received_at).covered,
      contestAccepted: false,
    });
  if (!count?.counted)
    throw new AppError('validation_failed', 'This contact is not counted in the seller’s contacts per unit', [
      {
        path: 'contactId',
        code: count?.reason ?? 'not_counted',
        message: 'only a counted contact can be contested',
      },
    ]);
  const inserted = await sql<{ id: string }>`
    insert into fee_contest (contact_id, seller_id, marketplace_id, reason, comment, status, filed_by, filed_at)
    values (${c.contactId}::uuid, ${c.sellerId}::uuid, ${contact.marketplace_id}, ${c.reason}, ${c.comment}, 'open', ${c.userId}::uuid, ${c.now})
    on conflict (contact_id) do nothing returning id`.execute(tx);
  if (!inserted.rows[0]) throw new AppError('conflict', 'This contact is already contested');
  return contestById(tx, inserted.rows[0].id);
}

export type ContestRow = {
  id: string;
  contact_id: string;
  seller_id: string;
  seller_external_id: string;
  marketplace_id: string;
  reason: string;
  comment: string;
  status: 'open' | 'accepted' | 'rejected';
  filed_at: Date;
  decided_at: Date | null;
  decision_note: string | null;
  decision_key: string | null;
  contact_received_at: Date;
  contact_channel: string;
  order_external_id: string | null;
};

const contestSelect = sql`
  select f.id, f.contact_id, f.seller_id, s.external_id as seller_external_id, f.marketplace_id, f.reason, f.comment, f.status,
    f.filed_at, f.decided_at, f.decision_note, f.decision_key, c.received_at as contact_received_at, c.channel as contact_channel,
    o.external_id as order_external_id
  from fee_contest f join seller s on s.id = f.seller_id join contact c on c.id = f.contact_id left join "order" o on o.id = c.order_id`;

export async function contestById(db: Db, id: string, lock = false): Promise<ContestRow | undefined> {
  const r =
    await sql<ContestRow>`${contestSelect} where f.id = ${id}::uuid ${lock ? sql`for update of f` : sql``}`.execute(
      db,
    );
  return r.rows[0];
}

export async function contestsOf(db: Db, filter: { sellerId?: string; status?: string }) {
  const r = await sql<ContestRow>`${contestSelect} where true
    ${filter.sellerId ? sql`and f.seller_id = ${filter.sellerId}::uuid` : sql``}
    ${filter.status ? sql`and f.status = ${filter.status}` : sql``}
    order by f.filed_at desc limit 500`.execute(db);
  return r.rows;
}

export type Credit = {
  month: string;
  credit: bigint;
  bandBefore: string;
  bandAfter: string;
  percentOffBefore: number;
  percentOffAfter: number;
};

/**
 * Staff decide once; the same decision sent again with the same key answers as the first time, another
 * one is a conflict. Accepting revises the bands of the three months whose window held the contact.
 */
export async function decideContest(
  tx: Db,
  d: { contestId: string; accept: boolean; note: string; userId: string; key: string; now: Date },
): Promise<{ contest: ContestRow; credits: Credit[] }> {
  const contest = await contestById(tx, d.contestId, true);
  if (!contest) throw notFound('Contest');
  if (contest.status !== 'open') {
    if (contest.decision_key === d.key && (contest.status === 'accepted') === d.accept)
      return { contest, credits: await creditsOf(tx, d.contestId) };
    throw new AppError('conflict', `This contest was already ${contest.status}`);
  }
  await sql`update fee_contest set status = ${d.accept ? 'accepted' : 'rejected'}, decided_by = ${d.userId}::uuid,
    decided_at = ${d.now}, decision_note = ${d.note}, decision_key = ${d.key} where id = ${d.contestId}::uuid`.execute(
    tx,
  );
  const credits: Credit[] = [];
  if (d.accept) {
    const m = (await marketplaceFacts(tx, contest.marketplace_id))!;
    const contactMonth = monthOf(contest.contact_received_at, m.timeZone);
    for (const month of [1, 2, 3].map((k) => addMonths(contactMonth, k))) {
      const band = (await bandsOf(tx, m.id, month, contest.seller_id)).get(contest.seller_id);
      if (!band) continue; // not fixed yet: the band fixed on that 1st will not count the contact
      const before = band.decision;
      const { schedule, discount } = await policiesOfMonth(tx, m, month);
      if (!schedule) continue;
      const window = { ...before.window, contacts: Math.max(0, before.window.contacts - 1) };
      const after = decideFee(month, schedule, discount, window);
      await reviseBand(tx, contest.seller_id, m.id, month, after, d.now);
      // Locked: a revision after late data of the same charge waits, so the credit is not given twice.
      const charge = (await lockedChargesOf(tx, m.id, month, [contest.seller_id])).get(contest.seller_id);
      if (!charge) continue;
      // The units the charge stands on now (a revision after late data may have changed them).
      const owed = feeAmount(charge.units_now, after.band.rate, after.discount.percentOff);
      const credit = charge.amount - charge.credited - owed;
      if (credit <= 0n) continue;
      const batch = await postBatch(tx, {
        idempotencyKey: `fee_adjustment:${d.contestId}:${month}`,
        decision: { kind: 'fee_contest', id: d.contestId },
        description: `Fee for ${month} revised after an accepted contest: band ${before.band.band} → ${after.band.band}`,
        postings: [
          {
            account: {
              kind: 'seller',
              sellerId: contest.seller_id,
              marketplaceId: m.id,
              currency: charge.currency,
            },
            amount: credit,
          },
          {
            account: { kind: 'marketplace_fees', marketplaceId: m.id, currency: charge.currency },
            amount: -credit,
          },
        ],
        at: d.now,
      });
      const c: Credit = {
        month,
        credit,
        bandBefore: before.band.band,
        bandAfter: after.band.band,
        percentOffBefore: before.discount.percentOff,
        percentOffAfter: after.discount.percentOff,
      };
      await sql`insert into fee_adjustment (contest_id, seller_id, marketplace_id, month, currency, credit, explanation, ledger_batch_id, created_at)
        values (${d.contestId}::uuid, ${contest.seller_id}::uuid, ${m.id}, ${month}, ${charge.currency}, ${credit},
          ${JSON.stringify({ ...c, credit: minorUnits(credit), owedNow: minorUnits(owed), chargeId: charge.id })}::jsonb, ${batch.batchId}::uuid, ${d.now})`.execute(
        tx,
      );
      credits.push(c);
    }
  }
  const total = credits.reduce((s, c) => s + c.credit, 0n);
  await scheduleTimer(tx, 'notify_seller', `fee_contest:${d.contestId}`, d.now, {
    sellerId: contest.seller_id,
    category: 'fees',
    template: 'fee_contest_decided',
    data: {
      accepted: d.accept,
      orderRef: contest.order_external_id ?? '',
      credit: minorUnits(total),
      currency: credits.length ? (await marketplaceFacts(tx, contest.marketplace_id))!.currency : '',
    },
  });
  return { contest: (await contestById(tx, d.contestId))!, credits };
}

async function creditsOf(db: Db, contestId: string): Promise<Credit[]> {
  const r = await sql<{
    month: string;
    credit: bigint;
    explanation: { bandBefore: string; bandAfter: string; percentOffBefore: number; percentOffAfter: number };
  }>`
    select month, credit, explanation from fee_adjustment where contest_id = ${contestId}::uuid order by month`.execute(
    db,
  );
  return r.rows.map((a) => ({
    month: a.month,
    credit: BigInt(a.credit),
    bandBefore: a.explanation.bandBefore,
    bandAfter: a.explanation.bandAfter,
    percentOffBefore: a.explanation.percentOffBefore,
    percentOffAfter: a.explanation.percentOffAfter,
  }));
}
