// Business-day arithmetic for a marketplace: its time zone, weekend and public holidays.
// Pure: dates in, dates out. Local dates are 'YYYY-MM-DD' strings in the marketplace's zone.

export type BusinessCalendar = {
  timeZone: string;
  /** ISO weekday numbers, 1 = Monday … 7 = Sunday. */
  weekendDays: readonly number[];
  holidays: ReadonlySet<string>;
};

export type LocalDate = string;

const DAY_MS = 86_400_000;

function toUtcMidnight(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

const fromUtcMidnight = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

export const addCalendarDays = (date: LocalDate, days: number): LocalDate =>
  fromUtcMidnight(toUtcMidnight(date) + days * DAY_MS);

/** ISO weekday of a local date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const day = new Date(toUtcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

export function isBusinessDay(calendar: BusinessCalendar, date: LocalDate): boolean {
  return !calendar.weekendDays.includes(isoWeekday(date)) && !calendar.holidays.has(date);
}

// Creating an Intl.DateTimeFormat costs far more than formatting with one (≈ 0.1 ms against a few
// µs), and the bot reads "today" for every message: each shape keeps one formatter per zone.
function perZone(make: (timeZone: string) => Intl.DateTimeFormat) {
  const made = new Map<string, Intl.DateTimeFormat>();
  return (timeZone: string) => {
    let f = made.get(timeZone);
    if (!f) {
      f = make(timeZone);
      made.set(timeZone, f);
    }
    return f;
  };
}

// en-CA formats as YYYY-MM-DD.
const dayFormat = perZone(
  (timeZone) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
);
const wallClockFormat = perZone(
  (timeZone) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }),
);

/** The local date of an instant in a time zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return dayFormat(timeZone).format(instant);
}

/** Offset of a zone from UTC at an instant, in milliseconds (positive east of Greenwich). */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = wallClockFormat(timeZone).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant at which a local wall-clock time occurs in a zone (DST gaps resolve forward). */
export function zonedInstant(date: LocalDate, time: string, timeZone: string): Date {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number?];
  const wall = toUtcMidnight(date) + ((h * 60 + m) * 60 + (s ?? 0)) * 1000;
  let guess = wall - zoneOffsetMs(new Date(wall), timeZone);
  guess = wall - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** The n-th business day after a local date (n ≥ 0; n = 0 is the date itself if it is a business day, else the next). */
export function addBusinessDays(calendar: BusinessCalendar, date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('n must be a non-negative integer');
  let current = date;
  if (n === 0) {
    while (!isBusinessDay(calendar, current)) current = addCalendarDays(current, 1);
    return current;
  }
  let remaining = n;
  while (remaining > 0) {
    current = addCalendarDays(current, 1);
    if (isBusinessDay(calendar, current)) remaining--;
  }
  return current;
}

/**
 * Deadline "n business days after" an event: the end (23:59:59.999 local) of the n-th business
 * day after the local date on which the event happened.
 */
export function businessDeadline(calendar: BusinessCalendar, event: Date, n: number): Date {
  const due = addBusinessDays(calendar, localDateOf(event, calendar.timeZone), n);
  return new Date(zonedInstant(addCalendarDays(due, 1), '00:00:00', calendar.timeZone).getTime() - 1);
}

/** Business days strictly after `from` up to and including `to` (local dates). */
export function businessDaysBetween(calendar: BusinessCalendar, from: LocalDate, to: LocalDate): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) {
    if (isBusinessDay(calendar, d)) count++;
  }
  return count;
}

/** Opening hours: ISO weekdays (1 = Monday) and local wall-clock times, in a zone given apart. */
export type OpeningHours = { days: number[]; opens: string; closes: string };

/**
 * The earliest instant at or after `at` inside the opening hours: `at` itself when open, else the next
 * opening. Hours with no day, or that never open, leave `at` as it is (they say nothing usable).
 */
export function nextOpenInstant(at: Date, hours: OpeningHours, timeZone: string): Date {
  const today = localDateOf(at, timeZone);
  for (let i = 0; i <= 7; i++) {
    const date = addCalendarDays(today, i);
    if (!hours.days.includes(isoWeekday(date))) continue;
    const opens = zonedInstant(date, hours.opens, timeZone);
    const closes = zonedInstant(date, hours.closes, timeZone);
    if (closes <= opens || at >= closes) continue;
    return at > opens ? at : opens;
  }
  return at;
}
