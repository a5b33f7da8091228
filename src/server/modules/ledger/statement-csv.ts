// A monthly statement as CSV for a spreadsheet: one line per charge or credit, amounts in major units
// with the currency's decimals, and the opening and closing balances as their own lines.
import { currencyExponent } from '../../platform/money';

type StatementLine = {
  posted_at: Date;
  amount: bigint;
  description: string;
  decision_kind: string;
  decision_id: string;
  marketplace_id: string;
};
export type Statement = {
  currency: string;
  month: string;
  opening: bigint;
  closing: bigint;
  lines: readonly StatementLine[];
};

/** Minor units as a plain decimal ("-12.34"): no grouping, a point, so every spreadsheet reads it. */
export function decimalOf(amount: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString().padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * One CSV field: quoted when it holds a separator, quote or line break; text a spreadsheet would run
 * as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe, so a description cannot execute.
 */
export function csvField(value: string, isText = true): string {
  const safe = isText && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function statementCsv(s: Statement): string {
  const row = (cells: string[]) => cells.join(',');
  const lines = [
    row(['posted_at', 'marketplace', 'amount', 'currency', 'description', 'decision_kind', 'decision_id']),
    row(['', '', decimalOf(s.opening, s.currency), s.currency, 'opening balance', '', '']),
    ...s.lines.map((l) =>
      row([
        l.posted_at.toISOString(),
        csvField(l.marketplace_id),
        decimalOf(BigInt(l.amount), s.currency),
        s.currency,
        csvField(l.description),
        csvField(l.decision_kind),
        csvField(l.decision_id),
      ]),
    ),
    row(['', '', decimalOf(s.closing, s.currency), s.currency, 'closing balance', '', '']),
  ];
  // CRLF as RFC 4180 says; a BOM so spreadsheet programs read the descriptions as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
