// The marketplace's return policy (SPEC D1, D2, D7) as a pure decision: facts and an explicit clock
// in, a decision with its reason, the rule applied and the facts it rested on out.
import { addCalendarDays, type LocalDate, localDateOf, zonedInstant } from '../../platform/business-calendar';

export const returnReasonFault = {
  no_longer_needed: 'buyer',
  ordered_by_mistake: 'buyer',
  better_price_available: 'buyer',
  other: 'buyer',
  wrong_item: 'seller',
  defective: 'seller',
  damaged_in_transit: 'seller',
  missing_parts: 'seller',
  late_delivery: 'seller',
  not_as_described: 'seller',
} as const;
export type ReturnReason = keyof typeof returnReasonFault;

export type ReturnPolicySettings = {
  windowDays: number;
  /** Categories with their own window, e.g. 14 days for computers (D1: per marketplace and category). */
  categoryWindowDays: Readonly<Record<string, number>>;
  /** Items shipped between these month-days are returnable until `until` of the next year (D1). */
  holidayExtension: { shippedFrom: string; shippedTo: string; until: string } | null;
  nonReturnableCategories: readonly string[];
  /** D6: business days the seller has to refund a return that reached its warehouse. */
  sellerRefundBusinessDays: number;
};

export const DEFAULT_RETURN_POLICY: ReturnPolicySettings = {
  windowDays: 30,
  categoryWindowDays: {},
  holidayExtension: { shippedFrom: '11-01', shippedTo: '12-31', until: '01-31' },
  nonReturnableCategories: ['personalised_gifts'],
  sellerRefundBusinessDays: 2,
};

export type ReturnFacts = {
  reason: ReturnReason;
  category: string;
  productReturnable: boolean;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  marketplaceCountry: string;
  sellerHomeCountry: string;
  timeZone: string;
  /** An agent's recorded exception for a return outside the policy (D3, D7). */
  agentException: { agentId: string; note: string } | null;
};

/** Why a return was authorised or needs an agent's exception (shown to sellers as the rule). */
export const returnDecisionReasons = [
  'within_return_window',
  'holiday_extension',
  'seller_fault_always_returnable',
  'agent_exception',
  'outside_return_window',
  'not_returnable_category',
  'not_delivered_yet',
] as const;
export type ReturnDecisionReason = (typeof returnDecisionReasons)[number];

export type ReturnDecision = {
  outcome: 'authorised' | 'refused_needs_agent_exception';
  reason: ReturnDecisionReason;
  rule: string;
  fault: 'buyer' | 'seller';
  windowEndsOn: LocalDate | null;
  /** Seller-fault returns carry no shipping deductions and no restocking fee (SPEC facts). */
  deductions: { returnShipping: boolean; restockingFee: boolean };
  /** D7: a return CS authorised cannot be refused by the seller. */
  sellerMayRefuse: false;
  internationalReturn: boolean;
  facts: Record<string, string | null>;
};

/** The last local day on which the item may be returned. */
export function returnWindowEnd(
  settings: ReturnPolicySettings,
  deliveredOn: LocalDate,
  shippedOn: LocalDate | null,
  category: string | null = null,
): { end: LocalDate; extended: boolean } {
  const days = (category && settings.categoryWindowDays[category]) || settings.windowDays;
  const normal = addCalendarDays(deliveredOn, days);
  const ext = settings.holidayExtension;
  if (ext && shippedOn) {
    const year = shippedOn.slice(0, 4);
    const md = shippedOn.slice(5);
    if (md >= ext.shippedFrom && md <= ext.shippedTo) {
      const until = `${Number(year) + 1}-${ext.until}`;
      if (until > normal) return { end: until, extended: true };
    }
  }
  return { end: normal, extended: false };
}

export function decideReturn(settings: ReturnPolicySettings, f: ReturnFacts, now: Date): ReturnDecision {
  const fault = returnReasonFault[f.reason];
  const sellerFault = fault === 'seller';
  const deliveredOn = f.deliveredAt ? localDateOf(f.deliveredAt, f.timeZone) : null;
  const shippedOn = f.shippedAt ? localDateOf(f.shippedAt, f.timeZone) : null;
  const today = localDateOf(now, f.timeZone);
  const window = deliveredOn ? returnWindowEnd(settings, deliveredOn, shippedOn, f.category) : null;
  const base = {
    fault,
    windowEndsOn: window?.end ?? null,
    deductions: { returnShipping: !sellerFault, restockingFee: false },
    sellerMayRefuse: false as const,
    internationalReturn: f.sellerHomeCountry !== f.marketplaceCountry,
    facts: {
      reason: f.reason,
      deliveredOn,
      shippedOn,
      today,
      windowEndsOn: window?.end ?? null,
      category: f.category,
    },
  };
  const authorised = (reason: ReturnDecision['reason'], rule: string): ReturnDecision => ({
    ...base,
    outcome: 'authorised',
    reason,
    rule,
  });
  const refused = (reason: ReturnDecision['reason'], rule: string): ReturnDecision => ({
    ...base,
    outcome: 'refused_needs_agent_exception',
    reason,
    rule,
  });

  const nonReturnable = !f.productReturnable || settings.nonReturnableCategories.includes(f.category);
  const inWindow = window !== null && today <= window.end;
  if (f.agentException && (!inWindow || (nonReturnable && !sellerFault) || !deliveredOn)) {
    return authorised(
      'agent_exception',
      `Authorised by an agent's exception (${f.agentException.note}); the seller cannot refuse it (D7).`,
    );
  }
  if (!deliveredOn)
    return refused(
      'not_delivered_yet',
      'A return starts after delivery; an undelivered order is a cancellation or a delivery problem.',
    );
  if (nonReturnable && !sellerFault) {
    return refused(
      'not_returnable_category',
      `${f.category} items are not returnable when the buyer changes their mind.`,
    );
  }
  if (!inWindow)
    return refused(
      'outside_return_window',
      `The return window ended on ${window!.end}; only an agent's exception can authorise it.`,
    );
  if (nonReturnable && sellerFault) {
    return authorised(
      'seller_fault_always_returnable',
      'A defective, damaged or wrong item is returnable whatever its category.',
    );
  }
  if (window!.extended) {
    return authorised(
      'holiday_extension',
      `Shipped in the holiday period: returnable until ${window!.end} (D1).`,
    );
  }
  return authorised(
    'within_return_window',
    `Within ${settings.categoryWindowDays[f.category] ?? settings.windowDays} days of delivery (D1, D2: authorised automatically).`,
  );
}

/** The instant a local return window ends (end of its last day in the marketplace's zone). */
export const windowEndInstant = (end: LocalDate, timeZone: string) =>
  new Date(zonedInstant(addCalendarDays(end, 1), '00:00:00', timeZone).getTime() - 1);
