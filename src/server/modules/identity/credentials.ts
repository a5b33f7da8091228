import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import { jwtVerify } from 'jose';
import { findInvalidText } from '../../platform/validation';

// Session tokens and API keys are random secrets; only their SHA-256 is stored.
export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

export const newSessionToken = (): string => randomBytes(32).toString('base64url');
export const newCsrfToken = (): string => randomBytes(24).toString('base64url');

export const hashPassword = (password: string): Promise<string> =>
  argon2.hash(password, { type: argon2.argon2id });
export const verifyPassword = (hash: string, password: string): Promise<boolean> =>
  argon2.verify(hash, password).catch(() => false);

// A hash to compare against when the e-mail is unknown, so timing does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
};

/** API keys look like `obk_<prefix>_<secret>`; the prefix finds the row, the secret is checked by hash. */
export function newApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(6).toString('hex');
  const key = `obk_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

export function parseApiKey(key: string): { prefix: string } | null {
  const m = /^obk_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(key);
  return m ? { prefix: m[1]! } : null;
}

export const sameHash = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

const CLOCK_SKEW_SECONDS = 60;

/**
 * Verifies a buyer token signed by the operator's site (HS256). It must name the buyer's
 * external id in `sub` and expire soon: a long-lived token, or one issued in the future, is refused.
 */
export async function verifyBuyerToken(
  token: string,
  secret: string,
  maxTtlSeconds: number,
  now: Date,
): Promise<{ buyerExternalId: string } | null> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: now,
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (typeof payload.sub !== 'string' || payload.exp! - payload.iat! > maxTtlSeconds) return null;
    // A signed claim is still text from outside: a NUL or a lone surrogate is no buyer's id.
    if (payload.sub.length > 200 || findInvalidText(payload.sub)) return null;
    // An `iat` in the future would stretch the lifetime cap at will; allow only clock skew.
    if (payload.iat! > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) return null;
    return { buyerExternalId: payload.sub };
  } catch {
    return null;
  }
}
