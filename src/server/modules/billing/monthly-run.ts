// The monthly charge (F1): for a marketplace-month, each seller's band fixed on the 1st (fixed now if it
// was not), the units charged, the tracking discount and the fee — posted to the ledger once per
// seller and month. Sellers are written in chunks, each its own transaction when the caller gives a
// pool: a run killed half-way leaves whole chunks charged, and the next run charges only the rest.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { minorUnits } from '../../platform/money';
import { scheduleTimer, scheduleTimers } from '../../platform/timers';
import { type BatchInput, postBatches } from '../ledger';
import {
  allMarketplaces,
  bandsOf,
  chargedSellers,
  figuresOf,
  fixBands,
  insertCharges,
  type MarketplaceFacts,
  marketplaceFacts,
  policiesOfMonth,
  recordRun,
  runHistory,
  type SellerFigures,
} from './billing.repository';
import {
  addMonths,
  decideFee,
  type FeeDecision,
  type FeeSchedule,
  feeAmount,
  type Month,
  type MonthFigures,
  monthOf,
  monthStart,
  monthsBetween,
  type TrackingDiscountPolicy,
} from './fee-rules';
import { reviseFeeMonth } from './revisions';

export type SellerFee = {
  sellerId: string;
  month: Month;
  currency: string;
  decision: FeeDecision;
  /** Whether the band was fixed before this run (on the 1st, or by an earlier run). */
  bandFixed: boolean;
  units: MonthFigures;
  rate: bigint;
  percentOff: number;
  amount: bigint;
  status: 'charged' | 'already_charged' | 'would_charge' | 'nothing_to_charge';
};

/** A charge's explanation, as the seller reads it and the ledger line points to. */
export function explanationOf(
  f: Pick<SellerFee, 'month' | 'currency' | 'decision' | 'units' | 'rate' | 'percentOff' | 'amount'>,
) {
  const d = f.decision;
  return {
    month: f.month,
    currency: f.currency,
    window: d.window,
    contactsPerUnitBp: d.band.cpuBp,
    band: d.band.band,
    bandReason: d.band.reason,
    rate: minorUnits(f.rate),
    validTrackingRateBp: d.tracking.rateBp,
    trackingTargetMet: d.tracking.targetMet,
    discountPercent: f.percentOff,
    discountReason: d.discount.reason,
    units: f.units,
    amount: minorUnits(f.amount),
    scheduleVersion: d.schedule.version,
    scheduleEffectiveFrom: d.schedule.effectiveFrom.toISOString(),
    discountVersion: d.discountPolicy.version,
  };
}

/** Pure: the fee of a month from its band decision and its units. */
export function feeOf(month: Month, currency: string, decision: FeeDecision, units: MonthFigures) {
  const rate = decision.band.rate;
  const percentOff = decision.discount.percentOff;
  return {
    month,
    currency,
    decision,
    units,
    rate,
    percentOff,
    amount: feeAmount(units.chargedUnits, rate, percentOff),
  };
}

type Policies = { schedule: FeeSchedule; discount: TrackingDiscountPolicy };

async function policiesFor(
  db: Db,
  m: MarketplaceFacts,
  month: Month,
  draft?: Partial<Policies>,
): Promise<Policies> {
  const stored = await policiesOfMonth(db, m, month);
  const schedule = draft?.schedule ?? stored.schedule;
  if (!schedule)
    throw new AppError('not_found', `No fee schedule for ${m.id} (${m.currency}): an admin must set one`);
  return { schedule, discount: draft?.discount ?? stored.discount };
}

export type RunOptions = {
  marketplaceId: string;
  month: Month;
  now: Date;
  dryRun?: boolean;
  chunkSize?: number;
  /** Draft policies instead of those in force, for a simulation (always a dry run). */
  draft?: Partial<Policies>;
  /** Called after each chunk is written (and committed, when the run has its own transactions). */
  afterChunk?: (written: number) => Promise<void> | void;
};

export type RunResult = {
  marketplaceId: string;
  month: Month;
  currency: string;
  scheduleVersion: string;
  discountVersion: string;
  sellers: SellerFee[];
  charged: number;
  alreadyCharged: number;
  total: bigint;
};

/**
 * Charges a marketplace-month (or, dry, says what it would charge). Refuses a month not over yet in the
 * marketplace's zone. With a pool (`db` not a transaction) each chunk commits on its own.
 */
export async function runFeeMonth(db: Db, o: RunOptions): Promise<RunResult> {
  const m = await marketplaceFacts(db, o.marketplaceId);
  if (!m) throw new AppError('not_found', `Marketplace ${o.marketplaceId} not found`);
  if (monthStart(addMonths(o.month, 1), m.timeZone) > o.now)
    throw new AppError('validation_failed', `${o.month} is not over yet in ${m.id} (${m.timeZone})`);
  const dry = o.dryRun === true || o.draft !== undefined;
  const policies = await policiesFor(db, m, o.month, o.draft);
  const figures = await figuresOf(db, m, o.month);
  const decide = (f: SellerFigures) => decideFee(o.month, policies.schedule, policies.discount, f.window);
  const result: RunResult = {
    marketplaceId: m.id,
    month: o.month,
    currency: m.currency,
    scheduleVersion: policies.schedule.version,
    discountVersion: policies.discount.version,
    sellers: [],
    charged: 0,
    alreadyCharged: 0,
    total: 0n,
  };
  if (dry) {
    // A simulation judges every seller with the draft; a dry run uses the bands already fixed.
    const fixed = o.draft ? new Map<string, FeeDecision>() : await fixedBandsOf(db, m.id, o.month);
    const charged = o.draft ? new Set<string>() : await chargedSellers(db, m.id, o.month);
    for (const f of figures) {
      const decision = fixed.get(f.sellerId) ?? decide(f);
      const fee = feeOf(o.month, m.currency, decision, f.month);
      const status = charged.has(f.sellerId)
        ? 'already_charged'
        : fee.amount > 0n
          ? 'would_charge'
          : 'nothing_to_charge';
      result.sellers.push({ sellerId: f.sellerId, ...fee, bandFixed: fixed.has(f.sellerId), status });
      if (status === 'would_charge') result.total += fee.amount;
    }
    return result;
  }
  const size = o.chunkSize ?? 10_000;
  for (let i = 0; i < figures.length; i += size) {
    const chunk = figures.slice(i, i + size);
    const write = (tx: Db) => chargeChunk(tx, m, o.month, chunk, decide, o.now);
    const fees = db.isTransaction ? await write(db) : await db.transaction().execute(write);
    for (const fee of fees) {
      result.sellers.push(fee);
      if (fee.status === 'charged') {
        result.charged++;
        result.total += fee.amount;
      } else if (fee.status === 'already_charged') result.alreadyCharged++;
    }
    await o.afterChunk?.(Math.min(figures.length, i + size));
  }
  await recordRun(db, m.id, o.month, figures.length, result.total, o.now);
  return result;
}

async function fixedBandsOf(db: Db, marketplaceId: string, month: Month) {
  return new Map([...(await bandsOf(db, marketplaceId, month))].map(([k, v]) => [k, v.decision]));
}

async function chargeChunk(
  tx: Db,
  m: MarketplaceFacts,
  month: Month,
  chunk: SellerFigures[],
  decide: (f: SellerFigures) => FeeDecision,
  now: Date,
): Promise<SellerFee[]> {
  const bands = await fixBands(
    tx,
    m.id,
    month,
    chunk.map((f) => ({ sellerId: f.sellerId, decision: decide(f) })),
    now,
  );
  const fees = chunk.map((f) => {
    const decision = bands.get(f.sellerId)!;
    return { id: randomUUID(), sellerId: f.sellerId, ...feeOf(month, m.currency, decision, f.month) };
  });
  const inserted = await insertCharges(
    tx,
    m.id,
    month,
    fees.map((f) => ({
      id: f.id,
      sellerId: f.sellerId,
      currency: f.currency,
      chargedUnits: f.units.chargedUnits,
      rate: f.rate,
      percentOff: f.percentOff,
      amount: f.amount,
      explanation: explanationOf(f),
    })),
    now,
  );
  const batches: BatchInput[] = fees
    .filter((f) => inserted.has(f.id) && f.amount > 0n)
    .map((f) => ({
      idempotencyKey: `fee_charge:${f.sellerId}:${m.id}:${month}`,
      decision: { kind: 'fee_charge', id: f.id },
      description: `Managed-service fee for ${month}: ${f.units.chargedUnits} units, band ${f.decision.band.band}${f.percentOff ? `, ${f.percentOff} % off for valid tracking` : ''}`,
      postings: [
        {
          account: { kind: 'seller', sellerId: f.sellerId, marketplaceId: m.id, currency: m.currency },
          amount: -f.amount,
        },
        {
          account: { kind: 'marketplace_fees', marketplaceId: m.id, currency: m.currency },
          amount: f.amount,
        },
      ],
      at: now,
    }));
  await postBatches(tx, batches);
  await scheduleTimers(
    tx,
    fees
      .filter((f) => inserted.has(f.id) && f.amount > 0n)
      .map((f) => ({
        kind: 'notify_seller',
        ref: `fee_charge:${f.id}`,
        dueAt: now,
        payload: {
          sellerId: f.sellerId,
          category: 'fees',
          template: 'fee_charged',
          data: {
            month,
            marketplace: m.id,
            amount: minorUnits(f.amount),
            currency: m.currency,
            units: f.units.chargedUnits,
            band: f.decision.band.band,
            discountPercent: f.percentOff,
          },
        },
      })),
  );
  return fees.map(({ id, ...f }) => ({
    ...f,
    bandFixed: true,
    status: inserted.has(id) ? (f.amount > 0n ? 'charged' : 'nothing_to_charge') : 'already_charged',
  }));
}

export const CATCH_UP_MONTHS = 3;

/**
 * Every month due in every marketplace, oldest first: each month from the first anyone enrolled (at most
 * CATCH_UP_MONTHS back) to the
 * month before `now` in the marketplace's zone that no run finished — so a month missed while the
 * service was down is caught up, and one already run (by hand or by the timer) is not run again; those
 * already run are revised for the data that arrived late. Then the current month's bands are fixed (its 1st has passed).
 */
export async function runDueFeeMonths(db: Db, now: Date) {
  const done: { marketplaceId: string; month: Month; charged: number }[] = [];
  const revised: { marketplaceId: string; month: Month; revised: number }[] = [];
  for (const m of await allMarketplaces(db)) {
    const current = monthOf(now, m.timeZone);
    const history = await runHistory(db, m.id);
    if (!history.firstEnrolled) continue;
    const policy = await policiesOfMonth(db, m, current);
    if (!policy.schedule) continue; // no schedule for this currency: nothing to charge until an admin sets one
    // Caught up at most CATCH_UP_MONTHS back: history imported into a new installation is not charged
    // retroactively (an operator can still run an older month by hand).
    const enrolled = monthOf(history.firstEnrolled, m.timeZone);
    const earliest = addMonths(current, -CATCH_UP_MONTHS);
    const first = [enrolled, earliest].sort()[1]!;
    const due = first < current ? monthsBetween(first, addMonths(current, -1)) : [];
    // Late data first: the months already charged in that span are judged again on today's figures.
    for (const month of due.filter((x) => history.finished.has(x))) {
      const r = await reviseFeeMonth(db, { marketplaceId: m.id, month, now });
      revised.push({ marketplaceId: m.id, month, revised: r.revised.length });
    }
    for (const month of due.filter((x) => !history.finished.has(x))) {
      const r = await runFeeMonth(db, { marketplaceId: m.id, month, now });
      done.push({ marketplaceId: m.id, month, charged: r.charged });
    }
    await fixCurrentBands(db, m, current, now);
  }
  return { charged: done, revised };
}

/** Fixes the bands of `month` (its 1st has passed) for every seller with figures. */
async function fixCurrentBands(db: Db, m: MarketplaceFacts, month: Month, now: Date) {
  const { schedule, discount } = await policiesOfMonth(db, m, month);
  if (!schedule) return;
  const figures = await figuresOf(db, m, month, { until: monthStart(month, m.timeZone) });
  await fixBands(
    db,
    m.id,
    month,
    figures.map((f) => ({ sellerId: f.sellerId, decision: decideFee(month, schedule, discount, f.window) })),
    now,
  );
}

/** When the run is next due: the next 1st, at local midnight, in the earliest of the marketplaces' zones. */
export async function nextRunAt(db: Db, now: Date): Promise<Date> {
  const starts = (await allMarketplaces(db)).map((m) =>
    monthStart(addMonths(monthOf(now, m.timeZone), 1), m.timeZone),
  );
  return starts.length
    ? new Date(Math.min(...starts.map((d) => d.getTime())))
    : new Date(now.getTime() + 86_400_000);
}

export const billingTimerHandlers = {
  /** The durable monthly timer: catches up every month due, then arms itself for the next 1st. */
  fee_runs: async (tx: Db, _payload: Record<string, unknown>, now: Date) => {
    await runDueFeeMonths(tx, now);
    await scheduleTimer(tx, 'fee_runs', 'monthly', await nextRunAt(tx, now));
  },
};
