// Idempotency keys belong to their caller and to one operation — the key's scope — and to the request
// first sent with them, by its fingerprint. A replay returns the first result; the same key with
// another request is refused, never answered with the first one's result; another caller's key is
// simply another key.
import { createHash } from 'node:crypto';
import { AppError } from './errors';
import type { Principal } from './http/access';

/** A key as stored: `(scope, key)` is unique; no fingerprint for keys the service makes itself. */
export type Idempotency = { scope: string; key: string; fingerprint: string | null };

/** A key the service derives itself (a call's id, a concession's ledger batch): unique by construction. */
export const systemKey = (key: string): Idempotency => ({ scope: 'system', key, fingerprint: null });

/** Who a key belongs to: a buyer (token or session alike), a seller (all its users), a user, an API key. */
function callerOf(p: Principal): string {
  if (p.kind === 'api_key') return `api_key:${p.keyId}`;
  if (p.kind === 'buyer_token') return `buyer:${p.buyerId}`;
  if (p.role === 'buyer' && p.buyerId) return `buyer:${p.buyerId}`;
  if (p.role === 'seller' && p.sellerId) return `seller:${p.sellerId}`;
  return `user:${p.userId}`;
}

/** A caller's key for one operation, with the fingerprint of what the request asks (its params and body). */
export function callerKey(p: Principal, operation: string, key: string, request: unknown): Idempotency {
  return { scope: `${callerOf(p)}:${operation}`, key, fingerprint: fingerprintOf(request) };
}

/** Keys in a stable order, so the same request always has the same fingerprint. */
function canonical(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .filter((k) => o[k] !== undefined)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

export function fingerprintOf(request: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}

const reused = () =>
  new AppError(
    'idempotency_key_reused',
    'This Idempotency-Key was sent before with another request; use a new key for a new request',
  );

/**
 * Called on the replay path only, with the fingerprint stored with the key: refuses a different
 * request. Keys stored before fingerprints existed (null) replay as they always did.
 */
export function checkReplay(stored: string | null, idem: Pick<Idempotency, 'fingerprint'>): void {
  if (stored !== null && idem.fingerprint !== null && stored !== idem.fingerprint) throw reused();
}

/**
 * Runs the insert that takes a key. The same request twice at once is serialised before it (by the
 * lock its module takes); two different requests with one key at once are not, and the second one's
 * insert meets the key's unique constraint (`…_idempotency_scope_key`): refused like any reuse.
 */
export async function insertWithKey<T>(insert: Promise<T>): Promise<T> {
  try {
    return await insert;
  } catch (error) {
    const e = error as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint?.endsWith('_idempotency_scope_key')) throw reused();
    throw error;
  }
}
