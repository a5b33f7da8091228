// The reimbursement policy (SPEC T1, T2) as pure decisions: whether a seller may claim a refund the
// marketplace issued, which claims the data alone prove, and what a reviewer may grant. Facts and an
// explicit clock in; a decision with its reason code, the rule applied and the facts out.
import { currencyExponent } from '../../platform/money';

export const claimReasons = [
  'item_not_returned',
  'returned_damaged_by_buyer',
  'returned_different_item',
  'delivered_not_received_with_proof',
  'returned_outside_window',
  'return_shipping_wrongly_refunded',
  'other',
] as const;
export type ClaimReason = (typeof claimReasons)[number];

export const denialReasons = [
  'evidence_insufficient',
  'buyer_not_at_fault',
  'item_returned_as_sold',
  'refund_was_due_under_policy',
  'no_reply_by_deadline',
] as const;
export type DenialReason = (typeof denialReasons)[number];

export type ClaimSettings = {
  filingWindowDays: number;
  /** Per order, in major units of the marketplace currency (T2: 5,000). */
  capMajorUnits: number;
  /** Where the buyer damaged the item, at most this share of the order value (T2: 50 %). */
  buyerDamageMaxPercent: number;
  /** An authorised return with no carrier scan this many days later proves the item never came back. */
  noReturnScanDays: number;
  replyByDays: number;
  appealByDays: number;
};

export const DEFAULT_CLAIM_SETTINGS: ClaimSettings = {
  filingWindowDays: 30,
  capMajorUnits: 5_000,
  buyerDamageMaxPercent: 50,
  noReturnScanDays: 30,
  replyByDays: 7,
  appealByDays: 30,
};

export type RefundFact = { concessionId: string; items: bigint; shipping: bigint; refundedAt: Date };

export type ClaimFacts = {
  currency: string;
  orderValue: bigint;
  /** Refunds the marketplace issued and charged to the seller. */
  marketplaceRefunds: readonly RefundFact[];
  refundedBySeller: boolean;
  alreadyClaimed: boolean;
  return: {
    authorisedAt: Date | null;
    receivedAt: Date | null;
    scanned: boolean;
    lostInTransit: boolean;
    buyerFault: boolean;
  } | null;
};

export type Problem = { code: string; message: string };
const DAY = 86_400_000;

export const capOf = (settings: ClaimSettings, currency: string): bigint =>
  BigInt(settings.capMajorUnits) * 10n ** BigInt(currencyExponent(currency));

export const refundedTotal = (f: ClaimFacts): bigint =>
  f.marketplaceRefunds.reduce((s, r) => s + r.items + r.shipping, 0n);

/** The most a claim for this reason can be worth. */
export function claimableAmount(settings: ClaimSettings, f: ClaimFacts, reason: ClaimReason): bigint {
  let max = refundedTotal(f);
  const cap = capOf(settings, f.currency);
  if (max > cap) max = cap;
  if (reason === 'returned_damaged_by_buyer') {
    const share = (f.orderValue * BigInt(settings.buyerDamageMaxPercent)) / 100n;
    if (max > share) max = share;
  }
  if (reason === 'return_shipping_wrongly_refunded') {
    const shipping = f.marketplaceRefunds.reduce((s, r) => s + r.shipping, 0n);
    if (max > shipping) max = shipping;
  }
  return max;
}

/** The filing window runs from the later of the (last) refund and the return's delivery. */
export function filingWindowEnd(settings: ClaimSettings, f: ClaimFacts): Date | null {
  const times = [
    ...f.marketplaceRefunds.map((r) => r.refundedAt.getTime()),
    f.return?.receivedAt?.getTime() ?? 0,
  ];
  if (f.marketplaceRefunds.length === 0) return null;
  return new Date(Math.max(...times) + settings.filingWindowDays * DAY);
}

export type Eligibility = {
  eligible: boolean;
  problems: Problem[];
  maxAmount: bigint;
  windowEndsAt: Date | null;
};

export function claimEligibility(
  settings: ClaimSettings,
  f: ClaimFacts,
  reason: ClaimReason,
  requested: bigint | null,
  now: Date,
): Eligibility {
  const problems: Problem[] = [];
  const windowEndsAt = filingWindowEnd(settings, f);
  const maxAmount = claimableAmount(settings, f, reason);
  if (f.marketplaceRefunds.length === 0) {
    problems.push(
      f.refundedBySeller
        ? {
            code: 'refunded_by_seller',
            message: 'You refunded this order yourself; only refunds the marketplace issued can be claimed.',
          }
        : {
            code: 'not_refunded_by_marketplace',
            message: 'The marketplace has not refunded this order, so there is nothing to reimburse.',
          },
    );
  }
  if (f.alreadyClaimed)
    problems.push({
      code: 'already_claimed',
      message: 'This order already has a claim; one claim per order.',
    });
  if (windowEndsAt && now > windowEndsAt) {
    problems.push({
      code: 'past_filing_window',
      message: `Claims had to be filed within ${settings.filingWindowDays} days of the later of the refund and the return's delivery, by ${windowEndsAt.toISOString()}.`,
    });
  }
  if (f.return?.lostInTransit) {
    problems.push({
      code: 'carrier_claim_instead',
      message: 'The return was lost in transit: claim from the return carrier instead.',
    });
  }
  const cap = capOf(settings, f.currency);
  if (requested !== null && requested > cap) {
    problems.push({
      code: 'over_cap',
      message: `Claims are capped at ${settings.capMajorUnits} ${f.currency} per order.`,
    });
  } else if (requested !== null && requested > maxAmount && f.marketplaceRefunds.length > 0) {
    problems.push({
      code: 'exceeds_claimable',
      message:
        reason === 'returned_damaged_by_buyer'
          ? `Where the buyer damaged the item at most ${settings.buyerDamageMaxPercent} % of the order value can be reimbursed: ${maxAmount}.`
          : `At most ${maxAmount} (minor units) can be claimed for this reason.`,
    });
  }
  if (maxAmount === 0n && f.marketplaceRefunds.length > 0) {
    problems.push({
      code: 'nothing_to_claim',
      message:
        reason === 'return_shipping_wrongly_refunded'
          ? 'No return shipping was refunded on this order.'
          : 'Nothing on this order can be claimed for this reason.',
    });
  }
  return { eligible: problems.length === 0, problems, maxAmount, windowEndsAt };
}

export type AutomaticGrant = { amount: bigint; rule: string; explanation: string };

/** Claims the data prove on their own are granted at once; the rest go to a reviewer. */
export function automaticGrant(
  settings: ClaimSettings,
  f: ClaimFacts,
  reason: ClaimReason,
  requested: bigint,
  now: Date,
): AutomaticGrant | null {
  const r = f.return;
  if (
    reason === 'item_not_returned' &&
    r?.authorisedAt &&
    !r.scanned &&
    !r.receivedAt &&
    now.getTime() >= r.authorisedAt.getTime() + settings.noReturnScanDays * DAY
  ) {
    return {
      amount: requested,
      rule: 'no_return_scan_after_authorisation',
      explanation: `The return was authorised on ${r.authorisedAt.toISOString().slice(0, 10)} and the carrier has not scanned it in ${settings.noReturnScanDays} days.`,
    };
  }
  if (reason === 'return_shipping_wrongly_refunded' && r?.buyerFault) {
    return {
      amount: requested,
      rule: 'buyer_fault_return_shipping_refunded',
      explanation:
        'The return reason was the buyer’s (no longer needed, ordered by mistake…), so its shipping was not the seller’s to refund.',
    };
  }
  return null;
}

export type ReviewOutcome = 'grant' | 'partial' | 'deny';

/** What a reviewer may decide: a full grant pays what was claimed, a partial one less, a denial a reason. */
export function checkReview(
  settings: ClaimSettings,
  f: ClaimFacts,
  claim: { reason: ClaimReason; requested: bigint; alreadyGranted: bigint },
  decision: { outcome: ReviewOutcome; amount: bigint | null; denialReason: DenialReason | null },
): { total: bigint; problems: Problem[] } {
  const max = claimableAmount(settings, f, claim.reason);
  // biome-ignore lint/complexity/useMathMinMax: amounts are bigints, which Math.min does not take
  const ceiling = claim.requested < max ? claim.requested : max;
  const problems: Problem[] = [];
  if (decision.outcome === 'deny') {
    if (!decision.denialReason)
      problems.push({ code: 'denial_reason_required', message: 'A denial needs a reason.' });
    return { total: claim.alreadyGranted, problems };
  }
  const total = decision.outcome === 'grant' ? ceiling : (decision.amount ?? 0n);
  if (decision.outcome === 'partial') {
    if (decision.amount === null || decision.amount <= 0n)
      problems.push({ code: 'amount_required', message: 'A partial grant needs an amount above zero.' });
    else if (decision.amount >= ceiling)
      problems.push({
        code: 'exceeds_claimable',
        message:
          claim.reason === 'returned_damaged_by_buyer' && ceiling === max
            ? `Where the buyer damaged the item at most ${settings.buyerDamageMaxPercent} % of the order value, ${max}, can be granted; a partial grant is less than that.`
            : `A partial grant is less than ${ceiling}; grant in full instead.`,
      });
  }
  if (total < claim.alreadyGranted)
    problems.push({
      code: 'below_granted',
      message: `${claim.alreadyGranted} was already granted; an appeal cannot take it back.`,
    });
  return { total, problems };
}
