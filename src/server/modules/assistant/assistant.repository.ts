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
