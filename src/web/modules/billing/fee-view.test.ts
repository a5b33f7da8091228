import { expect, it } from 'vitest';
import {
  bandLines,
  type DailyRow,
  dailySeries,
  daysBetween,
  type FeeMonth,
  type FeesNow,
  feePoints,
} from './fee-view';

const month = (m: string, cpuBp: number, trackingBp: number) =>
  ({ month: m, explanation: { contactsPerUnitBp: cpuBp, validTrackingRateBp: trackingBp } }) as FeeMonth;

it('charts the months charged oldest first, then this month and next month’s heading, once each', () => {
  const now = {
    month: '2026-12',
    band: { contactsPerUnitBp: 1709, validTrackingRateBp: 9792 },
    nextMonth: { month: '2027-01', contactsPerUnitBp: 1190, validTrackingRateBp: 9900 },
  } as FeesNow;
  expect(feePoints([month('2026-11', 2500, 9700), month('2026-10', 2537, 9701)], now)).toEqual([
    { month: '2026-10', cpuPercent: 25.37, trackingPercent: 97.01, kind: 'charged' },
    { month: '2026-11', cpuPercent: 25, trackingPercent: 97, kind: 'charged' },
    { month: '2026-12', cpuPercent: 17.09, trackingPercent: 97.92, kind: 'current' },
    { month: '2027-01', cpuPercent: 11.9, trackingPercent: 99, kind: 'heading' },
  ]);
  // A month already charged is not drawn twice as "this month".
  expect(feePoints([month('2026-12', 100, 9000)], { ...now, nextMonth: null }).map((p) => p.kind)).toEqual([
    'charged',
  ]);
});

it('draws each band’s upper edge as a constant line', () => {
  const schedule = {
    version: 'v',
    bands: [
      { upToBp: 500, rate: 10 },
      { upToBp: 1500, rate: 25 },
    ],
    aboveRate: 70,
    defaultRate: 25,
    defaultUpToUnits: 30,
  };
  expect(bandLines(schedule, 3)).toEqual([
    { band: 1, upToPercent: 5, values: [5, 5, 5] },
    { band: 2, upToPercent: 15, values: [15, 15, 15] },
  ]);
  expect(bandLines(null, 3)).toEqual([]);
});

const row = (over: Partial<DailyRow>): DailyRow => ({
  day: '2026-11-02',
  marketplace: 'IT',
  language: 'it',
  channel: 'chat',
  contacts: 0,
  contactsByReason: {},
  casesOpened: 0,
  firstResponses: 0,
  firstResponsesWithinSla: 0,
  avgFirstResponseSeconds: null,
  resolved: 0,
  avgResolutionSeconds: null,
  chats: 0,
  chatsHandedOff: 0,
  ratingsBot: 0,
  avgStarsBot: null,
  ratingsPeople: 0,
  avgStarsPeople: null,
  openAtDayEnd: 0,
  ...over,
});

it('sums the rows of a day and weights averages by what they average over; a filter keeps one channel', () => {
  const rows = [
    row({
      contactsByReason: { enrolled_seller_fulfilled: 2 },
      chats: 4,
      chatsHandedOff: 1,
      firstResponses: 1,
      firstResponsesWithinSla: 1,
      avgFirstResponseSeconds: 60,
      ratingsBot: 1,
      avgStarsBot: 5,
      casesOpened: 3,
      resolved: 1,
      openAtDayEnd: 5,
    }),
    row({
      channel: 'email',
      contactsByReason: { enrolled_seller_fulfilled: 1, continued_case: 1 },
      firstResponses: 3,
      firstResponsesWithinSla: 1,
      avgFirstResponseSeconds: 600,
      ratingsBot: 3,
      avgStarsBot: 1,
      openAtDayEnd: 2,
    }),
  ];
  const days = daysBetween('2026-11-01', '2026-11-02');
  expect(days).toEqual(['2026-11-01', '2026-11-02']);
  const all = dailySeries(rows, days);
  expect(all.reasons).toEqual(['continued_case', 'enrolled_seller_fulfilled']);
  expect(all.perDay[0]).toMatchObject({
    byReason: { continued_case: 0, enrolled_seller_fulfilled: 0 },
    containmentPercent: null,
    withinSlaPercent: null,
  });
  expect(all.perDay[1]).toEqual({
    byReason: { continued_case: 1, enrolled_seller_fulfilled: 3 },
    containmentPercent: 75,
    handOffPercent: 25,
    starsBot: 2, // (5 × 1 + 1 × 3) / 4
    starsPeople: null,
    withinSlaPercent: 50,
    firstResponseMinutes: 7.8, // (60 × 1 + 600 × 3) / 4 s = 465 s
    resolutionHours: null,
    backlog: 7, // still open at the day's end, both channels
  });
  expect(dailySeries(rows, days, '', 'email').perDay[1]!.byReason).toEqual({
    continued_case: 1,
    enrolled_seller_fulfilled: 1,
  });
});
