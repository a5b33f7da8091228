// Pure decisions of the managed-service programme: eligibility, the status at an instant, and
// whether an enrolment or withdrawal may happen now — each with a reason code.

export type EnrolmentPeriod = { enrolledAt: Date; trialEndsAt: Date | null; withdrawnAt: Date | null };
export type ProgramPolicy = { trialDays: number; autoEnrolNewSellers: boolean };
export type SellerFacts = { standing: string; accountType: string };

export type ServiceStatus =
  | { status: 'trial'; since: Date; trialEndsAt: Date }
  | { status: 'active'; since: Date }
  | { status: 'not_enrolled'; everEnrolled: boolean; withdrawnAt: Date | null };

export type Reason = { code: string; message: string };

/** SPEC P3: a professional account in good standing may enrol. */
export function checkEligibility(seller: SellerFacts): { eligible: boolean; reasons: Reason[] } {
  const reasons: Reason[] = [];
  if (seller.standing !== 'good') {
    reasons.push({
      code: 'account_not_in_good_standing',
      message: `The account is ${seller.standing.replace('_', ' ')}, not in good standing`,
    });
  }
  if (seller.accountType !== 'professional') {
    reasons.push({
      code: 'not_a_professional_account',
      message: 'The managed service needs a professional selling account',
    });
  }
  return { eligible: reasons.length === 0, reasons };
}

/** The programme status at an instant, from the seller's enrolment periods in one marketplace. */
export function statusAt(periods: readonly EnrolmentPeriod[], at: Date): ServiceStatus {
  const t = at.getTime();
  const current = periods.find(
    (p) => p.enrolledAt.getTime() <= t && (p.withdrawnAt === null || p.withdrawnAt.getTime() > t),
  );
  if (current) {
    if (current.trialEndsAt && t < current.trialEndsAt.getTime()) {
      return { status: 'trial', since: current.enrolledAt, trialEndsAt: current.trialEndsAt };
    }
    return { status: 'active', since: current.trialEndsAt ?? current.enrolledAt };
  }
  const past = periods.filter((p) => p.enrolledAt.getTime() <= t);
  const lastWithdrawal = past
    .map((p) => p.withdrawnAt)
    .filter((w): w is Date => w !== null && w.getTime() <= t)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return { status: 'not_enrolled', everEnrolled: past.length > 0, withdrawnAt: lastWithdrawal ?? null };
}

export type ContactStatus = 'trial' | 'active' | 'withdrawn' | 'not_enrolled';

/** What routing needs of the programme status at an instant: a seller who left is told from one never in. */
export function contactStatusAt(periods: readonly EnrolmentPeriod[], at: Date): ContactStatus {
  const status = statusAt(periods, at);
  if (status.status === 'not_enrolled') return status.everEnrolled ? 'withdrawn' : 'not_enrolled';
  return status.status;
}

export type EnrolmentDecision =
  | {
      allowed: true;
      trialEndsAt: Date | null;
      reason: 'first_enrolment_with_trial' | 'first_enrolment_no_trial' | 're_enrolment_no_trial';
    }
  | { allowed: false; reason: 'already_enrolled' | 'not_eligible'; reasons: Reason[] };

/** SPEC P2, P5: the first enrolment starts a trial; a seller gets one trial only. */
export function decideEnrolment(
  periods: readonly EnrolmentPeriod[],
  policy: ProgramPolicy,
  seller: SellerFacts,
  now: Date,
): EnrolmentDecision {
  if (statusAt(periods, now).status !== 'not_enrolled') {
    return {
      allowed: false,
      reason: 'already_enrolled',
      reasons: [{ code: 'already_enrolled', message: 'Already enrolled' }],
    };
  }
  const eligibility = checkEligibility(seller);
  if (!eligibility.eligible) return { allowed: false, reason: 'not_eligible', reasons: eligibility.reasons };
  if (periods.length > 0) return { allowed: true, trialEndsAt: null, reason: 're_enrolment_no_trial' };
  if (policy.trialDays === 0) return { allowed: true, trialEndsAt: null, reason: 'first_enrolment_no_trial' };
  return {
    allowed: true,
    trialEndsAt: new Date(now.getTime() + policy.trialDays * 86_400_000),
    reason: 'first_enrolment_with_trial',
  };
}

/** SPEC P5: a seller can withdraw at any time while enrolled. */
export function decideWithdrawal(
  periods: readonly EnrolmentPeriod[],
  now: Date,
): { allowed: boolean; reason: string } {
  return statusAt(periods, now).status === 'not_enrolled'
    ? { allowed: false, reason: 'not_enrolled' }
    : { allowed: true, reason: 'withdrawn_by_request' };
}

export const DEFAULT_POLICY: ProgramPolicy = { trialDays: 30, autoEnrolNewSellers: false };
