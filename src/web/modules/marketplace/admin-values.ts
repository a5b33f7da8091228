// Pure helpers of the admin pages: effective dates in the marketplace's own time zone, and amounts
// typed in major units turned into the API's integer minor units (no floating point on the way).

/** Milliseconds the zone is ahead of UTC at `instant`. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The instant a calendar day (`2026-01-01`) begins in `timeZone`, e.g. midnight in Rome, as ISO. */
export function startOfDayIn(isoDate: string, timeZone: string): string {
  const m = DATE.exec(isoDate);
  if (!m) throw new Error(`not a date: ${isoDate}`);
  const wallClock = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes: the offset at the guess can differ from the offset at the answer (DST days).
  let instant = wallClock - zoneOffsetMs(wallClock, timeZone);
  instant = wallClock - zoneOffsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The calendar day `instant` falls on in `timeZone`, as `YYYY-MM-DD`. */
export function dayIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The first day of the month after `now`'s month, in `timeZone`. */
export function firstOfNextMonthIn(now: Date, timeZone: string): string {
  const [y, m] = dayIn(now, timeZone).split('-').map(Number) as [number, number];
  const next = m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 };
  return `${next.y}-${String(next.m).padStart(2, '0')}-01`;
}

/**
 * When a change takes effect: today (or no date) means now; another day means its start in the
 * marketplace's zone. Days before today are refused: a policy is changed going forward.
 */
export function effectiveInstant(
  isoDate: string,
  timeZone: string,
  now: Date,
): { ok: true; at: string } | { ok: false; reason: 'not_a_date' | 'in_the_past' } {
  if (isoDate === '' || isoDate === dayIn(now, timeZone)) return { ok: true, at: now.toISOString() };
  if (!DATE.test(isoDate)) return { ok: false, reason: 'not_a_date' };
  if (isoDate < dayIn(now, timeZone)) return { ok: false, reason: 'in_the_past' };
  return { ok: true, at: startOfDayIn(isoDate, timeZone) };
}

/** The number of minor-unit digits of a currency (EUR 2, JPY 0). */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** "150", "150.5", "150,50" in major units → minor units; null when it is not such an amount. */
export function toMinorUnits(typed: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const text = typed.trim().replace(',', '.');
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return null;
  const minor = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

/** Minor units → the plain major-unit text an input shows ("150.00"). */
export function toMajorText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const scale = 10 ** digits;
  return `${Math.floor(minor / scale)}.${String(minor % scale).padStart(digits, '0')}`;
}
