// D6: the seller refunds a received return within the marketplace's business days (2 unless its
// return policy says otherwise, on its calendar); a
// reminder comes a day before; at the deadline the marketplace refunds the buyer and charges the
// seller. Durable timers; a received return is found by a periodic scan, or by the seller's own
// confirmation of receipt. The deadline is only for receipts the service saw arrive while it covered
// the order: history imported from the platform, or a return it says is refunded, moves no money.
import { sql } from 'kysely';
import { type BusinessCalendar, businessDeadline } from '../../platform/business-calendar';
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { cancelTimer, scheduleTimer, type TimerHandlers } from '../../platform/timers';
import { loadCalendar } from '../marketplace';
import { sellerStatusAt } from '../programs';
import { returnPolicyOf } from '../returns';
import { chargeSeller } from './concessions';

const SCAN_EVERY_MS = 5 * 60_000;

type ReturnRow = {
  id: string;
  order_id: string;
  seller_id: string;
  marketplace_id: string;
  received_at: Date;
  /** When the return record reached the service. */
  created_at: Date;
  refunded_at: Date | null;
};

export type DeadlineWaiver = 'refunded_on_platform' | 'received_before_known' | 'seller_not_enrolled';
const waiverMessages: Record<DeadlineWaiver, string> = {
  refunded_on_platform: 'the commerce platform says this return is refunded',
  received_before_known: 'the return was received before it reached this service',
  seller_not_enrolled: 'the seller was not in the managed service when the return was received',
};

/**
 * The receipt itself: the deadline is for a receipt the service saw arrive (after the return record
 * reached it), never for one already past when imported, nor for a return the platform refunded.
 */
export function receiptWaiver(r: { receivedAt: Date; knownSince: Date; refundedAt: Date | null }) {
  if (r.refundedAt) return 'refunded_on_platform' as const;
  if (r.receivedAt.getTime() < r.knownSince.getTime()) return 'received_before_known' as const;
  return null;
}

/** The coverage: the service answers for the seller only while it is enrolled (trial or paid). */
export function coverageWaiver(statusAtReceipt: string) {
  return statusAtReceipt === 'trial' || statusAtReceipt === 'active'
    ? null
    : ('seller_not_enrolled' as const);
}

/** Why the deadline does not apply to this receipt, or null if it does. Enrolment is read only when the receipt qualifies. */
async function waiverOf(db: Db, r: ReturnRow): Promise<DeadlineWaiver | null> {
  return (
    receiptWaiver({ receivedAt: r.received_at, knownSince: r.created_at, refundedAt: r.refunded_at }) ??
    coverageWaiver(await sellerStatusAt(db, r.seller_id, r.marketplace_id, r.received_at))
  );
}

/**
 * The marketplace's calendar, read once per `calendars` map: a scan of a thousand received returns
 * reads each marketplace's holidays once, not once per return.
 */
async function calendarOf(db: Db, marketplaceId: string, calendars: Map<string, BusinessCalendar>) {
  const known = calendars.get(marketplaceId);
  if (known) return known;
  const calendar = await loadCalendar(db, marketplaceId);
  if (!calendar) throw notFound('Marketplace');
  calendars.set(marketplaceId, calendar);
  return calendar;
}

async function openDeadline(
  db: Db,
  r: ReturnRow,
  now: Date,
  calendars = new Map<string, BusinessCalendar>(),
) {
  const calendar = await calendarOf(db, r.marketplace_id, calendars);
  const { sellerRefundBusinessDays } = await returnPolicyOf(db, r.marketplace_id, r.received_at);
  const dueAt = businessDeadline(calendar, r.received_at, sellerRefundBusinessDays);
  const inserted =
    await sql`insert into refund_deadline (return_id, order_id, seller_id, marketplace_id, received_at, due_at, status)
    values (${r.id}::uuid, ${r.order_id}::uuid, ${r.seller_id}::uuid, ${r.marketplace_id}, ${r.received_at}, ${dueAt}, 'open')
    on conflict (return_id) do nothing`.execute(db);
  if ((inserted.numAffectedRows ?? 0n) === 0n) return null;
  await scheduleTimer(db, 'seller_refund_due', r.id, dueAt, { returnId: r.id });
  const reminderAt = new Date(Math.max(now.getTime(), dueAt.getTime() - 24 * 3_600_000));
  await scheduleTimer(db, 'notify_seller', `refund_reminder:${r.id}`, reminderAt, {
    sellerId: r.seller_id,
    category: 'returns_and_claims',
    template: 'refund_deadline_reminder',
    data: { returnId: r.id, dueAt: dueAt.toISOString() },
  });
  return dueAt;
}

/**
 * Returns received — by the integration's receipt time or the return carrier's delivery scan — that
 * have no deadline yet. A delivery scan also becomes the return's receipt time.
 */
async function scanReceived(db: Db, now: Date) {
  const r =
    await sql<ReturnRow>`select t.id, t.order_id, t.seller_id, o.marketplace_id, t.created_at, t.refunded_at,
      coalesce(t.received_at, (select min(e.occurred_at) from return_event e where e.return_id = t.id and e.code = 'delivered')) as received_at
    from "return" t join "order" o on o.id = t.order_id
    where t.authorisation = 'authorised' and not exists (select 1 from refund_deadline d where d.return_id = t.id)
      and not exists (select 1 from refund_deadline_waived w where w.return_id = t.id)
      and (t.received_at is not null or exists (select 1 from return_event e where e.return_id = t.id and e.code = 'delivered'))
    limit 1000`.execute(db);
  const calendars = new Map<string, BusinessCalendar>();
  const waived: { return_id: string; reason: DeadlineWaiver; received_at: Date }[] = [];
  for (const row of r.rows) {
    await sql`update "return" set received_at = ${row.received_at}, updated_at = ${now} where id = ${row.id}::uuid and received_at is null`.execute(
      db,
    );
    const waiver = await waiverOf(db, row);
    if (waiver) waived.push({ return_id: row.id, reason: waiver, received_at: row.received_at });
    else await openDeadline(db, row, now, calendars);
  }
  // Each receipt is judged once: a waived one is not read again by the next scan.
  if (waived.length > 0) {
    await sql`insert into refund_deadline_waived (return_id, reason, received_at, decided_at)
      select return_id, reason, received_at, ${now} from json_to_recordset(${JSON.stringify(waived)}::json)
        as w(return_id uuid, reason text, received_at timestamptz)
      on conflict (return_id) do nothing`.execute(db);
  }
  return r.rows.length;
}

/** The seller confirms the return reached its warehouse (if no carrier event said so already). */
export async function confirmReceipt(db: Db, returnRef: string, sellerId: string, at: Date) {
  const r = (
    await sql<ReturnRow>`select t.id, t.order_id, t.seller_id, o.marketplace_id, t.created_at, t.refunded_at,
      coalesce(t.received_at, ${at}) as received_at
    from "return" t join "order" o on o.id = t.order_id where t.external_id = ${returnRef} and t.seller_id = ${sellerId}::uuid`.execute(
      db,
    )
  ).rows[0];
  if (!r) throw notFound('Return');
  const existing = await deadlineOf(db, r.id);
  if (existing) return existing.due_at;
  const waiver = await waiverOf(db, r);
  if (waiver) {
    throw new AppError('not_eligible', `No refund deadline applies: ${waiverMessages[waiver]}`, [
      { path: '', code: waiver, message: waiverMessages[waiver] },
    ]);
  }
  await sql`update "return" set received_at = coalesce(received_at, ${at}), updated_at = ${at} where id = ${r.id}::uuid`.execute(
    db,
  );
  return (await openDeadline(db, r, at)) ?? (await deadlineOf(db, r.id))!.due_at;
}

/** The seller refunded the buyer itself, in time: nothing is charged. */
export async function sellerRefunded(db: Db, returnRef: string, sellerId: string, at: Date) {
  const d = (
    await sql<{
      return_id: string;
      status: string;
    }>`select d.return_id, d.status from refund_deadline d join "return" t on t.id = d.return_id
    where t.external_id = ${returnRef} and d.seller_id = ${sellerId}::uuid for update of d`.execute(db)
  ).rows[0];
  if (!d) throw notFound('Return awaiting a refund');
  if (d.status !== 'open')
    throw new AppError('conflict', `This return was already ${d.status.replaceAll('_', ' ')}`);
  await sql`update refund_deadline set status = 'refunded_by_seller', resolved_at = ${at} where return_id = ${d.return_id}::uuid`.execute(
    db,
  );
  await cancelTimer(db, 'seller_refund_due', d.return_id);
  await cancelTimer(db, 'notify_seller', `refund_reminder:${d.return_id}`);
}

export async function deadlineOf(db: Db, returnId: string) {
  return (
    await sql<{
      due_at: Date;
      status: string;
      concession_id: string | null;
    }>`select due_at, status, concession_id from refund_deadline
    where return_id = ${returnId}::uuid`.execute(db)
  ).rows[0];
}

export const refundDeadlineTimerHandlers: TimerHandlers = {
  async scan_received_returns(tx, _payload, now) {
    await scanReceived(tx, now);
    await scheduleTimer(tx, 'scan_received_returns', 'all', new Date(now.getTime() + SCAN_EVERY_MS));
  },

  /** At the deadline an unrefunded return is refunded by the marketplace and charged to the seller. */
  async seller_refund_due(tx, payload, now) {
    const returnId = String(payload.returnId);
    const d = (
      await sql<{
        status: string;
        order_id: string;
        seller_id: string;
        marketplace_id: string;
        received_at: Date;
        due_at: Date;
        return_ref: string;
        refunded_at: Date | null;
      }>`
      select d.status, d.order_id, d.seller_id, d.marketplace_id, d.received_at, d.due_at, t.external_id as return_ref,
        t.refunded_at
      from refund_deadline d join "return" t on t.id = d.return_id where d.return_id = ${returnId}::uuid for update of d`.execute(
        tx,
      )
    ).rows[0];
    if (d?.status !== 'open') return;
    // The platform says the buyer was refunded (the seller refunded through it): nothing to refund or charge.
    if (d.refunded_at) {
      await sql`update refund_deadline set status = 'refunded_by_seller', resolved_at = ${d.refunded_at}
        where return_id = ${returnId}::uuid`.execute(tx);
      return;
    }
    await sql`select pg_advisory_xact_lock(hashtext(${`order:${d.order_id}`}))`.execute(tx);
    // Each returned line's value, less what was already refunded on it: the lines and the total at once.
    const lines = (
      await sql<{ line_no: number; amount: bigint; currency: string; reason: string }>`
      select rl.line_no, o.currency, t.reason,
        greatest(0, rl.units * ol.unit_price - coalesce((select sum(cl.amount) from concession_line cl
          join concession c on c.id = cl.concession_id where cl.order_id = o.id and cl.line_no = rl.line_no and c.status = 'issued'), 0))::bigint as amount
      from "return" t join "order" o on o.id = t.order_id join return_line rl on rl.return_id = t.id
      join order_line ol on ol.order_id = o.id and ol.line_no = rl.line_no
      where t.id = ${returnId}::uuid`.execute(tx)
    ).rows.filter((l) => BigInt(l.amount) > 0n);
    const amount = lines.reduce((sum, l) => sum + BigInt(l.amount), 0n);
    let concessionId: string | null = null;
    if (amount > 0n) {
      const { currency, reason } = lines[0]!;
      // The deadline was set by the policy in force at receipt; its explanation quotes the same one.
      const days = (await returnPolicyOf(tx, d.marketplace_id, d.received_at)).sellerRefundBusinessDays;
      const explanation = {
        rule: 'seller_refund_deadline_passed',
        explanation: `The seller did not refund within ${days} business days of receipt (D6).`,
        facts: {
          returnId: d.return_ref,
          receivedAt: d.received_at.toISOString(),
          refundBusinessDays: days,
          refundDueAt: d.due_at.toISOString(),
        },
      };
      const c = (
        await sql<{
          id: string;
        }>`insert into concession (idempotency_scope, idempotency_key, order_id, seller_id, marketplace_id, currency, action, reason,
          amount_items, amount_shipping, status, explanation, decided_at)
        values ('system', ${`deadline:${returnId}`}, ${d.order_id}::uuid, ${d.seller_id}::uuid, ${d.marketplace_id}, ${currency}, 'refund_after_return',
          ${reason}, ${amount.toString()}::bigint, 0, 'issued', ${JSON.stringify(explanation)}::jsonb, ${now})
        on conflict (idempotency_scope, idempotency_key) do nothing returning id`.execute(tx)
      ).rows[0];
      if (c) {
        concessionId = c.id;
        const rows = lines.map((l) => ({ line_no: l.line_no, amount: BigInt(l.amount).toString() }));
        await sql`insert into concession_line (concession_id, order_id, line_no, amount)
          select ${c.id}::uuid, ${d.order_id}::uuid, line_no, amount
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(line_no smallint, amount bigint)`.execute(
          tx,
        );
        await chargeSeller(
          tx,
          c.id,
          d.seller_id,
          d.marketplace_id,
          currency,
          amount,
          'seller_refund_deadline_passed',
          now,
        );
      }
    }
    await sql`update refund_deadline set status = 'refunded_by_marketplace', resolved_at = ${now}, concession_id = ${concessionId}
      where return_id = ${returnId}::uuid`.execute(tx);
  },
};
