// Time left on a case's SLA, as the queue shows it: pure, with the clock passed in.
export type TimeLeft = { breached: boolean; text: string } | null;

/** "1 h 05 min", "4 min 09 s", "12 s": the two largest units, enough to act on. */
export function duration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${sec} s`;
}

export function timeLeft(dueAt: string | null, now: number): TimeLeft {
  if (!dueAt) return null;
  const ms = Date.parse(dueAt) - now;
  return { breached: ms < 0, text: duration(ms) };
}

/** The case's due time: the next response once the first was given, else the first. */
export const dueOf = (c: { nextResponseDueAt: string | null; firstResponseDueAt: string | null }) =>
  c.nextResponseDueAt ?? c.firstResponseDueAt;

export { formatMoney } from '../../shared/format';

export const formatTime = (iso: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));

/** An amount typed in the currency's units ("12,50") in minor units (1250), or NaN. */
export function toMinor(text: string, currency: string) {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(Number(text.trim().replace(',', '.')) * 10 ** digits);
}
