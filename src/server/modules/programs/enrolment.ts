// Use cases of the managed-service programme: load → decide → save, inside the caller's transaction.
import type { Db } from '../../platform/db';
import { AppError, notFound } from '../../platform/errors';
import { cancelTimer, scheduleTimer } from '../../platform/timers';
import {
  type ContactStatus,
  checkEligibility,
  contactStatusAt,
  decideEnrolment,
  decideWithdrawal,
  type ServiceStatus,
  statusAt,
} from './enrolment-policy';
import {
  closeOpenEnrolment,
  insertEnrolment,
  marketplaceIds,
  periodsOf,
  policyAt,
  premiumMarketplacesAt,
  sellerFacts,
  sellersNeverEnrolled,
} from './programs.repository';

export const MANAGED_SERVICE = {
  id: 'managed-customer-service',
  name: 'Customer service by the marketplace',
  description:
    "The marketplace's customer service answers your buyers' post-order questions about the orders you ship " +
    'yourself — chat, e-mail and phone, in every language of the marketplace — decides returns and refunds under ' +
    'policy, and asks you in the case log only when it must. A per-unit fee applies after the free trial.',
};

export async function enrol(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  by: 'seller' | 'admin' | 'automatic',
  now: Date,
) {
  const facts = await sellerFacts(db, sellerId);
  if (!facts) throw notFound('Seller');
  const periods = await periodsOf(db, sellerId, marketplaceId, true);
  const decision = decideEnrolment(periods, await policyAt(db, marketplaceId, now), facts, now);
  if (!decision.allowed) {
    throw new AppError(
      decision.reason === 'already_enrolled' ? 'conflict' : 'forbidden',
      decision.reasons.map((r) => r.message).join('; '),
      decision.reasons.map((r) => ({ path: '', code: r.code, message: r.message })),
    );
  }
  await insertEnrolment(db, {
    sellerId,
    marketplaceId,
    enrolledAt: now,
    trialEndsAt: decision.trialEndsAt,
    enrolledBy: by,
  });
  if (decision.trialEndsAt) {
    // P2: the trial's end is a durable timer that tells the seller the paid service has begun.
    await scheduleTimer(db, 'notify_seller', trialTimerRef(sellerId, marketplaceId), decision.trialEndsAt, {
      sellerId,
      category: 'programme',
      template: 'trial_ended',
      data: { marketplace: marketplaceId, trialEndsAt: decision.trialEndsAt.toISOString() },
    });
  }
  return { reason: decision.reason, status: statusAt(await periodsOf(db, sellerId, marketplaceId), now) };
}

export async function withdraw(db: Db, sellerId: string, marketplaceId: string, now: Date) {
  const periods = await periodsOf(db, sellerId, marketplaceId, true);
  const decision = decideWithdrawal(periods, now);
  if (!decision.allowed) throw new AppError('conflict', 'Not enrolled in this marketplace');
  await closeOpenEnrolment(db, sellerId, marketplaceId, now);
  await cancelTimer(db, 'notify_seller', trialTimerRef(sellerId, marketplaceId));
  return { reason: decision.reason, status: statusAt(await periodsOf(db, sellerId, marketplaceId), now) };
}

const trialTimerRef = (sellerId: string, marketplaceId: string) => `trial_end:${sellerId}:${marketplaceId}`;

export type ServiceView = { marketplace: string; status: ServiceStatus; premium: boolean };

/** "Your services": the programme status in every marketplace at an instant (now, or in the past). */
export async function servicesOf(db: Db, sellerId: string, at: Date): Promise<ServiceView[]> {
  const premium = await premiumMarketplacesAt(db, sellerId, at);
  const out: ServiceView[] = [];
  for (const marketplace of await marketplaceIds(db)) {
    out.push({
      marketplace,
      status: statusAt(await periodsOf(db, sellerId, marketplace), at),
      premium: premium.has(marketplace),
    });
  }
  return out;
}

export async function eligibilityOf(db: Db, sellerId: string) {
  const facts = await sellerFacts(db, sellerId);
  if (!facts) throw notFound('Seller');
  return checkEligibility(facts);
}

/**
 * SPEC P4: in marketplaces whose policy enrols new sellers automatically, enrol eligible sellers
 * created since `since` that were never enrolled there. Idempotent; returns how many were enrolled.
 */
export async function autoEnrolNewSellers(db: Db, since: Date, now: Date): Promise<number> {
  let enrolled = 0;
  for (const marketplace of await marketplaceIds(db)) {
    if (!(await policyAt(db, marketplace, now)).autoEnrolNewSellers) continue;
    for (const sellerId of await sellersNeverEnrolled(db, marketplace, since)) {
      const facts = await sellerFacts(db, sellerId);
      if (!facts || !checkEligibility(facts).eligible) continue;
      await enrol(db, sellerId, marketplace, 'automatic', now);
      enrolled++;
    }
  }
  return enrolled;
}

/** The seller's managed-service status when a contact was opened: trial, active, withdrawn or not enrolled. */
export async function sellerStatusAt(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  at: Date,
): Promise<ContactStatus> {
  return contactStatusAt(await periodsOf(db, sellerId, marketplaceId), at);
}
