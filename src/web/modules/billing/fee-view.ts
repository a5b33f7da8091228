// Pure helpers of the fee pages: the API's shapes, basis points as percentages, and the series the
// charts draw (months charged, this month and where next month's band is heading, against the bands).

export type FeeWindow = {
  from: string;
  to: string;
  contacts: number;
  units: number;
  orders: number;
  shipments: number;
  scanned: number;
};
export type FeeExplanation = {
  month: string;
  currency: string;
  window: FeeWindow;
  contactsPerUnitBp: number;
  band: string;
  bandReason: string;
  rate: number;
  validTrackingRateBp: number;
  trackingTargetMet: boolean;
  discountPercent: number;
  discountReason: string;
  units: { chargedUnits: number; trialUnits: number; notEnrolledUnits: number };
  amount: number;
  scheduleVersion: string;
  discountVersion: string;
};
export type FeesNow = {
  marketplace: string;
  currency: string;
  month: string;
  band: (FeeExplanation & { fixed: boolean }) | null;
  nextMonth: {
    month: string;
    windowSoFar: FeeWindow;
    contactsPerUnitBp: number;
    band: string;
    rate: number;
    validTrackingRateBp: number;
    trackingTargetMet: boolean;
    discountPercent: number;
    discountReason: string;
    distance: {
      band: string;
      contactsFewerForCheaperBand: number | null;
      contactsMoreBeforeDearerBand: number | null;
      unitsUntilBands: number;
    };
  } | null;
};
export type FeeMonth = {
  month: string;
  currency: string;
  amount: number;
  credited: number;
  net: number;
  explanation: FeeExplanation;
};
export type FeeSchedule = {
  marketplace: string;
  currency: string;
  schedule: {
    version: string;
    bands: { upToBp: number; rate: number }[];
    aboveRate: number;
    defaultRate: number;
    defaultUpToUnits: number;
  } | null;
  trackingTargetBp: number;
};

/** 523 bp → 5.23 (a percentage, for charts and `Intl` with style percent ÷ 100). */
export const bpToPercent = (bp: number) => bp / 100;

/** "5 %" / "5,2 %" in the page's language, at most two decimals. */
export function formatPercent(percent: number, language: string) {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 2 }).format(
    percent / 100,
  );
}

/** band_2 → 2; 'above' and 'default' have no number. */
export function bandNumber(band: string): number | null {
  const m = /^band_(\d+)$/.exec(band);
  return m ? Number(m[1]) : null;
}

export type FeePoint = {
  month: string;
  cpuPercent: number;
  trackingPercent: number;
  /** Charged months are final; this month's band may still be provisional; next month's is heading. */
  kind: 'charged' | 'current' | 'heading';
};

/**
 * The points of the CPU and tracking charts, oldest first: every month charged, then this month's band
 * (unless it is charged already) and next month's heading. One point per month.
 */
export function feePoints(months: readonly FeeMonth[], now: FeesNow | null): FeePoint[] {
  const points = new Map<string, FeePoint>();
  for (const m of months)
    points.set(m.month, {
      month: m.month,
      cpuPercent: bpToPercent(m.explanation.contactsPerUnitBp),
      trackingPercent: bpToPercent(m.explanation.validTrackingRateBp),
      kind: 'charged',
    });
  if (now?.band && !points.has(now.month))
    points.set(now.month, {
      month: now.month,
      cpuPercent: bpToPercent(now.band.contactsPerUnitBp),
      trackingPercent: bpToPercent(now.band.validTrackingRateBp),
      kind: 'current',
    });
  if (now?.nextMonth && !points.has(now.nextMonth.month))
    points.set(now.nextMonth.month, {
      month: now.nextMonth.month,
      cpuPercent: bpToPercent(now.nextMonth.contactsPerUnitBp),
      trackingPercent: bpToPercent(now.nextMonth.validTrackingRateBp),
      kind: 'heading',
    });
  return [...points.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/** The band edges as constant lines over `n` points (each band's upper edge, in percent). */
export function bandLines(schedule: FeeSchedule['schedule'], n: number) {
  return (schedule?.bands ?? []).map((b, i) => ({
    band: i + 1,
    upToPercent: bpToPercent(b.upToBp),
    values: Array.from({ length: n }, () => bpToPercent(b.upToBp)),
  }));
}

/** Whole local days "YYYY-MM-DD" from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000)
    days.push(new Date(d).toISOString().slice(0, 10));
  return days;
}

export type DailyRow = {
  day: string;
  marketplace: string;
  language: string;
  channel: string;
  contacts: number;
  contactsByReason: Record<string, number>;
  casesOpened: number;
  firstResponses: number;
  firstResponsesWithinSla: number;
  avgFirstResponseSeconds: number | null;
  resolved: number;
  avgResolutionSeconds: number | null;
  chats: number;
  chatsHandedOff: number;
  ratingsBot: number;
  avgStarsBot: number | null;
  ratingsPeople: number;
  avgStarsPeople: number | null;
  openAtDayEnd: number;
};

/**
 * The daily rows of the chosen language and channel ('' = all), summed per day: counts add up, averages
 * are weighted by what they average over (so two rows of 1 and 3 responses average over 4).
 */
export function dailySeries(rows: readonly DailyRow[], days: readonly string[], language = '', channel = '') {
  const kept = rows.filter(
    (r) => (!language || r.language === language) && (!channel || r.channel === channel),
  );
  const reasons = [...new Set(kept.flatMap((r) => Object.keys(r.contactsByReason)))].sort();
  const perDay = days.map((day) => {
    const of = kept.filter((r) => r.day === day);
    const sum = (f: (r: DailyRow) => number) => of.reduce((t, r) => t + f(r), 0);
    const weighted = (avg: (r: DailyRow) => number | null, weight: (r: DailyRow) => number) => {
      const w = sum((r) => (avg(r) === null ? 0 : weight(r)));
      return w === 0 ? null : sum((r) => (avg(r) ?? 0) * weight(r)) / w;
    };
    const chats = sum((r) => r.chats);
    const handed = sum((r) => r.chatsHandedOff);
    const responses = sum((r) => r.firstResponses);
    return {
      byReason: Object.fromEntries(reasons.map((x) => [x, sum((r) => r.contactsByReason[x] ?? 0)])),
      containmentPercent: chats ? ((chats - handed) / chats) * 100 : null,
      handOffPercent: chats ? (handed / chats) * 100 : null,
      starsBot: weighted(
        (r) => r.avgStarsBot,
        (r) => r.ratingsBot,
      ),
      starsPeople: weighted(
        (r) => r.avgStarsPeople,
        (r) => r.ratingsPeople,
      ),
      withinSlaPercent: responses ? (sum((r) => r.firstResponsesWithinSla) / responses) * 100 : null,
      firstResponseMinutes: nullable(
        weighted(
          (r) => r.avgFirstResponseSeconds,
          (r) => r.firstResponses,
        ),
        60,
      ),
      resolutionHours: nullable(
        weighted(
          (r) => r.avgResolutionSeconds,
          (r) => r.resolved,
        ),
        3600,
      ),
      // The backlog: cases still open when the day ended (opened before, not resolved by then).
      backlog: sum((r) => r.openAtDayEnd),
    };
  });
  return { reasons, perDay };
}

const nullable = (v: number | null, unit: number) => (v === null ? null : Math.round((v / unit) * 10) / 10);
