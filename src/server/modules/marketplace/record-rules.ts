// Pure checks on a record that go beyond its schema: totals, currency, consistency with the
// marketplace. Each problem names the field and a stable code.
import type {
  MarketplaceRecord,
  OrderRecord,
  ProductRecord,
  ReturnRecord,
} from '../../../contracts/marketplace-records';
import type { ErrorDetail } from '../../platform/errors';
import { isSupportedCurrency } from '../../platform/money';

export type MarketplaceFacts = { id: string; currency: string; languages: readonly string[] };

const problem = (path: string, code: string, message: string): ErrorDetail => ({ path, code, message });

function duplicates<T>(items: readonly T[], key: (t: T) => string): number[] {
  const seen = new Set<string>();
  const dup: number[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) dup.push(i);
    seen.add(k);
  });
  return dup;
}

export function checkMarketplace(r: MarketplaceRecord): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (!isSupportedCurrency(r.currency))
    errors.push(problem('currency', 'unsupported_currency', `${r.currency} is not supported`));
  if (!r.languages.includes(r.defaultLanguage)) {
    errors.push(problem('defaultLanguage', 'not_in_languages', 'defaultLanguage must be one of languages'));
  }
  for (const i of duplicates(r.holidays ?? [], (h) => h.day)) {
    errors.push(problem(`holidays.${i}.day`, 'duplicate', 'the same day is listed twice'));
  }
  return errors;
}

export function checkProduct(
  r: ProductRecord,
  marketplaces: ReadonlyMap<string, MarketplaceFacts>,
): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  r.pages.forEach((page, i) => {
    const m = marketplaces.get(page.marketplace);
    if (!m)
      errors.push(
        problem(`pages.${i}.marketplace`, 'unknown_reference', `no marketplace ${page.marketplace}`),
      );
    else if (!m.languages.includes(page.language)) {
      errors.push(
        problem(
          `pages.${i}.language`,
          'not_in_languages',
          `${page.marketplace} sells in ${m.languages.join(', ')}`,
        ),
      );
    }
  });
  for (const i of duplicates(r.pages, (p) => `${p.marketplace}/${p.language}`)) {
    errors.push(problem(`pages.${i}`, 'duplicate', 'one page per marketplace and language'));
  }
  return errors;
}

export function checkOrder(
  r: OrderRecord,
  marketplaces: ReadonlyMap<string, MarketplaceFacts>,
): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const m = marketplaces.get(r.marketplace);
  if (!m) errors.push(problem('marketplace', 'unknown_reference', `no marketplace ${r.marketplace}`));
  else if (r.currency !== m.currency) {
    errors.push(
      problem('currency', 'currency_mismatch', `${r.marketplace} sells in ${m.currency}, not ${r.currency}`),
    );
  }
  for (const i of duplicates(r.lines, (l) => String(l.lineNo))) {
    errors.push(problem(`lines.${i}.lineNo`, 'duplicate', 'line numbers must be unique'));
  }
  const itemsTotal = r.lines.reduce((sum, l) => sum + BigInt(l.units) * BigInt(l.unitPrice), 0n);
  if (itemsTotal !== BigInt(r.itemsTotal)) {
    errors.push(
      problem('itemsTotal', 'totals_mismatch', `lines add up to ${itemsTotal}, not ${r.itemsTotal}`),
    );
  }
  if (BigInt(r.itemsTotal) + BigInt(r.shippingCharge) !== BigInt(r.orderTotal)) {
    errors.push(
      problem('orderTotal', 'totals_mismatch', 'orderTotal must equal itemsTotal + shippingCharge'),
    );
  }
  if (r.promisedDeliveryDate && r.promisedDeliveryDate < r.orderedAt.slice(0, 10)) {
    errors.push(
      problem('promisedDeliveryDate', 'before_order', 'promised delivery is before the order date'),
    );
  }
  return errors;
}

/** Checks a return against the lines of its order (line number → units ordered). */
export function checkReturn(r: ReturnRecord, orderedUnits: ReadonlyMap<number, number>): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  if (r.authorisation === 'authorised' && !r.authorisedAt) {
    errors.push(problem('authorisedAt', 'required', 'an authorised return needs authorisedAt'));
  }
  if (r.receivedAt && Date.parse(r.receivedAt) < Date.parse(r.requestedAt)) {
    errors.push(problem('receivedAt', 'before_request', 'received before it was requested'));
  }
  if (r.refundedAt && Date.parse(r.refundedAt) < Date.parse(r.requestedAt)) {
    errors.push(problem('refundedAt', 'before_request', 'refunded before it was requested'));
  }
  for (const i of duplicates(r.lines, (l) => String(l.lineNo))) {
    errors.push(problem(`lines.${i}.lineNo`, 'duplicate', 'line numbers must be unique'));
  }
  r.lines.forEach((line, i) => {
    const ordered = orderedUnits.get(line.lineNo);
    if (ordered === undefined)
      errors.push(problem(`lines.${i}.lineNo`, 'unknown_reference', `the order has no line ${line.lineNo}`));
    else if (line.units > ordered) {
      errors.push(problem(`lines.${i}.units`, 'exceeds_ordered', `only ${ordered} units were ordered`));
    }
  });
  return errors;
}

/**
 * The fields that say what a record belongs to. Cases, refunds and claims point at the record, so
 * once it is stored they never change: a change would move its history to another seller or buyer.
 */
export const identityFields = {
  order: ['marketplace', 'sellerExternalId', 'buyerExternalId', 'currency'],
  product: ['sellerExternalId'],
  shipment: ['orderExternalId'],
  return: ['orderExternalId'],
} as const;
export type IdentityType = keyof typeof identityFields;
export type StoredIdentity = Readonly<Record<string, string>>;

/** Compares a record sent again with what its stored version belongs to (nothing stored: nothing to compare). */
export function checkIdentity(
  type: IdentityType,
  record: Readonly<Record<string, unknown>>,
  stored: StoredIdentity | undefined,
): ErrorDetail[] {
  if (!stored) return [];
  return identityFields[type]
    .filter((field) => record[field] !== stored[field])
    .map((field) =>
      problem(
        field,
        'immutable_field',
        `${field} is ${stored[field]} and cannot change (sent ${record[field]})`,
      ),
    );
}

/** The overall error code for a rejected record: the most specific one of its problems. */
export function rejectionCode(details: readonly ErrorDetail[]) {
  const codes = new Set(details.map((d) => d.code));
  if (codes.has('immutable_field')) return 'immutable_field' as const;
  if (codes.has('unknown_reference')) return 'unknown_reference' as const;
  if (codes.has('currency_mismatch')) return 'currency_mismatch' as const;
  if (codes.has('totals_mismatch')) return 'totals_mismatch' as const;
  return 'validation_failed' as const;
}
