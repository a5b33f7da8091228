// The seller ledger: balanced, append-only batches, each made once per idempotency key and
// pointing to the decision that caused it. Balances and monthly statements are sums of postings.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { type DomainEvent, eventTimer } from '../../platform/events';
import { checkReplay, fingerprintOf } from '../../platform/idempotency';
import { type NewTimer, timersInsert } from '../../platform/timers';

export type AccountRef =
  | { kind: 'seller'; sellerId: string; marketplaceId: string; currency: string }
  | {
      kind: 'marketplace_refunds' | 'marketplace_reimbursements' | 'marketplace_fees';
      marketplaceId: string;
      currency: string;
    };

/** What a batch is posted for: the decision it carries out (shown to sellers in words). */
export const ledgerDecisionKinds = [
  'concession',
  'claim',
  'fee_charge',
  'fee_contest',
  'fee_revision',
] as const;
export type LedgerDecisionKind = (typeof ledgerDecisionKinds)[number];

export type Posting = { account: AccountRef; amount: bigint };
export type BatchInput = {
  idempotencyKey: string;
  decision: { kind: LedgerDecisionKind; id: string };
  description: string;
  postings: readonly Posting[];
  at: Date;
};

/** Pure: a batch balances when its amounts sum to zero in every currency, and no amount is zero. */
export function checkBalanced(postings: readonly Posting[]): { balanced: boolean; problems: string[] } {
  const problems: string[] = [];
  const sums = new Map<string, bigint>();
  for (const p of postings) {
    if (p.amount === 0n) problems.push('a posting of zero');
    sums.set(p.account.currency, (sums.get(p.account.currency) ?? 0n) + p.amount);
  }
  for (const [currency, sum] of sums)
    if (sum !== 0n) problems.push(`${currency} postings sum to ${sum}, not 0`);
  if (postings.length < 2) problems.push('a batch needs at least two postings');
  return { balanced: problems.length === 0, problems };
}

type AccountKey = { kind: string; seller_id: string | null; marketplace_id: string; currency: string };

const ZERO = '00000000-0000-0000-0000-000000000000';

const accountKeyOf = (a: AccountRef): AccountKey => ({
  kind: a.kind,
  seller_id: a.kind === 'seller' ? a.sellerId : null,
  marketplace_id: a.marketplaceId,
  currency: a.currency,
});

/** Creates the accounts that do not exist yet (first use); never locks one that does. */
async function createAccounts(db: Db, refs: readonly AccountRef[]): Promise<void> {
  await sql`insert into ledger_account (kind, seller_id, marketplace_id, currency)
    select kind, seller_id, marketplace_id, currency
    from json_to_recordset(${JSON.stringify(refs.map(accountKeyOf))}::json) as k(kind text, seller_id uuid, marketplace_id text, currency char(3))
    on conflict do nothing`.execute(db);
}

/** The `ledger.posted` event of a batch, as the timer that publishes it (platform/events.ts). */
function postedEvent(batchId: string, input: BatchInput): NewTimer {
  const seller = input.postings.find((p) => p.account.kind === 'seller')?.account;
  const event: DomainEvent = {
    type: 'ledger.posted',
    key: `ledger:${batchId}`,
    sellerId: seller?.kind === 'seller' ? seller.sellerId : null,
    marketplaceId: input.postings[0]!.account.marketplaceId,
    data: {
      batchId,
      decision: input.decision,
      description: input.description,
      postings: input.postings.map((p) => ({
        account: p.account.kind,
        amount: p.amount,
        currency: p.account.currency,
      })),
    },
    at: input.at,
  };
  return eventTimer(event);
}

/**
 * Posts a batch once. A retry with the same idempotency key returns the first batch and posts nothing;
 * the same key with different content (decision, description, postings) is refused
 * (`idempotency_key_reused`), not a silent success. The keys are the service's own (`concession:<id>`,
 * `claim:<id>:<stage>`), so the ledger needs no caller scope.
 */
export async function postBatch(db: Db, input: BatchInput): Promise<{ batchId: string; replayed: boolean }> {
  const check = checkBalanced(input.postings);
  if (!check.balanced)
    throw new AppError('validation_failed', `Unbalanced ledger batch: ${check.problems.join('; ')}`);
  const fingerprint = fingerprintOf({
    decision: input.decision,
    description: input.description,
    postings: input.postings,
  });
  // The id is chosen here so that the event, written in the same statement, can name the batch.
  const batchId = randomUUID();
  const rows = input.postings.map((p, i) => ({
    i,
    ...accountKeyOf(p.account),
    amount: p.amount.toString(),
  }));
  // One statement: the accounts found by their keys (a plain read, so busy shared accounts are never
  // row-locked), the batch, its postings and its event — only when every account exists and the key
  // is new. The balance trigger checks the batch at commit.
  const write = () =>
    sql<{ accounts: number; batch_id: string | null }>`
    with r as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json)
        as r(i int, kind text, seller_id uuid, marketplace_id text, currency char(3), amount bigint)),
    acc as (
      select r.*, a.id as account_id from r join lateral (select id from ledger_account a where a.kind = r.kind
        and coalesce(a.seller_id, ${ZERO}::uuid) = coalesce(r.seller_id, ${ZERO}::uuid)
        and a.marketplace_id = r.marketplace_id and a.currency = r.currency) a on true),
    b as (
      insert into ledger_batch (id, idempotency_key, idempotency_fingerprint, decision_kind, decision_id, description, posted_at)
      select ${batchId}::uuid, ${input.idempotencyKey}, ${fingerprint}, ${input.decision.kind}, ${input.decision.id}, ${input.description}, ${input.at}
      where (select count(*) from acc) = ${rows.length}
      on conflict (idempotency_key) do nothing returning id),
    p as (
      insert into ledger_posting (batch_id, account_id, seller_id, amount, currency, posted_at)
      select b.id, acc.account_id, acc.seller_id, acc.amount, acc.currency, ${input.at} from b, acc),
    t as (${timersInsert([postedEvent(batchId, input)], sql`exists (select 1 from b)`)})
    select (select count(*) from acc)::int as accounts, (select id from b) as batch_id`.execute(db);
  let result = (await write()).rows[0]!;
  if (result.accounts < rows.length) {
    // An account's first use: create it, then write (the replay check below still applies).
    await createAccounts(
      db,
      input.postings.map((p) => p.account),
    );
    result = (await write()).rows[0]!;
  }
  if (result.batch_id) return { batchId: result.batch_id, replayed: false };
  const existing = (
    await sql<{ id: string; idempotency_fingerprint: string | null }>`
      select id, idempotency_fingerprint from ledger_batch where idempotency_key = ${input.idempotencyKey}`.execute(
      db,
    )
  ).rows[0]!;
  checkReplay(existing.idempotency_fingerprint, { fingerprint });
  return { batchId: existing.id, replayed: true };
}

export async function sellerBalances(db: Db, sellerId: string) {
  const r = await sql<{ marketplace_id: string; currency: string; balance: bigint }>`
    select a.marketplace_id, a.currency, coalesce(sum(p.amount), 0)::bigint as balance
    from ledger_account a left join ledger_posting p on p.account_id = a.id
    where a.kind = 'seller' and a.seller_id = ${sellerId}::uuid group by a.marketplace_id, a.currency order by 1, 2`.execute(
    db,
  );
  return r.rows;
}

/**
 * A month of a seller's ledger: opening balance, each posting with the decision behind it, closing
 * balance. The month is each marketplace's own: a refund at 00:30 on 1 April in Rome belongs to April
 * there, though it is still 31 March in UTC.
 */
export async function monthlyStatement(db: Db, sellerId: string, currency: string, month: string) {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const from = `${month}-01T00:00:00`;
  const to = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}-01T00:00:00`;
  type Line = {
    posted_at: Date;
    amount: bigint;
    description: string;
    decision_kind: string;
    decision_id: string;
    marketplace_id: string;
  };
  // One statement: the seller's accounts in the currency, each with its marketplace's month in absolute
  // time; the opening balance; then the month's lines, one row each (a single row of nulls when none).
  const rows = (
    await sql<{ opening: bigint } & { [K in keyof Line]: Line[K] | null }>`
    with acc as (
      select a.id, a.marketplace_id, (${from}::timestamp at time zone mk.time_zone) as starts,
        (${to}::timestamp at time zone mk.time_zone) as ends
      from ledger_account a join marketplace mk on mk.id = a.marketplace_id
      where a.kind = 'seller' and a.seller_id = ${sellerId}::uuid and a.currency = ${currency}),
    opening as (
      select coalesce(sum(p.amount), 0)::bigint as opening from acc join ledger_posting p on p.account_id = acc.id
      where p.posted_at < acc.starts)
    select o.opening, l.posted_at, l.amount, l.description, l.decision_kind, l.decision_id, l.marketplace_id
    from opening o left join lateral (
      select p.id, p.posted_at, p.amount, b.description, b.decision_kind, b.decision_id, acc.marketplace_id
      from acc join ledger_posting p on p.account_id = acc.id and p.posted_at >= acc.starts and p.posted_at < acc.ends
        join ledger_batch b on b.id = p.batch_id) l on true
    order by l.posted_at, l.id`.execute(db)
  ).rows;
  const opening = BigInt(rows[0]!.opening);
  const lines = rows.filter((r) => r.posted_at !== null).map(({ opening: _, ...line }) => line as Line);
  const closing = lines.reduce((s, l) => s + BigInt(l.amount), opening);
  return { currency, month, opening, lines, closing };
}

/** Every batch of the whole ledger balances: for tests and for an operator's consistency check. */
export async function unbalancedBatches(db: Db): Promise<string[]> {
  const r = await sql<{
    batch_id: string;
  }>`select batch_id from ledger_posting group by batch_id, currency having sum(amount) <> 0`.execute(db);
  return r.rows.map((x) => x.batch_id);
}
