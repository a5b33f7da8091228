import { describe, expect, it } from 'vitest';
import {
  addMonths,
  bandWindow,
  contactCount,
  decideBand,
  decideDiscount,
  decideFee,
  decideTracking,
  distanceToBands,
  EURO_SCHEDULE,
  feeAmount,
  inForceAt,
  monthOf,
  monthStart,
  reviseCharge,
  scheduleProblems,
  TRACKING_DISCOUNT_V1,
  TRACKING_DISCOUNT_V2,
  US_SCHEDULE,
  unitCoverage,
} from './fee-rules';

const at = (iso: string) => new Date(iso);

describe('months in the marketplace’s time zone', () => {
  it.each([
    ['2026-03-31T22:30:00Z', 'Europe/Rome', '2026-04'], // 00:30 on 1 April in Rome, still March in UTC
    ['2026-03-31T21:59:59Z', 'Europe/Rome', '2026-03'],
    ['2026-04-01T03:00:00Z', 'America/New_York', '2026-03'], // 23:00 on 31 March in New York
    ['2026-12-31T23:30:00Z', 'Europe/Berlin', '2027-01'],
  ])('%s in %s is %s', (instant, zone, month) => expect(monthOf(at(instant), zone)).toBe(month));

  it('starts a month at local midnight on the 1st, and windows are the three months before', () => {
    expect(monthStart('2026-04', 'Europe/Rome').toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(monthStart('2026-01', 'America/New_York').toISOString()).toBe('2026-01-01T05:00:00.000Z');
    expect(bandWindow('2026-02')).toEqual({ from: '2025-11', to: '2026-01' });
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -13)).toBe('2024-12');
  });
});

describe('the band (F2), with the real US and German figures', () => {
  it.each([
    // contacts, units, US band, US rate, DE rate, reason
    [0, 30, 'default', 25n, 41n, 'few_units'], // 30 units or fewer: the default band
    [30, 30, 'default', 25n, 41n, 'few_units'],
    [0, 31, 'band_1', 10n, 9n, 'within_band'],
    [5, 100, 'band_1', 10n, 9n, 'within_band'], // exactly 5 %
    [501, 10_000, 'band_2', 25n, 41n, 'within_band'], // 5.01 %
    [15, 100, 'band_2', 25n, 41n, 'within_band'], // exactly 15 %
    [16, 100, 'band_3', 50n, 109n, 'within_band'],
    [30, 100, 'band_3', 50n, 109n, 'within_band'], // exactly 30 %
    [31, 100, 'above', 70n, 255n, 'above_all_bands'],
    [200, 100, 'above', 70n, 255n, 'above_all_bands'],
  ])('%i contacts / %i units → %s', (contacts, units, band, us, de, reason) => {
    expect(decideBand(US_SCHEDULE, { contacts, units })).toMatchObject({ band, rate: us, reason });
    expect(decideBand(EURO_SCHEDULE, { contacts, units })).toMatchObject({ band, rate: de });
  });

  it('says how far the neighbouring bands are', () => {
    // 12 contacts on 100 units (12 %, band 2): 7 fewer for band 1 (5 %), 4 more reach band 3 (16 %).
    expect(distanceToBands(US_SCHEDULE, { contacts: 12, units: 100 })).toMatchObject({
      band: 'band_2',
      contactsFewerForCheaperBand: 7,
      contactsMoreBeforeDearerBand: 4,
    });
    expect(distanceToBands(US_SCHEDULE, { contacts: 0, units: 100 })).toMatchObject({
      band: 'band_1',
      contactsFewerForCheaperBand: null,
      contactsMoreBeforeDearerBand: 6,
    });
    expect(distanceToBands(US_SCHEDULE, { contacts: 40, units: 100 })).toMatchObject({
      band: 'above',
      contactsFewerForCheaperBand: 10,
      contactsMoreBeforeDearerBand: null,
    });
    expect(distanceToBands(US_SCHEDULE, { contacts: 1, units: 20 })).toMatchObject({
      band: 'default',
      unitsUntilBands: 11,
    });
  });
});

describe('valid tracking (F3) and its discount, both versions of the programme', () => {
  const figures = (contacts: number, units: number, scanned: number, shipments: number, orders = units) => ({
    contacts,
    units,
    orders,
    scanned,
    shipments,
  });
  it.each([
    // policy, contacts, units, scanned/shipments, orders → percent off, reason
    [TRACKING_DISCOUNT_V1, 5, 100, 95, 100, 100, 100, 'free_low_cpu'], // exactly 5 % and exactly 95 %
    [TRACKING_DISCOUNT_V1, 5, 100, 94, 100, 100, 0, 'tracking_target_missed'],
    [TRACKING_DISCOUNT_V1, 10, 100, 100, 100, 100, 50, 'band_discount'],
    [TRACKING_DISCOUNT_V1, 20, 100, 100, 100, 100, 30, 'band_discount'],
    [TRACKING_DISCOUNT_V1, 40, 100, 100, 100, 100, 15, 'band_discount'],
    [TRACKING_DISCOUNT_V1, 0, 20, 20, 20, 20, 50, 'band_discount'], // default band
    [TRACKING_DISCOUNT_V2, 3, 100, 100, 100, 100, 0, 'no_discount_for_band'], // 3 % is not below 3 %
    [TRACKING_DISCOUNT_V2, 2, 100, 100, 100, 100, 100, 'free_low_cpu'],
    [TRACKING_DISCOUNT_V2, 20, 100, 100, 100, 29, 100, 'free_few_orders'], // under 30 orders a quarter
    [TRACKING_DISCOUNT_V2, 20, 100, 100, 100, 30, 30, 'band_discount'],
    [TRACKING_DISCOUNT_V2, 0, 0, 0, 0, 0, 0, 'tracking_target_missed'], // no shipments meets nothing
  ])(
    '%o: %i contacts / %i units, %i/%i scanned, %i orders → %i %% off',
    (policy, c, u, sc, sh, o, off, reason) => {
      const f = figures(c, u, sc, sh, o);
      const band = decideBand(US_SCHEDULE, f);
      expect(decideDiscount(policy, band, decideTracking(policy, f), f)).toEqual({ percentOff: off, reason });
    },
  );

  it('measures the rate exactly and applies the version in force', () => {
    expect(decideTracking(TRACKING_DISCOUNT_V1, { scanned: 19, shipments: 20 })).toEqual({
      rateBp: 9500,
      targetMet: true,
      reason: 'met',
    });
    expect(decideTracking(TRACKING_DISCOUNT_V1, { scanned: 1899, shipments: 2000 })).toMatchObject({
      targetMet: false,
    });
    const versions = [TRACKING_DISCOUNT_V1, TRACKING_DISCOUNT_V2];
    expect(inForceAt(versions, at('2025-12-31T23:00:00Z'))?.version).toBe('builtin:v1');
    expect(inForceAt(versions, at('2026-01-01T00:00:00Z'))?.version).toBe('builtin:v2');
  });
});

describe('who pays for which unit', () => {
  const trial = {
    enrolledAt: at('2026-03-01T00:00:00Z'),
    trialEndsAt: at('2026-03-16T12:00:00Z'),
    withdrawnAt: at('2026-05-10T09:00:00Z'),
  };
  const again = { enrolledAt: at('2026-05-20T00:00:00Z'), trialEndsAt: null, withdrawnAt: null };
  it.each([
    ['2026-02-28T23:59:59Z', 'not_enrolled'],
    ['2026-03-10T00:00:00Z', 'in_trial'], // the trial ends mid-month: before it, free
    ['2026-03-16T12:00:00Z', 'enrolled_after_trial'], // from its last instant on, charged
    ['2026-05-10T08:59:59Z', 'enrolled_after_trial'],
    ['2026-05-10T09:00:00Z', 'not_enrolled'], // withdrawn mid-month
    ['2026-05-20T00:00:00Z', 'enrolled_after_trial'], // re-enrolled without a trial: charged at once
  ])('a unit shipped at %s: %s', (instant, reason) =>
    expect(unitCoverage([trial, again], at(instant)).reason).toBe(reason),
  );

  it('rounds the fee half up after the discount', () => {
    expect(feeAmount(1000, 25n, 0)).toBe(25_000n);
    expect(feeAmount(3, 25n, 50)).toBe(38n); // 37.5 → 38
    expect(feeAmount(7, 10n, 100)).toBe(0n);
    expect(feeAmount(0, 255n, 0)).toBe(0n);
  });

  it('records the schedule version and window of each decision', () => {
    const d = decideFee('2026-04', EURO_SCHEDULE, TRACKING_DISCOUNT_V2, {
      contacts: 4,
      units: 100,
      orders: 80,
      shipments: 80,
      scanned: 70,
    });
    expect(d).toMatchObject({
      window: { from: '2026-01', to: '2026-03' },
      band: { band: 'band_1', rate: 9n, cpuBp: 400 },
      discount: { reason: 'tracking_target_missed' },
      schedule: { version: 'builtin:EUR' },
    });
  });
});

describe('which contacts count', () => {
  const base = {
    handler: 'marketplace_cs',
    routingReason: 'enrolled_seller_fulfilled',
    topic: 'delivery',
    fulfilmentChannel: 'seller',
    coveredAt: true,
    contestAccepted: false,
  };
  it.each([
    [{}, true, 'handled_on_sellers_behalf'],
    [{ routingReason: 'forwarded_by_seller' }, true, 'handled_on_sellers_behalf'],
    [{ routingReason: 'continued_case' }, true, 'handled_on_sellers_behalf'],
    [{ handler: 'seller', routingReason: 'excluded_topic' }, false, 'not_answered_by_marketplace'],
    [
      { fulfilmentChannel: 'premium_seller', routingReason: 'premium_seller_fulfilled' },
      false,
      'not_answered_by_marketplace',
    ],
    [{ fulfilmentChannel: 'premium_seller', routingReason: 'forwarded_by_seller' }, false, 'premium_order'],
    [{ fulfilmentChannel: null }, false, 'no_order'],
    [{ topic: 'payment_or_account' }, false, 'caused_by_marketplace'],
    [{ coveredAt: false }, false, 'not_covered'],
    [{ contestAccepted: true }, false, 'contest_accepted'],
  ])('%o → counted %s (%s)', (change, counted, reason) =>
    expect(contactCount({ ...base, ...change })).toEqual({ counted, reason }),
  );
});

describe('an admin’s schedule', () => {
  it('must ascend, stay in range and charge in the marketplace’s currency', () => {
    expect(scheduleProblems(US_SCHEDULE, 'USD')).toEqual([]);
    const bad = {
      ...US_SCHEDULE,
      bands: [
        { upToBp: 1500, rate: 1n },
        { upToBp: 500, rate: -1n },
      ],
    };
    expect(scheduleProblems(bad, 'EUR').map((p) => p.code)).toEqual([
      'currency_mismatch',
      'not_ascending',
      'negative',
    ]);
  });
});

describe('a charged month judged again after late data', () => {
  const window = { contacts: 2, units: 100, orders: 100, shipments: 100, scanned: 94 };
  const charged = decideFee('2026-06', EURO_SCHEDULE, TRACKING_DISCOUNT_V2, window); // band 1, tracking missed
  it.each([
    ['nothing changed: nothing moves, whatever was credited', window, 10, 0n, { revise: false }],
    [
      'a late scan meets the target: free, the net comes back',
      { ...window, scanned: 95 },
      10,
      90n,
      { revise: true, changed: ['scanned'], owed: 0n, difference: -90n },
    ],
    [
      'a late shipment in the month: two more units charged',
      window,
      12,
      90n,
      { revise: true, changed: ['chargedUnits'], owed: 108n, difference: 18n },
    ],
    [
      'a late contact that keeps the band: revised, no money',
      { ...window, contacts: 3 },
      10,
      90n,
      { revise: true, changed: ['contacts'], owed: 90n, difference: 0n },
    ],
    [
      'late contacts raise the band: owed against what the month nets after an earlier credit',
      { ...window, contacts: 20 },
      10,
      50n,
      { revise: true, changed: ['contacts'], owed: 1090n, difference: 1040n },
    ],
  ] as const)('%s', (_name, after, units, net, expected) => {
    const r = reviseCharge(
      { decision: charged, chargedUnits: 10, net },
      { decision: decideFee('2026-06', EURO_SCHEDULE, TRACKING_DISCOUNT_V2, after), chargedUnits: units },
    );
    expect(r).toMatchObject(expected);
  });
});
