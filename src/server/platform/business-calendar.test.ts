import { describe, expect, it } from 'vitest';
import { nationalHolidays } from '../modules/marketplace/public-holidays';
import {
  addBusinessDays,
  type BusinessCalendar,
  businessDaysBetween,
  businessDeadline,
  isBusinessDay,
  localDateOf,
  nextOpenInstant,
  zonedInstant,
} from './business-calendar';

const calendar = (country: string, timeZone: string): BusinessCalendar => ({
  timeZone,
  weekendDays: [6, 7],
  holidays: new Set(nationalHolidays(country, 2026).map((h) => h.day)),
});

const IT = calendar('IT', 'Europe/Rome');
const ES = calendar('ES', 'Europe/Madrid');
const FR = calendar('FR', 'Europe/Paris');
const DE = calendar('DE', 'Europe/Berlin');
const US = calendar('US', 'America/New_York');

describe('real 2026 public holidays', () => {
  it.each([
    ['IT', '2026-04-06', "Lunedì dell'Angelo"],
    ['IT', '2026-06-02', 'Festa della Repubblica'],
    ['IT', '2026-12-08', 'Immacolata Concezione'],
    ['ES', '2026-04-03', 'Viernes Santo'],
    ['ES', '2026-10-12', 'Fiesta Nacional de España'],
    ['FR', '2026-05-14', 'Ascension'],
    ['FR', '2026-05-25', 'Lundi de Pentecôte'],
    ['FR', '2026-07-14', 'Fête nationale'],
    ['DE', '2026-04-03', 'Karfreitag'],
    ['DE', '2026-10-03', 'Tag der Deutschen Einheit'],
    ['US', '2026-01-19', 'Birthday of Martin Luther King, Jr.'],
    ['US', '2026-05-25', 'Memorial Day'],
    ['US', '2026-07-03', 'Independence Day'], // 4 July 2026 is a Saturday: observed Friday
    ['US', '2026-11-26', 'Thanksgiving Day'],
  ])('%s %s is %s', (country, day, name) => {
    expect(nationalHolidays(country, 2026)).toContainEqual({ day, name });
  });

  it('has the right number of national holidays per country', () => {
    expect(nationalHolidays('IT', 2026)).toHaveLength(13);
    expect(nationalHolidays('ES', 2026)).toHaveLength(10);
    expect(nationalHolidays('FR', 2026)).toHaveLength(11);
    expect(nationalHolidays('DE', 2026)).toHaveLength(9);
    expect(nationalHolidays('US', 2026)).toHaveLength(11);
  });
});

describe('business days', () => {
  it('skips weekends and holidays', () => {
    expect(isBusinessDay(IT, '2026-04-06')).toBe(false); // Easter Monday
    expect(isBusinessDay(IT, '2026-04-07')).toBe(true);
    expect(isBusinessDay(DE, '2026-04-04')).toBe(false); // Saturday
    expect(isBusinessDay(US, '2026-04-06')).toBe(true); // no Easter Monday in the US
  });

  it.each([
    // [calendar, from, n, expected, why]
    [IT, '2026-04-02', 2, '2026-04-07', 'Thu + 2: Fri, (Sat, Sun, Easter Monday) Tue'],
    [DE, '2026-04-02', 2, '2026-04-08', 'Thu + 2: (Good Friday, weekend, Easter Monday) Tue, Wed'],
    [ES, '2026-04-02', 2, '2026-04-07', 'Thu + 2: (Good Friday, weekend) Mon, Tue'],
    [FR, '2026-05-13', 2, '2026-05-18', 'Wed + 2: (Ascension) Fri, (weekend) Mon'],
    [US, '2026-11-25', 2, '2026-11-30', 'Wed + 2: (Thanksgiving) Fri, (weekend) Mon'],
    [US, '2026-07-02', 1, '2026-07-06', 'Thu + 1: (Independence Day observed, weekend) Mon'],
    [IT, '2026-12-24', 1, '2026-12-28', 'Thu + 1: (Christmas, St Stephen Sat, Sun) Mon'],
    [DE, '2026-04-04', 0, '2026-04-07', 'Sat + 0 is the next business day'],
  ])('%#: %s + %i business days = %s', (cal, from, n, expected) => {
    expect(addBusinessDays(cal, from, n)).toBe(expected);
  });

  it('counts business days between dates', () => {
    expect(businessDaysBetween(IT, '2026-04-02', '2026-04-07')).toBe(2);
    expect(businessDaysBetween(DE, '2026-12-23', '2026-12-31')).toBe(5); // 24, 28, 29, 30, 31
  });

  it('rejects a negative count', () => {
    expect(() => addBusinessDays(IT, '2026-04-02', -1)).toThrow(RangeError);
  });
});

describe('time zones', () => {
  it('takes the local date of an instant in the marketplace zone', () => {
    const lateEveningNewYork = new Date('2026-03-11T03:30:00Z'); // 23:30 on 10 March in New York
    expect(localDateOf(lateEveningNewYork, 'America/New_York')).toBe('2026-03-10');
    expect(localDateOf(lateEveningNewYork, 'Europe/Rome')).toBe('2026-03-11');
  });

  it('finds local wall-clock instants across daylight-saving changes', () => {
    expect(zonedInstant('2026-03-29', '12:00:00', 'Europe/Rome').toISOString()).toBe(
      '2026-03-29T10:00:00.000Z',
    );
    expect(zonedInstant('2026-03-28', '12:00:00', 'Europe/Rome').toISOString()).toBe(
      '2026-03-28T11:00:00.000Z',
    );
    expect(zonedInstant('2026-11-01', '00:00:00', 'America/New_York').toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
  });

  it('puts a 2-business-day deadline at the end of the local business day', () => {
    // A return received in Milan at 18:00 on Thursday 2 April 2026 must be refunded by Tuesday 7 April, 23:59:59.999 CEST.
    const received = new Date('2026-04-02T16:00:00Z');
    expect(businessDeadline(IT, received, 2).toISOString()).toBe('2026-04-07T21:59:59.999Z');
    // Received late Friday evening in New York (already Saturday in UTC): counted from Friday.
    const friday = new Date('2026-11-28T03:00:00Z');
    expect(businessDeadline(US, friday, 2).toISOString()).toBe('2026-12-02T04:59:59.999Z');
  });
});

describe('the next instant inside opening hours', () => {
  const weekdays = { days: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00' };
  // 2026-12-04 is a Friday; Rome is UTC+1 in December, New York UTC-5.
  it.each([
    ['open: unchanged', '2026-12-04T10:30:00Z', weekdays, 'Europe/Rome', '2026-12-04T10:30:00.000Z'],
    [
      'before opening: that morning',
      '2026-12-04T06:00:00Z',
      weekdays,
      'Europe/Rome',
      '2026-12-04T08:00:00.000Z',
    ],
    [
      'exactly at closing: the next working day',
      '2026-12-04T17:00:00Z',
      weekdays,
      'Europe/Rome',
      '2026-12-07T08:00:00.000Z',
    ],
    ['Friday evening: Monday', '2026-12-04T19:50:00Z', weekdays, 'Europe/Rome', '2026-12-07T08:00:00.000Z'],
    ['Saturday: Monday', '2026-12-05T12:00:00Z', weekdays, 'Europe/Rome', '2026-12-07T08:00:00.000Z'],
    // 01:00 UTC on Saturday is still Friday 20:00 in New York, after closing.
    [
      'a day boundary in the zone',
      '2026-12-05T01:00:00Z',
      weekdays,
      'America/New_York',
      '2026-12-07T14:00:00.000Z',
    ],
    [
      'one day a week',
      '2026-12-04T10:00:00Z',
      { days: [3], opens: '14:00', closes: '15:00' },
      'Europe/Rome',
      '2026-12-09T13:00:00.000Z',
    ],
    [
      'hours with no day say nothing',
      '2026-12-05T12:00:00Z',
      { days: [], opens: '09:00', closes: '18:00' },
      'Europe/Rome',
      '2026-12-05T12:00:00.000Z',
    ],
    [
      'hours that never open say nothing',
      '2026-12-05T12:00:00Z',
      { days: [1], opens: '18:00', closes: '09:00' },
      'Europe/Rome',
      '2026-12-05T12:00:00.000Z',
    ],
  ])('%s', (_what, at, hours, zone, expected) => {
    expect(nextOpenInstant(new Date(at), hours, zone).toISOString()).toBe(expected);
  });
});
