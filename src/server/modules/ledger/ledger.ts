// The seller ledger: balanced, append-only batches, each made once per idempotency key and
// pointing to the decision that caused it. Balances and monthly statements are sums of postings.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import { publishEvent } from '../../platform/events';
import { checkReplay, fingerprintOf } from '../../platform/idempotency';

export type AccountRef =
  | { kind: 'seller'; sellerId: string; marketplaceId: string; currency: string }
  | {
      kind: 'marketplace_refunds' | 'marketplace_reimbursements' | 'marketplace_fees';
      marketplaceId: string;
      currency: string;
    };

export type Posting = { account: AccountRef; amount: bigint };
export type BatchInput = {
  idempotencyKey: string;
  decision: { kind: string; id: string };
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
const keyOf = (a: AccountKey) => `${a.kind}|${a.seller_id ?? ''}|${a.marketplace_id}|${a.currency}`;

/**
 * The ids of the postings' accounts, each created on first use. A plain read first, so busy shared
 * accounts (the marketplace's) are never row-locked by concurrent batches.
 */
async function accountIds(db: Db, refs: readonly AccountRef[]): Promise<string[]> {
  const keys: AccountKey[] = refs.map((a) => ({
    kind: a.kind,
    seller_id: a.kind === 'seller' ? a.sellerId : null,
    marketplace_id: a.marketplaceId,
    currency: a.currency,
  }));
  // Literal keys, so each is an index lookup whatever the table's statistics say.
  const ZERO = '00000000-0000-0000-0000-000000000000';
  const wanted = sql.join(
    keys.map(
      (k) =>
        sql`(kind = ${k.kind} and coalesce(seller_id, ${ZERO}::uuid) = ${k.seller_id ?? ZERO}::uuid and marketplace_id = ${k.marketplace_id} and currency = ${k.currency})`,
    ),
    sql` or `,
  );
  const find = async () => {
    const r = await sql<AccountKey & { id: string }>`select id, kind, seller_id, marketplace_id, currency
      from ledger_account where ${wanted}`.execute(db);
    return new Map(r.rows.map((a) => [keyOf(a), a.id]));
  };
  let found = await find();
  if (keys.some((k) => !found.has(keyOf(k)))) {
    await sql`insert into ledger_account (kind, seller_id, marketplace_id, currency)
      select kind, seller_id, marketplace_id, currency
      from json_to_recordset(${JSON.stringify(keys)}::json) as k(kind text, seller_id uuid, marketplace_id text, currency char(3))
      on conflict do nothing`.execute(db);
    found = await find();
  }
  return keys.map((k) => found.get(keyOf(k))!);
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
  const ids = await accountIds(
    db,
    input.postings.map((p) => p.account),
  );
  const rows = input.postings.map((p, k) => ({
    account_id: ids[k],
    seller_id: p.account.kind === 'seller' ? p.account.sellerId : null,
    amount: p.amount.toString(),
    currency: p.account.currency,
  }));
  const fingerprint = fingerprintOf({
    decision: input.decision,
    description: input.description,
    postings: input.postings,
  });
  // The batch and its postings in one statement; a replayed key inserts neither.
  const inserted = await sql<{ batch_id: string }>`
    with b as (
      insert into ledger_batch (idempotency_key, idempotency_fingerprint, decision_kind, decision_id, description, posted_at)
      values (${input.idempotencyKey}, ${fingerprint}, ${input.decision.kind}, ${input.decision.id}, ${input.description}, ${input.at})
      on conflict (idempotency_key) do nothing returning id)
    insert into ledger_posting (batch_id, account_id, seller_id, amount, currency, posted_at)
    select b.id, r.account_id, r.seller_id, r.amount, r.currency, ${input.at}
    from b, json_to_recordset(${JSON.stringify(rows)}::json) as r(account_id uuid, seller_id uuid, amount bigint, currency char(3))
    returning batch_id`.execute(db);
  if (!inserted.rows[0]) {
    const existing = (
      await sql<{ id: string; idempotency_fingerprint: string | null }>`
      select id, idempotency_fingerprint from ledger_batch where idempotency_key = ${input.idempotencyKey}`.execute(
        db,
      )
    ).rows[0]!;
    checkReplay(existing.idempotency_fingerprint, { fingerprint });
    return { batchId: existing.id, replayed: true };
  }
  const batchId = inserted.rows[0].batch_id;
  const sellerPosting = input.postings.find((p) => p.account.kind === 'seller');
  await publishEvent(db, {
    type: 'ledger.posted',
    key: `ledger:${batchId}`,
    sellerId: sellerPosting?.account.kind === 'seller' ? sellerPosting.account.sellerId : null,
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
  });
  return { batchId, replayed: false };
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
