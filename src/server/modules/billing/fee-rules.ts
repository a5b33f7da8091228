// The managed service's fee (SPEC F1–F3) as pure decisions: months in the marketplace's time zone,
// which units are charged, which contacts count, contacts per unit, the valid tracking rate, the band,
// the tracking discount and the month's fee — each with a reason code. Ratios are compared in whole
// numbers (contacts × 10,000 against basis points × units), so "exactly 5 %" is exactly 5 %.
import { localDateOf, zonedInstant } from '../../platform/business-calendar';

// ---------------------------------------------------------------- months

export type Month = string; // 'YYYY-MM'

export const isMonth = (m: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(m);

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) + n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

/** The month an instant falls in, in the marketplace's zone: 23:30 UTC on 31 March is April in Rome. */
export const monthOf = (instant: Date, timeZone: string): Month => localDateOf(instant, timeZone).slice(0, 7);

/** The instant a month starts in a zone (local midnight on the 1st). */
export const monthStart = (month: Month, timeZone: string): Date =>
  zonedInstant(`${month}-01`, '00:00:00', timeZone);

/** The months whose figures fix the band of `month`: the three before it (F2). */
export const bandWindow = (month: Month) => ({ from: addMonths(month, -3), to: addMonths(month, -1) });

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const months: Month[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) months.push(m);
  return months;
}

// ---------------------------------------------------------------- schedules and discounts (data)

export type FeeBand = { upToBp: number; rate: bigint };
export type FeeSchedule = {
  /** 'builtin:US' for a default in code, or the stored row's id. */
  version: string;
  effectiveFrom: Date;
  currency: string;
  /** Ascending: a CPU at or below `upToBp` basis points (500 = 5 %) is in the band. */
  bands: readonly FeeBand[];
  /** The rate above the last band. */
  aboveRate: bigint;
  /** The rate when there are too few units to judge (F2: 30 or fewer in three months). */
  defaultRate: bigint;
  /** Units in the window at or below which the default band applies. */
  defaultUpToUnits: number;
};

export type TrackingDiscountPolicy = {
  version: string;
  effectiveFrom: Date;
  /** The valid tracking rate to meet (9,500 bp = 95 %) for any discount. */
  trackingTargetBp: number;
  /** Free at (inclusive) or below (exclusive) this CPU; null: no such rule. */
  freeCpu: { bp: number; inclusive: boolean } | null;
  /** Free when the window has fewer orders than this; null: no such rule. */
  freeUnderOrders: number | null;
  /** Percent off per band name otherwise (band_1…, above, default). */
  percentOffByBand: Readonly<Record<string, number>>;
};

const NEVER = new Date('1970-01-01T00:00:00Z');
const bands = (...pairs: [number, number][]) =>
  pairs.map(([upToBp, rate]) => ({ upToBp, rate: BigInt(rate) }));

/** The real programme's US schedule (SPEC F2), in cents. */
export const US_SCHEDULE: FeeSchedule = {
  version: 'builtin:USD',
  effectiveFrom: NEVER,
  currency: 'USD',
  bands: bands([500, 10], [1500, 25], [3000, 50]),
  aboveRate: 70n,
  defaultRate: 25n,
  defaultUpToUnits: 30,
};

/** The real programme's German schedule (SPEC F2), in euro cents; the euro marketplaces' default. */
export const EURO_SCHEDULE: FeeSchedule = {
  version: 'builtin:EUR',
  effectiveFrom: NEVER,
  currency: 'EUR',
  bands: bands([500, 9], [1500, 41], [3000, 109]),
  aboveRate: 255n,
  defaultRate: 41n,
  defaultUpToUnits: 30,
};

/**
 * The schedule in code for a marketplace that has none stored: US dollars → the US figures, euros → the
 * German ones (IT, ES, FR have no published figures of their own); any other currency has none, and
 * its sellers are not charged until an admin sets one.
 */
export function builtinSchedule(currency: string): FeeSchedule | null {
  if (currency === 'USD') return US_SCHEDULE;
  if (currency === 'EUR') return EURO_SCHEDULE;
  return null;
}

const BAND_DISCOUNTS = { band_2: 50, band_3: 30, above: 15, default: 50 };

/** Tracking discounts, first version (SPEC F3): target met → free at CPU ≤ 5 %, 15–50 % off above. */
export const TRACKING_DISCOUNT_V1: TrackingDiscountPolicy = {
  version: 'builtin:v1',
  effectiveFrom: NEVER,
  trackingTargetBp: 9500,
  freeCpu: { bp: 500, inclusive: true },
  freeUnderOrders: null,
  percentOffByBand: BAND_DISCOUNTS,
};

/** The later version: target met → free below 3 % CPU, free under 30 orders in the window (a quarter). */
export const TRACKING_DISCOUNT_V2: TrackingDiscountPolicy = {
  version: 'builtin:v2',
  effectiveFrom: new Date('2026-01-01T00:00:00Z'),
  trackingTargetBp: 9500,
  freeCpu: { bp: 300, inclusive: false },
  freeUnderOrders: 30,
  percentOffByBand: BAND_DISCOUNTS,
};

export const BUILTIN_DISCOUNTS = [TRACKING_DISCOUNT_V1, TRACKING_DISCOUNT_V2];

/** The version in force at an instant: the latest effective at or before it (ties: the later one listed). */
export function inForceAt<T extends { effectiveFrom: Date }>(versions: readonly T[], at: Date): T | null {
  let found: T | null = null;
  for (const v of versions) if (v.effectiveFrom.getTime() <= at.getTime()) found = v;
  return found;
}

// ---------------------------------------------------------------- who pays for which unit

export type EnrolmentPeriod = { enrolledAt: Date; trialEndsAt: Date | null; withdrawnAt: Date | null };
export type UnitCoverage =
  | { covered: false; charged: false; reason: 'not_enrolled' }
  | { covered: true; charged: false; reason: 'in_trial' }
  | { covered: true; charged: true; reason: 'enrolled_after_trial' };

/**
 * A unit shipped at `at` is the managed service's when an enrolment period covers that instant, and
 * charged once that period's trial is over (F1, P2, P5): a withdrawal or a re-enrolment in the middle
 * of a month splits it there; a re-enrolment has no trial, so it is charged from its first instant.
 */
export function unitCoverage(periods: readonly EnrolmentPeriod[], at: Date): UnitCoverage {
  const t = at.getTime();
  const p = periods.find(
    (x) => x.enrolledAt.getTime() <= t && (x.withdrawnAt === null || t < x.withdrawnAt.getTime()),
  );
  if (!p) return { covered: false, charged: false, reason: 'not_enrolled' };
  if (p.trialEndsAt && t < p.trialEndsAt.getTime())
    return { covered: true, charged: false, reason: 'in_trial' };
  return { covered: true, charged: true, reason: 'enrolled_after_trial' };
}

// ---------------------------------------------------------------- which contacts count

/** The routing reasons under which the marketplace's CS answered for the seller (R1, R5, C6). */
export const COUNTED_ROUTING_REASONS = [
  'enrolled_seller_fulfilled',
  'trial_seller_fulfilled',
  'forwarded_by_seller',
  'continued_case',
] as const;

/** Topics the marketplace itself causes (its payments and accounts): never the seller's contacts. */
export const MARKETPLACE_CAUSED_TOPICS = ['payment_or_account'] as const;

export type ContactFacts = {
  handler: string;
  routingReason: string;
  topic: string;
  fulfilmentChannel: string | null;
  coveredAt: boolean;
  contestAccepted: boolean;
};

export type ContactCount =
  | { counted: true; reason: 'handled_on_sellers_behalf' }
  | {
      counted: false;
      reason:
        | 'not_answered_by_marketplace'
        | 'no_order'
        | 'not_seller_fulfilled'
        | 'premium_order'
        | 'caused_by_marketplace'
        | 'not_covered'
        | 'contest_accepted';
    };

/**
 * F2's numerator: a buyer contact the marketplace's CS handled for a seller-fulfilled order of the
 * seller while the service covered it. Premium orders are the marketplace's whatever the enrolment (P6),
 * so neither their contacts nor their units count; nor do contacts about the marketplace's own
 * payments and accounts, nor one a contest showed not to be the seller's.
 */
export function contactCount(c: ContactFacts): ContactCount {
  if (
    c.handler !== 'marketplace_cs' ||
    !(COUNTED_ROUTING_REASONS as readonly string[]).includes(c.routingReason)
  )
    return { counted: false, reason: 'not_answered_by_marketplace' };
  if (c.fulfilmentChannel === null) return { counted: false, reason: 'no_order' };
  if (c.fulfilmentChannel === 'premium_seller') return { counted: false, reason: 'premium_order' };
  if (c.fulfilmentChannel !== 'seller') return { counted: false, reason: 'not_seller_fulfilled' };
  if ((MARKETPLACE_CAUSED_TOPICS as readonly string[]).includes(c.topic))
    return { counted: false, reason: 'caused_by_marketplace' };
  if (!c.coveredAt) return { counted: false, reason: 'not_covered' };
  if (c.contestAccepted) return { counted: false, reason: 'contest_accepted' };
  return { counted: true, reason: 'handled_on_sellers_behalf' };
}

// ---------------------------------------------------------------- ratios, band, discount, fee

/** A ratio in basis points, rounded down (for display; decisions compare exactly). */
export const ratioBp = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : Math.floor((numerator * 10_000) / denominator);

/** `numerator / denominator <= bp / 10,000`, exactly. */
const atMost = (numerator: number, denominator: number, bp: number) =>
  BigInt(numerator) * 10_000n <= BigInt(bp) * BigInt(denominator);

export type WindowFigures = {
  /** Contacts counted in the window. */
  contacts: number;
  /** Seller-fulfilled units shipped while covered (trial included) in the window. */
  units: number;
  /** Orders behind those units. */
  orders: number;
  /** Seller-fulfilled shipments in the window, and those with at least one carrier scan. */
  shipments: number;
  scanned: number;
};

export type BandDecision = {
  band: string;
  rate: bigint;
  reason: 'few_units' | 'within_band' | 'above_all_bands';
  cpuBp: number | null;
};

/** F2: the band from the window's contacts and units; 30 units or fewer → the default band. */
export function decideBand(
  schedule: FeeSchedule,
  f: Pick<WindowFigures, 'contacts' | 'units'>,
): BandDecision {
  const cpuBp = ratioBp(f.contacts, f.units);
  if (f.units <= schedule.defaultUpToUnits)
    return { band: 'default', rate: schedule.defaultRate, reason: 'few_units', cpuBp };
  const i = schedule.bands.findIndex((b) => atMost(f.contacts, f.units, b.upToBp));
  if (i < 0) return { band: 'above', rate: schedule.aboveRate, reason: 'above_all_bands', cpuBp };
  return { band: `band_${i + 1}`, rate: schedule.bands[i]!.rate, reason: 'within_band', cpuBp };
}

export type TrackingDecision = {
  rateBp: number | null;
  targetMet: boolean;
  reason: 'no_shipments' | 'met' | 'missed';
};

/** F3: shipments with a carrier scan ÷ shipments, against the target; no shipments meets nothing. */
export function decideTracking(
  policy: TrackingDiscountPolicy,
  f: Pick<WindowFigures, 'shipments' | 'scanned'>,
): TrackingDecision {
  const rateBp = ratioBp(f.scanned, f.shipments);
  if (f.shipments === 0) return { rateBp, targetMet: false, reason: 'no_shipments' };
  const met = BigInt(f.scanned) * 10_000n >= BigInt(policy.trackingTargetBp) * BigInt(f.shipments);
  return { rateBp, targetMet: met, reason: met ? 'met' : 'missed' };
}

export type DiscountDecision = {
  percentOff: number;
  reason:
    | 'tracking_target_missed'
    | 'free_low_cpu'
    | 'free_few_orders'
    | 'band_discount'
    | 'no_discount_for_band';
};

export function decideDiscount(
  policy: TrackingDiscountPolicy,
  band: BandDecision,
  tracking: TrackingDecision,
  f: WindowFigures,
): DiscountDecision {
  if (!tracking.targetMet) return { percentOff: 0, reason: 'tracking_target_missed' };
  if (policy.freeUnderOrders !== null && f.orders < policy.freeUnderOrders)
    return { percentOff: 100, reason: 'free_few_orders' };
  if (policy.freeCpu && f.units > 0 && band.band !== 'default') {
    const { bp, inclusive } = policy.freeCpu;
    const free = inclusive
      ? atMost(f.contacts, f.units, bp)
      : BigInt(f.contacts) * 10_000n < BigInt(bp) * BigInt(f.units);
    if (free) return { percentOff: 100, reason: 'free_low_cpu' };
  }
  const off = policy.percentOffByBand[band.band] ?? 0;
  return off > 0
    ? { percentOff: off, reason: 'band_discount' }
    : { percentOff: 0, reason: 'no_discount_for_band' };
}

/** Units × rate, less the discount, rounded half up to the minor unit. */
export function feeAmount(units: number, rate: bigint, percentOff: number): bigint {
  const gross = BigInt(units) * rate * BigInt(100 - percentOff);
  return (gross + 50n) / 100n;
}

export type MonthFigures = {
  /** Units shipped in the month while enrolled and past the trial: the ones charged. */
  chargedUnits: number;
  /** Units shipped in the month during the trial, and while not enrolled (shown, not charged). */
  trialUnits: number;
  notEnrolledUnits: number;
};

export type FeeDecision = {
  window: { from: Month; to: Month } & WindowFigures;
  band: BandDecision;
  tracking: TrackingDecision;
  discount: DiscountDecision;
  schedule: { version: string; effectiveFrom: Date; currency: string };
  discountPolicy: { version: string; effectiveFrom: Date };
};

/** The band, tracking and discount fixed for `month` from its window's figures. */
export function decideFee(
  month: Month,
  schedule: FeeSchedule,
  policy: TrackingDiscountPolicy,
  f: WindowFigures,
): FeeDecision {
  const band = decideBand(schedule, f);
  const tracking = decideTracking(policy, f);
  return {
    window: { ...bandWindow(month), ...f },
    band,
    tracking,
    discount: decideDiscount(policy, band, tracking, f),
    schedule: {
      version: schedule.version,
      effectiveFrom: schedule.effectiveFrom,
      currency: schedule.currency,
    },
    discountPolicy: { version: policy.version, effectiveFrom: policy.effectiveFrom },
  };
}

/**
 * How far the seller is from the neighbouring bands: contacts fewer for the cheaper band (null in the
 * cheapest, or when units are too few for bands), and contacts more before the dearer one (null above all).
 */
export function distanceToBands(schedule: FeeSchedule, f: Pick<WindowFigures, 'contacts' | 'units'>) {
  const band = decideBand(schedule, f);
  if (band.band === 'default')
    return {
      band: band.band,
      contactsFewerForCheaperBand: null,
      contactsMoreBeforeDearerBand: null,
      unitsUntilBands: schedule.defaultUpToUnits + 1 - f.units,
    };
  const i = band.band === 'above' ? schedule.bands.length : Number(band.band.slice(5)) - 1;
  const maxContacts = (bp: number) => Math.floor((bp * f.units) / 10_000);
  const cheaper = i > 0 ? f.contacts - maxContacts(schedule.bands[i - 1]!.upToBp) : null;
  const dearer = i < schedule.bands.length ? maxContacts(schedule.bands[i]!.upToBp) + 1 - f.contacts : null;
  return {
    band: band.band,
    contactsFewerForCheaperBand: cheaper,
    contactsMoreBeforeDearerBand: dearer,
    unitsUntilBands: 0,
  };
}

// ---------------------------------------------------------------- validation of an admin's draft

export type ScheduleProblem = { path: string; code: string; message: string };

/** A schedule an admin may save: bands ascending in 0–100 %, rates not negative, the marketplace's currency. */
export function scheduleProblems(
  s: Pick<FeeSchedule, 'bands' | 'aboveRate' | 'defaultRate' | 'currency' | 'defaultUpToUnits'>,
  marketplaceCurrency: string,
): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (s.currency !== marketplaceCurrency)
    problems.push({
      path: 'currency',
      code: 'currency_mismatch',
      message: `the marketplace charges in ${marketplaceCurrency}`,
    });
  if (s.bands.length === 0) problems.push({ path: 'bands', code: 'no_bands', message: 'at least one band' });
  s.bands.forEach((b, i) => {
    if (!Number.isInteger(b.upToBp) || b.upToBp < 0 || b.upToBp > 10_000)
      problems.push({
        path: `bands.${i}.upToBp`,
        code: 'out_of_range',
        message: 'basis points from 0 to 10,000',
      });
    if (i > 0 && b.upToBp <= s.bands[i - 1]!.upToBp)
      problems.push({
        path: `bands.${i}.upToBp`,
        code: 'not_ascending',
        message: 'each band ends above the one before',
      });
    if (b.rate < 0n)
      problems.push({ path: `bands.${i}.rate`, code: 'negative', message: 'a rate is not negative' });
  });
  if (s.aboveRate < 0n)
    problems.push({ path: 'aboveRate', code: 'negative', message: 'a rate is not negative' });
  if (s.defaultRate < 0n)
    problems.push({ path: 'defaultRate', code: 'negative', message: 'a rate is not negative' });
  return problems;
}

// ---------------------------------------------------------------- late data: revising a charged month

export type ChargedMonth = {
  decision: FeeDecision;
  chargedUnits: number;
  /** What the month nets today: the charge less the credits and plus the further charges since. */
  net: bigint;
};

export type FeeRevision =
  | { revise: false; reason: 'figures_unchanged' }
  | {
      revise: true;
      /** What moved: window figures (contacts, units, orders, shipments, scanned) and/or charged units. */
      changed: string[];
      owed: bigint;
      /** Owed − net: positive charges the seller more, negative credits it; zero only revises the band. */
      difference: bigint;
    };

const WINDOW_KEYS = ['contacts', 'units', 'orders', 'shipments', 'scanned'] as const;

/**
 * Pure: a charged month judged again on its figures as they stand now (a shipment, carrier scan or
 * accepted contest that arrived after the charge). The month owes the fee of the new decision on the
 * new charged units; the difference to what it nets today is what moves, so judging it again with the
 * same figures moves nothing, and figures that did not change leave the charge as it stands.
 */
export function reviseCharge(before: ChargedMonth, after: Omit<ChargedMonth, 'net'>): FeeRevision {
  const changed: string[] = WINDOW_KEYS.filter((k) => before.decision.window[k] !== after.decision.window[k]);
  if (before.chargedUnits !== after.chargedUnits) changed.push('chargedUnits');
  // Nothing arrived late: the charge stands as it is, credits and all.
  if (changed.length === 0) return { revise: false, reason: 'figures_unchanged' };
  const owed = feeAmount(after.chargedUnits, after.decision.band.rate, after.decision.discount.percentOff);
  return { revise: true, changed, owed, difference: owed - before.net };
}
