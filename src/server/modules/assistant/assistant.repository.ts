// The dialogue's state per conversation, and the few reads of order money the marketplace view lacks.
import { sql } from 'kysely';
import type { Db } from '../../platform/db';

// JSON has no bigint and no Date: amounts travel as strings, times as ISO strings, revived by key.
const amountKeys = new Set(['total', 'unitPrice', 'amount', 'maxAmount']);
const timeKeys = new Set([
  'orderedAt',
  'shippedAt',
  'occurredAt',
  'receivedAt',
  'refundedAt',
  'sellerRefundDueAt',
  'issuedAt',
]);

export const stateToJson = (state: unknown) =>
  JSON.stringify(state, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));

export const stateFromJson = <T>(json: string): T =>
  JSON.parse(json, (key, value) => {
    if (typeof value !== 'string') return value;
    if (amountKeys.has(key)) return BigInt(value);
    if (timeKeys.has(key)) return new Date(value);
    return value;
  });

export async function loadDialogueState<T>(db: Db, conversationId: string): Promise<T | null> {
  const r = await sql<{ dialogue: string | null }>`select dialogue::text as dialogue from conversation
    where id = ${conversationId}::uuid`.execute(db);
  const json = r.rows[0]?.dialogue;
  return json ? stateFromJson<T>(json) : null;
}

/** The state from a conversation row's `dialogue` (jsonb, read as an object): amounts and times revived. */
export const dialogueStateOf = <T>(dialogue: unknown): T | null =>
  dialogue === null || dialogue === undefined ? null : stateFromJson<T>(JSON.stringify(dialogue));

export async function saveDialogueState(db: Db, conversationId: string, state: unknown): Promise<void> {
  await sql`update conversation set dialogue = ${stateToJson(state)}::jsonb where id = ${conversationId}::uuid`.execute(
    db,
  );
}

/** Refunds issued on an order (concessions) and the seller's refund deadline per return (D6). */
export async function orderMoneyFacts(db: Db, orderId: string) {
  const [refunds, deadlines] = await Promise.all([
    sql<{
      amount: bigint;
      issued_at: Date;
    }>`select amount_items + amount_shipping as amount, decided_at as issued_at
      from concession where order_id = ${orderId}::uuid and status = 'issued' order by decided_at`.execute(
      db,
    ),
    sql<{ return_id: string; due_at: Date }>`select return_id, due_at from refund_deadline
      where order_id = ${orderId}::uuid and status = 'open'`.execute(db),
  ]);
  return {
    refunds: refunds.rows.map((r) => ({ amount: BigInt(r.amount), issuedAt: r.issued_at })),
    refundDueAt: new Map(deadlines.rows.map((d) => [d.return_id, d.due_at])),
  };
}

/** The languages of the marketplace's agents who are available now (C6: else e-mail or a callback). */
export async function availableAgentLanguages(db: Db, marketplaceId: string): Promise<string[]> {
  const r = await sql<{ language: string }>`select distinct unnest(languages) as language from agent_profile
    where available and ${marketplaceId} = any(marketplaces)`.execute(db);
  return r.rows.map((x) => x.language);
}

/** What the bot may do by itself in a marketplace (migration 0033); the defaults where none is set. */
export type BotPolicy = {
  mayAuthoriseReturns: boolean;
  mayRefund: boolean;
  /** The most the bot refunds at once, minor units of the marketplace's currency; null: an agent's limit. */
  refundLimit: bigint | null;
  mayCancelOrders: boolean;
  mayChangeAddresses: boolean;
};

export const DEFAULT_BOT_POLICY: BotPolicy = {
  mayAuthoriseReturns: true,
  mayRefund: false,
  refundLimit: null,
  mayCancelOrders: true,
  mayChangeAddresses: true,
};

export async function botPolicyOf(db: Db, marketplaceId: string, at: Date): Promise<BotPolicy> {
  const r = (
    await sql<{
      may_authorise_returns: boolean;
      may_refund: boolean;
      refund_limit: bigint | null;
      may_cancel_orders: boolean;
      may_change_addresses: boolean;
    }>`select may_authorise_returns, may_refund, refund_limit, may_cancel_orders, may_change_addresses
      from bot_policy where marketplace_id = ${marketplaceId} and effective_from <= ${at}
      order by effective_from desc limit 1`.execute(db)
  ).rows[0];
  if (!r) return DEFAULT_BOT_POLICY;
  return {
    mayAuthoriseReturns: r.may_authorise_returns,
    mayRefund: r.may_refund,
    refundLimit: r.refund_limit === null ? null : BigInt(r.refund_limit),
    mayCancelOrders: r.may_cancel_orders,
    mayChangeAddresses: r.may_change_addresses,
  };
}

/** The span around `at` in which the bot policy in force stays the same (as returnPolicySpan). */
export async function botPolicySpan(
  db: Db,
  marketplaceId: string,
  at: Date,
): Promise<{ since: Date | null; until: Date | null }> {
  const r = await sql<{ since: Date | null; until: Date | null }>`select
      max(effective_from) filter (where effective_from <= ${at}) as since,
      min(effective_from) filter (where effective_from > ${at}) as until
    from bot_policy where marketplace_id = ${marketplaceId}`.execute(db);
  return r.rows[0] ?? { since: null, until: null };
}

export async function saveBotPolicy(db: Db, marketplaceId: string, p: BotPolicy, effectiveFrom: Date) {
  await sql`insert into bot_policy (marketplace_id, effective_from, may_authorise_returns, may_refund, refund_limit,
      may_cancel_orders, may_change_addresses)
    values (${marketplaceId}, ${effectiveFrom}, ${p.mayAuthoriseReturns}, ${p.mayRefund}, ${p.refundLimit?.toString() ?? null}::bigint,
      ${p.mayCancelOrders}, ${p.mayChangeAddresses})
    on conflict (marketplace_id, effective_from) do update set may_authorise_returns = excluded.may_authorise_returns,
      may_refund = excluded.may_refund, refund_limit = excluded.refund_limit, may_cancel_orders = excluded.may_cancel_orders,
      may_change_addresses = excluded.may_change_addresses, updated_at = now()`.execute(db);
}
