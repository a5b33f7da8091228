// Money is an integer count of the currency's minor units (cents) with its ISO 4217 code.
export type Money = { readonly amount: bigint; readonly currency: string };

// Minor-unit exponents of the currencies the platform accepts; others are rejected, not guessed.
const EXPONENT: Record<string, number> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CHF: 2,
  SEK: 2,
  PLN: 2,
  CAD: 2,
  AUD: 2,
  CNY: 2,
  MXN: 2,
  BRL: 2,
  JPY: 0,
  INR: 2,
  TRY: 2,
};

export const isSupportedCurrency = (code: string): boolean => code in EXPONENT;

export function currencyExponent(currency: string): number {
  const e = EXPONENT[currency];
  if (e === undefined) throw new RangeError(`Unsupported currency ${currency}`);
  return e;
}

export const money = (amount: bigint | number, currency: string): Money => ({
  amount: BigInt(amount),
  currency,
});

function same(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new RangeError(`Currency mismatch: ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  same(a, b);
  return money(a.amount + b.amount, a.currency);
}
export function subtract(a: Money, b: Money): Money {
  same(a, b);
  return money(a.amount - b.amount, a.currency);
}
export const multiply = (a: Money, units: number | bigint): Money =>
  money(a.amount * BigInt(units), a.currency);
export const isNegative = (a: Money): boolean => a.amount < 0n;

/** Percentage of an amount, rounded half away from zero to whole minor units. */
export function percentOf(a: Money, percent: number): Money {
  const basisPoints = BigInt(Math.round(percent * 100));
  const scaled = a.amount * basisPoints;
  const q = scaled / 10_000n;
  const r = scaled % 10_000n;
  const rounded = r * 2n >= 10_000n ? q + 1n : r * 2n <= -10_000n ? q - 1n : q;
  return money(rounded, a.currency);
}

/** Formats for people, e.g. `19,99 €` in it-IT and `$19.99` in en-US. */
export function formatMoney(a: Money, locale: string): string {
  const exponent = currencyExponent(a.currency);
  const negative = a.amount < 0n;
  const abs = negative ? -a.amount : a.amount;
  const divisor = 10n ** BigInt(exponent);
  // Format integer and fraction separately so amounts beyond 2^53 stay exact.
  const whole = abs / divisor;
  const fraction = (abs % divisor).toString().padStart(exponent, '0');
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency: a.currency });
  const parts = nf.formatToParts(negative ? -1.5 : 1.5);
  return parts
    .map((p) => {
      if (p.type === 'integer') return new Intl.NumberFormat(locale, { useGrouping: true }).format(whole);
      if (p.type === 'fraction') return fraction;
      if (p.type === 'decimal' && exponent === 0) return '';
      return p.value;
    })
    .join('');
}

/**
 * An amount as it goes into any payload (HTTP, webhook, stored JSON): a JSON integer of minor units,
 * as the OpenAPI document says. Amounts are capped far below 2^53 at the edge, so this is exact.
 */
export function minorUnits(amount: bigint): number {
  const n = Number(amount);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Amount ${amount} is beyond a JSON integer`);
  return n;
}

/** A copy of `value` with every bigint in it (amounts) as a JSON integer: what JSON.stringify can send. */
export function withJsonAmounts<T>(value: T): T {
  if (typeof value === 'bigint') return minorUnits(value) as T;
  if (Array.isArray(value)) return value.map(withJsonAmounts) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withJsonAmounts(v)])) as T;
  return value;
}
