import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/http/access';
import type { CredentialCache } from './credential-cache';
import { parseApiKey, sameHash, sha256, verifyBuyerToken } from './credentials';
import { findApiKeyByPrefix, findBuyerIdByExternalId, findSessionUser } from './identity.repository';

export const SESSION_COOKIE = 'onbehalf_session';

export type AuthSettings = { buyerTokenSecret: string; buyerTokenMaxTtlSeconds: number };

/** Finds the caller: a bearer API key or buyer token first, else the session cookie. A buyer token that fails verification is refused as such. */
export function createAuthenticator(
  db: Db,
  settings: AuthSettings,
  clock: () => Date = () => new Date(),
  cache?: CredentialCache,
) {
  const bearer = createBearerAuthenticator(db, settings, clock, cache);
  return async (request: FastifyRequest): Promise<Principal | null> => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return bearer(header.slice(7).trim());
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return null;
    const hash = sha256(cookie);
    const now = clock();
    const check = async () => {
      const user = await findSessionUser(db, hash, now);
      if (!user) return null;
      const principal: Principal = {
        kind: 'user',
        userId: user.id,
        role: user.role,
        sellerId: user.seller_id,
        buyerId: user.buyer_id,
        csrfToken: user.csrf_token,
      };
      return { principal, expiresAt: user.expires_at };
    };
    if (!cache) return (await check())?.principal ?? null;
    return cache.load(`session:${hash.toString('hex')}`, now, check);
  };
}

/**
 * A bearer token (API key or buyer token) alone: also what the chat socket checks when a browser, which
 * cannot set headers on a WebSocket, sends the buyer token in its first frame.
 */
export function createBearerAuthenticator(
  db: Db,
  settings: AuthSettings,
  clock: () => Date = () => new Date(),
  cache?: CredentialCache,
) {
  return async (token: string): Promise<Principal | null> => {
    if (token.startsWith('obk_')) {
      const parsed = parseApiKey(token);
      if (!parsed) return null;
      const hash = sha256(token);
      const check = async () => {
        const key = await findApiKeyByPrefix(db, parsed.prefix);
        if (!key || !sameHash(key.key_hash, hash)) return null;
        const principal: Principal = { kind: 'api_key', keyId: key.id, scopes: key.scopes };
        return { principal, expiresAt: null };
      };
      // Remembered by the hash of the whole key, so only the very key that was checked is found.
      if (!cache) return (await check())?.principal ?? null;
      return cache.load(`api_key:${hash.toString('hex')}`, clock(), check);
    }
    const claims = await verifyBuyerToken(
      token,
      settings.buyerTokenSecret,
      settings.buyerTokenMaxTtlSeconds,
      clock(),
    );
    if (!claims)
      throw new AppError(
        'invalid_token',
        'The buyer token is forged, expired, issued in the future or valid for too long',
      );
    const buyerId = await findBuyerIdByExternalId(db, claims.buyerExternalId);
    return buyerId ? { kind: 'buyer_token', buyerId, role: 'buyer' } : null;
  };
}
