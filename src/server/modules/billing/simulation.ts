// Policy simulation (issue 18 item 10): what a draft fee schedule (and tracking discount) would have
// charged in a past month, per seller and in total, against what was charged — a dry run that writes
// nothing.
import type { Db } from '../../platform/db';
import { chargesOf } from './billing.repository';
import type { FeeSchedule, Month, TrackingDiscountPolicy } from './fee-rules';
import { runFeeMonth } from './monthly-run';

export async function simulateSchedule(
  db: Db,
  s: {
    marketplaceId: string;
    month: Month;
    now: Date;
    schedule?: FeeSchedule;
    discount?: TrackingDiscountPolicy;
  },
) {
  const draft = await runFeeMonth(db, {
    marketplaceId: s.marketplaceId,
    month: s.month,
    now: s.now,
    draft: {
      ...(s.schedule ? { schedule: s.schedule } : {}),
      ...(s.discount ? { discount: s.discount } : {}),
    },
  });
  const actual = new Map(
    (await chargesOf(db, { marketplaceId: s.marketplaceId, month: s.month })).map((c) => [
      c.seller_id,
      c.amount - c.credited,
    ]),
  );
  const sellers = draft.sellers.map((f) => {
    const charged = actual.get(f.sellerId) ?? 0n;
    return {
      sellerId: f.sellerId,
      units: f.units.chargedUnits,
      band: f.decision.band.band,
      discountPercent: f.percentOff,
      charged,
      simulated: f.amount,
      difference: f.amount - charged,
    };
  });
  const charged = sellers.reduce((t, x) => t + x.charged, 0n);
  const simulated = sellers.reduce((t, x) => t + x.simulated, 0n);
  return {
    marketplaceId: s.marketplaceId,
    month: s.month,
    currency: draft.currency,
    sellers,
    total: { charged, simulated, difference: simulated - charged },
  };
}
