import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { DEFAULT_POLICY, type EnrolmentPeriod, type ProgramPolicy } from './enrolment-policy';

/** The policy in force at an instant: the latest one not in the future, else the defaults. */
export async function policyAt(db: Db, marketplaceId: string, at: Date): Promise<ProgramPolicy> {
  const r = await sql<{ trial_days: number; auto_enrol_new_sellers: boolean }>`
    select trial_days, auto_enrol_new_sellers from program_policy
    where marketplace_id = ${marketplaceId} and effective_from <= ${at}
    order by effective_from desc limit 1`.execute(db);
  const row = r.rows[0];
  return row
    ? { trialDays: row.trial_days, autoEnrolNewSellers: row.auto_enrol_new_sellers }
    : DEFAULT_POLICY;
}

export async function insertPolicy(
  db: Db,
  marketplaceId: string,
  from: Date,
  policy: ProgramPolicy,
): Promise<void> {
  await sql`insert into program_policy (marketplace_id, effective_from, trial_days, auto_enrol_new_sellers)
    values (${marketplaceId}, ${from}, ${policy.trialDays}, ${policy.autoEnrolNewSellers})
    on conflict (marketplace_id, effective_from) do update
      set trial_days = excluded.trial_days, auto_enrol_new_sellers = excluded.auto_enrol_new_sellers`.execute(
    db,
  );
}

/**
 * The seller's enrolment periods in a marketplace as one JSON column (epoch milliseconds, oldest
 * first), for a caller that reads them in its own statement; `periodsFromColumn` turns it back. The
 * seller and marketplace are SQL expressions of that statement (e.g. columns of its order).
 */
export function enrolmentPeriodsColumn(sellerId: RawBuilder<unknown>, marketplaceId: RawBuilder<unknown>) {
  return sql<PeriodsColumn>`(select coalesce(json_agg(json_build_array(
      floor(extract(epoch from e.enrolled_at) * 1000), floor(extract(epoch from e.trial_ends_at) * 1000),
      floor(extract(epoch from e.withdrawn_at) * 1000)) order by e.enrolled_at), '[]')
    from service_enrolment e where e.seller_id = ${sellerId} and e.marketplace_id = ${marketplaceId})`;
}

export type PeriodsColumn = [number, number | null, number | null][];

export function periodsFromColumn(column: PeriodsColumn): EnrolmentPeriod[] {
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  return column.map(([enrolled, trialEnds, withdrawn]) => ({
    enrolledAt: new Date(enrolled),
    trialEndsAt: at(trialEnds),
    withdrawnAt: at(withdrawn),
  }));
}

/**
 * A seller's enrolment periods in a marketplace, oldest first. With `lock`, the seller row is locked
 * first so that two enrolments or withdrawals of the same seller run one after the other.
 */
export async function periodsOf(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  lock = false,
): Promise<EnrolmentPeriod[]> {
  if (lock) await sql`select 1 from seller where id = ${sellerId}::uuid for update`.execute(db);
  const r = await sql<{ enrolled_at: Date; trial_ends_at: Date | null; withdrawn_at: Date | null }>`
    select enrolled_at, trial_ends_at, withdrawn_at from service_enrolment
    where seller_id = ${sellerId}::uuid and marketplace_id = ${marketplaceId} order by enrolled_at`.execute(
    db,
  );
  return r.rows.map((p) => ({
    enrolledAt: p.enrolled_at,
    trialEndsAt: p.trial_ends_at,
    withdrawnAt: p.withdrawn_at,
  }));
}

export async function insertEnrolment(
  db: Db,
  e: {
    sellerId: string;
    marketplaceId: string;
    enrolledAt: Date;
    trialEndsAt: Date | null;
    enrolledBy: 'seller' | 'admin' | 'automatic';
  },
): Promise<void> {
  await sql`insert into service_enrolment (seller_id, marketplace_id, enrolled_at, trial_ends_at, enrolled_by)
    values (${e.sellerId}::uuid, ${e.marketplaceId}, ${e.enrolledAt}, ${e.trialEndsAt}, ${e.enrolledBy})`
    .execute(db)
    .catch((error: { code?: string; constraint?: string }) => {
      // The seller row's lock serialises enrolments; should two still meet, the loser is told so.
      if (error.code === '23505' && error.constraint === 'service_enrolment_one_open')
        throw new AppError('conflict', 'Already enrolled in this marketplace');
      throw error;
    });
}

export async function closeOpenEnrolment(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  at: Date,
): Promise<void> {
  await sql`update service_enrolment set withdrawn_at = ${at}
    where seller_id = ${sellerId}::uuid and marketplace_id = ${marketplaceId} and withdrawn_at is null`.execute(
    db,
  );
}

export async function sellerFacts(db: Db, sellerId: string) {
  const r = await sql<{ standing: string; account_type: string }>`
    select standing, account_type from seller where id = ${sellerId}::uuid`.execute(db);
  const row = r.rows[0];
  return row && { standing: row.standing, accountType: row.account_type };
}

/** Sellers created at or after an instant that list in a marketplace (have a detail page there) and were never enrolled there. */
export async function sellersNeverEnrolled(
  db: Db,
  marketplaceId: string,
  createdSince: Date,
): Promise<string[]> {
  const r = await sql<{ id: string }>`
    select s.id from seller s where s.created_at >= ${createdSince}
      and exists (select 1 from product_page pp where pp.seller_id = s.id and pp.marketplace_id = ${marketplaceId})
      and not exists (select 1 from service_enrolment e where e.seller_id = s.id and e.marketplace_id = ${marketplaceId})
    order by s.created_at, s.id`.execute(db);
  return r.rows.map((x) => x.id);
}

export async function marketplaceIds(db: Db): Promise<string[]> {
  return (await sql<{ id: string }>`select id from marketplace order by id`.execute(db)).rows.map(
    (r) => r.id,
  );
}

/** Premium seller-fulfilled membership at an instant (SPEC P6), per marketplace. */
export async function premiumMarketplacesAt(db: Db, sellerId: string, at: Date): Promise<Set<string>> {
  const r = await sql<{ marketplace_id: string }>`select marketplace_id from premium_membership
    where seller_id = ${sellerId}::uuid and valid_from <= ${at} and (valid_to is null or valid_to > ${at})`.execute(
    db,
  );
  return new Set(r.rows.map((x) => x.marketplace_id));
}

/** Starts a membership, or ends the open one (`to`), effective-dated. */
export async function setPremium(
  db: Db,
  sellerId: string,
  marketplaceId: string,
  member: boolean,
  at: Date,
): Promise<void> {
  await sql`update premium_membership set valid_to = ${at}
    where seller_id = ${sellerId}::uuid and marketplace_id = ${marketplaceId} and valid_to is null`.execute(
    db,
  );
  if (member) {
    await sql`insert into premium_membership (seller_id, marketplace_id, valid_from) values (${sellerId}::uuid, ${marketplaceId}, ${at})`.execute(
      db,
    );
  }
}
