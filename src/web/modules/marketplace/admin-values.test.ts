import { describe, expect, it } from 'vitest';
import {
  effectiveInstant,
  firstOfNextMonthIn,
  startOfDayIn,
  toMajorText,
  toMinorUnits,
} from './admin-values';

describe('effective dates in the marketplace’s zone', () => {
  it.each([
    ['2027-01-01', 'Europe/Rome', '2026-12-31T23:00:00.000Z'],
    ['2027-07-01', 'Europe/Rome', '2027-06-30T22:00:00.000Z'],
    ['2027-03-28', 'Europe/Berlin', '2027-03-27T23:00:00.000Z'], // the day summer time starts
    ['2027-01-01', 'UTC', '2027-01-01T00:00:00.000Z'],
    ['2027-01-01', 'America/New_York', '2027-01-01T05:00:00.000Z'],
  ])('%s begins in %s at %s', (day, zone, instant) => {
    expect(startOfDayIn(day, zone)).toBe(instant);
  });

  it('finds next month’s first day in the zone, across a year end and a zone’s midnight', () => {
    expect(firstOfNextMonthIn(new Date('2026-12-03T10:00:00Z'), 'Europe/Rome')).toBe('2027-01-01');
    expect(firstOfNextMonthIn(new Date('2026-03-31T22:30:00Z'), 'Europe/Rome')).toBe('2026-05-01');
    expect(firstOfNextMonthIn(new Date('2026-03-31T22:30:00Z'), 'UTC')).toBe('2026-04-01');
  });

  it('takes today as now, a later day as its start, and refuses a past day or a non-date', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(effectiveInstant('', 'Europe/Rome', now)).toEqual({ ok: true, at: now.toISOString() });
    expect(effectiveInstant('2026-12-03', 'Europe/Rome', now)).toEqual({ ok: true, at: now.toISOString() });
    expect(effectiveInstant('2027-01-01', 'Europe/Rome', now)).toEqual({
      ok: true,
      at: '2026-12-31T23:00:00.000Z',
    });
    expect(effectiveInstant('2026-12-02', 'Europe/Rome', now)).toEqual({ ok: false, reason: 'in_the_past' });
    expect(effectiveInstant('soon', 'Europe/Rome', now)).toEqual({ ok: false, reason: 'not_a_date' });
  });
});

describe('amounts typed in major units', () => {
  it.each([
    ['150', 'EUR', 15000],
    ['150.5', 'EUR', 15050],
    ['150,05', 'EUR', 15005],
    [' 0 ', 'EUR', 0],
    ['1500', 'JPY', 1500],
    ['150.055', 'EUR', null],
    ['1.5', 'JPY', null],
    ['-3', 'EUR', null],
    ['1e3', 'EUR', null],
    ['', 'EUR', null],
  ])('%s %s → %s minor units', (typed, currency, minor) => {
    expect(toMinorUnits(typed, currency)).toBe(minor);
  });

  it('shows minor units back as an input’s text', () => {
    expect(toMajorText(15005, 'EUR')).toBe('150.05');
    expect(toMajorText(7, 'EUR')).toBe('0.07');
    expect(toMajorText(1500, 'JPY')).toBe('1500');
  });
});
