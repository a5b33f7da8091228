// Late data (issue 18): a shipment, carrier scan or contest that arrives after a month was charged
// changes that month's figures. Judged again on the figures as they stand now, every charged seller
// whose figures moved gets its band revised and the difference credited or charged through the ledger
// once — the path accepted contests take, for any late fact. Sellers are written in chunks, each its
// own transaction (with the charges locked) when the caller gives a pool, so a revision killed half-way
// is finished by the next one, and one run again moves nothing.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { minorUnits } from '../../platform/money';
import { type BatchInput, postBatches } from '../ledger';
import {
  bandsOf,
  figuresOf,
  insertRevisions,
  lockedChargesOf,
  marketplaceFacts,
  nextRevisions,
  policiesOfMonth,
  reviseBands,
  reviseChargedUnits,
  type SellerFigures,
} from './billing.repository';
import { addMonths, decideFee, type FeeDecision, type Month, monthStart, reviseCharge } from './fee-rules';

export type Revised = {
  sellerId: string;
  changed: string[];
  bandBefore: string;
  bandAfter: string;
  owed: bigint;
  difference: bigint;
};

export type RevisionResult = {
  marketplaceId: string;
  month: Month;
  currency: string;
  revised: Revised[];
  /** Sum of the differences: positive, charged more; negative, credited. */
  total: bigint;
};

export async function reviseFeeMonth(
  db: Db,
  o: { marketplaceId: string; month: Month; now: Date; chunkSize?: number; afterChunk?: () => unknown },
): Promise<RevisionResult> {
  const m = await marketplaceFacts(db, o.marketplaceId);
  if (!m) throw new AppError('not_found', `Marketplace ${o.marketplaceId} not found`);
  if (monthStart(addMonths(o.month, 1), m.timeZone) > o.now)
    throw new AppError('validation_failed', `${o.month} is not over yet in ${m.id} (${m.timeZone})`);
  const result: RevisionResult = {
    marketplaceId: m.id,
    month: o.month,
    currency: m.currency,
    revised: [],
    total: 0n,
  };
  // The policies of a month cannot change once it has begun (an effective date is never in the past).
  const { schedule, discount } = await policiesOfMonth(db, m, o.month);
  if (!schedule) return result;
  const figures = await figuresOf(db, m, o.month);
  const size = o.chunkSize ?? 2000;
  for (let i = 0; i < figures.length; i += size) {
    const chunk = figures.slice(i, i + size);
    const write = async (tx: Db) => {
      const charges = await lockedChargesOf(
        tx,
        m.id,
        o.month,
        chunk.map((f) => f.sellerId),
      );
      const bands = await bandsOf(tx, m.id, o.month);
      const revised: (Revised & {
        after: FeeDecision;
        before: FeeDecision;
        chargeId: string;
        chargedUnitsBefore: number;
        netBefore: bigint;
        f: SellerFigures;
      })[] = [];
      for (const f of chunk) {
        const charge = charges.get(f.sellerId);
        const band = bands.get(f.sellerId);
        // Not charged (the run has not reached it): the run charges it on today's figures.
        if (!charge || !band) continue;
        const after = decideFee(o.month, schedule, discount, f.window);
        const r = reviseCharge(
          {
            decision: band.decision,
            chargedUnits: charge.units_now,
            net: charge.amount - charge.credited,
          },
          { decision: after, chargedUnits: f.month.chargedUnits },
        );
        if (!r.revise) continue;
        revised.push({
          sellerId: f.sellerId,
          changed: r.changed,
          bandBefore: band.decision.band.band,
          bandAfter: after.band.band,
          owed: r.owed,
          difference: r.difference,
          after,
          before: band.decision,
          chargeId: charge.id,
          chargedUnitsBefore: charge.units_now,
          netBefore: charge.amount - charge.credited,
          f,
        });
      }
      await reviseBands(
        tx,
        m.id,
        o.month,
        revised.map((r) => ({ sellerId: r.sellerId, decision: r.after })),
        o.now,
      );
      await reviseChargedUnits(
        tx,
        revised.map((r) => ({ chargeId: r.chargeId, units: r.f.month.chargedUnits })),
        o.now,
      );
      const moving = revised.filter((r) => r.difference !== 0n);
      const numbers = await nextRevisions(
        tx,
        m.id,
        o.month,
        moving.map((r) => r.sellerId),
      );
      const rows = moving.map((r) => ({ ...r, id: randomUUID(), revision: numbers.get(r.sellerId) ?? 1 }));
      const batches: BatchInput[] = rows.map((r) => ({
        idempotencyKey: `fee_revision:${r.sellerId}:${m.id}:${o.month}:${r.revision}`,
        decision: { kind: 'fee_revision', id: r.id },
        description: `Fee for ${o.month} revised after late data (${r.changed.join(', ')}): band ${r.bandBefore} → ${r.bandAfter}, ${r.difference > 0n ? 'charged' : 'credited'} ${minorUnits(r.difference < 0n ? -r.difference : r.difference)}`,
        postings: [
          {
            account: { kind: 'seller', sellerId: r.sellerId, marketplaceId: m.id, currency: m.currency },
            amount: -r.difference,
          },
          {
            account: { kind: 'marketplace_fees', marketplaceId: m.id, currency: m.currency },
            amount: r.difference,
          },
        ],
        at: o.now,
      }));
      const posted = await postBatches(tx, batches);
      await insertRevisions(
        tx,
        m.id,
        o.month,
        m.currency,
        rows.map((r, k) => {
          const batchId = posted.get(batches[k]!.idempotencyKey);
          // The numbers are taken under the charges' lock: a key already used is a bug, not a retry.
          if (!batchId) throw new Error(`ledger key ${batches[k]!.idempotencyKey} already used`);
          return {
            id: r.id,
            sellerId: r.sellerId,
            revision: r.revision,
            // Stored as a credit, as a contest's: a further charge is a negative credit.
            credit: -r.difference,
            ledgerBatchId: batchId,
            explanation: {
              kind: 'late_data',
              chargeId: r.chargeId,
              changed: r.changed,
              before: {
                ...summary(r.before),
                chargedUnits: r.chargedUnitsBefore,
                net: minorUnits(r.netBefore),
              },
              after: { ...summary(r.after), chargedUnits: r.f.month.chargedUnits },
              owedNow: minorUnits(r.owed),
              difference: minorUnits(r.difference),
            },
          };
        }),
        o.now,
      );
      return revised;
    };
    const revised = db.isTransaction ? await write(db) : await db.transaction().execute(write);
    for (const r of revised) {
      result.revised.push({
        sellerId: r.sellerId,
        changed: r.changed,
        bandBefore: r.bandBefore,
        bandAfter: r.bandAfter,
        owed: r.owed,
        difference: r.difference,
      });
      result.total += r.difference;
    }
    await o.afterChunk?.();
  }
  return result;
}

const summary = (d: FeeDecision) => ({
  window: d.window,
  contactsPerUnitBp: d.band.cpuBp,
  band: d.band.band,
  rate: minorUnits(d.band.rate),
  validTrackingRateBp: d.tracking.rateBp,
  trackingTargetMet: d.tracking.targetMet,
  discountPercent: d.discount.percentOff,
  discountReason: d.discount.reason,
});
