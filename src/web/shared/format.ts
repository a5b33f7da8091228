import i18next from 'i18next';

// Money and time for people: Intl in the page's language. Money arrives as integer minor units
// (the API's bigint amounts, as numbers or strings) with its currency.

const currentLanguage = () => i18next.language || 'en';

/** 4497 EUR → "44,97 €" (it) / "€44.97" (en); exact for any size (no float for the units). */
export function formatMoney(
  minor: number | string | bigint,
  currency: string,
  language = currentLanguage(),
): string {
  const format = new Intl.NumberFormat(language, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(digits);
  // Intl formats a decimal string exactly (no binary rounding).
  const decimal = `${negative ? '-' : ''}${abs / scale}${digits > 0 ? `.${(abs % scale).toString().padStart(digits, '0')}` : ''}`;
  return format.format(decimal as unknown as number);
}

export function formatDateTime(iso: string | Date, language = currentLanguage(), timeZone?: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

/** A calendar date (`2026-03-06`) as the day it names, whatever the browser's time zone. */
export function formatDate(isoDate: string, language = currentLanguage()): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(isoDate) ? new Date(`${isoDate}T12:00:00Z`) : new Date(isoDate);
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(day);
}

/** `it` → "Italian" (en) / "italiano" (it); a code Intl does not know is shown as it came. */
export function formatLanguageName(code: string, language = currentLanguage()): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'language', fallback: 'none' }).of(code);
    return name ?? code;
  } catch {
    return code;
  }
}

export function formatTime(iso: string | Date, language = currentLanguage()): string {
  return new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(new Date(iso));
}

/** "in 3 hours", "5 minutes ago" — for SLA countdowns. */
export function formatRelative(
  iso: string | Date,
  now: Date = new Date(),
  language = currentLanguage(),
): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}
