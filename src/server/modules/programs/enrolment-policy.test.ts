import { describe, expect, it } from 'vitest';
import {
  checkEligibility,
  DEFAULT_POLICY,
  decideEnrolment,
  decideWithdrawal,
  type EnrolmentPeriod,
  statusAt,
} from './enrolment-policy';

const d = (iso: string) => new Date(iso);
const good = { standing: 'good', accountType: 'professional' };
const firstPeriod: EnrolmentPeriod = {
  enrolledAt: d('2026-01-10T00:00:00Z'),
  trialEndsAt: d('2026-02-09T00:00:00Z'),
  withdrawnAt: d('2026-05-01T00:00:00Z'),
};
const secondPeriod: EnrolmentPeriod = {
  enrolledAt: d('2026-07-01T00:00:00Z'),
  trialEndsAt: null,
  withdrawnAt: null,
};

describe('eligibility says why not', () => {
  it.each([
    [good, []],
    [{ standing: 'at_risk', accountType: 'professional' }, ['account_not_in_good_standing']],
    [
      { standing: 'suspended', accountType: 'individual' },
      ['account_not_in_good_standing', 'not_a_professional_account'],
    ],
  ])('%o → %o', (seller, codes) => {
    const r = checkEligibility(seller);
    expect(r.reasons.map((x) => x.code)).toEqual(codes);
    expect(r.eligible).toBe(codes.length === 0);
  });
});

describe('status at any instant of the effective-dated history', () => {
  const history = [firstPeriod, secondPeriod];
  it.each([
    ['2026-01-01T00:00:00Z', 'not_enrolled'],
    ['2026-01-10T00:00:00Z', 'trial'],
    ['2026-02-08T23:59:59Z', 'trial'],
    ['2026-02-09T00:00:00Z', 'active'],
    ['2026-04-30T23:59:59Z', 'active'],
    ['2026-05-01T00:00:00Z', 'not_enrolled'],
    ['2026-07-01T00:00:00Z', 'active'], // re-enrolled without trial
  ])('%s → %s', (at, status) => {
    expect(statusAt(history, d(at)).status).toBe(status);
  });

  it('remembers a withdrawal', () => {
    expect(statusAt(history, d('2026-06-01T00:00:00Z'))).toEqual({
      status: 'not_enrolled',
      everEnrolled: true,
      withdrawnAt: d('2026-05-01T00:00:00Z'),
    });
  });
});

describe('enrolment', () => {
  const now = d('2026-03-01T12:00:00Z');
  it('starts a trial of the marketplace length on the first enrolment only', () => {
    expect(decideEnrolment([], DEFAULT_POLICY, good, now)).toEqual({
      allowed: true,
      trialEndsAt: d('2026-03-31T12:00:00Z'),
      reason: 'first_enrolment_with_trial',
    });
    expect(decideEnrolment([], { ...DEFAULT_POLICY, trialDays: 14 }, good, now)).toMatchObject({
      trialEndsAt: d('2026-03-15T12:00:00Z'),
    });
    expect(decideEnrolment([], { ...DEFAULT_POLICY, trialDays: 0 }, good, now)).toMatchObject({
      trialEndsAt: null,
      reason: 'first_enrolment_no_trial',
    });
    expect(decideEnrolment([firstPeriod], DEFAULT_POLICY, good, d('2026-06-01T00:00:00Z'))).toEqual({
      allowed: true,
      trialEndsAt: null,
      reason: 're_enrolment_no_trial',
    });
  });

  it('refuses an enrolled or ineligible seller, with reasons', () => {
    expect(decideEnrolment([secondPeriod], DEFAULT_POLICY, good, d('2026-08-01T00:00:00Z'))).toMatchObject({
      allowed: false,
      reason: 'already_enrolled',
    });
    const refused = decideEnrolment(
      [],
      DEFAULT_POLICY,
      { standing: 'suspended', accountType: 'professional' },
      now,
    );
    expect(refused).toMatchObject({ allowed: false, reason: 'not_eligible' });
  });

  it('allows withdrawal only while enrolled, trial included', () => {
    expect(decideWithdrawal([firstPeriod], d('2026-01-20T00:00:00Z'))).toEqual({
      allowed: true,
      reason: 'withdrawn_by_request',
    });
    expect(decideWithdrawal([firstPeriod], d('2026-06-01T00:00:00Z'))).toEqual({
      allowed: false,
      reason: 'not_enrolled',
    });
  });
});
