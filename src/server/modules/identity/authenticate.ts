import type { FastifyRequest } from 'fastify';
import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { Principal } from '../../platform/http/access';
import { parseApiKey, sameHash, sha256, verifyBuyerToken } from './credentials';
import { findApiKeyByPrefix, findBuyerIdByExternalId, findSessionUser } from './identity.repository';

export const SESSION_COOKIE = 'onbehalf_session';

export type AuthSettings = { buyerTokenSecret: string; buyerTokenMaxTtlSeconds: number };

/** Finds the caller: a bearer API key or buyer token first, else the session cookie. A buyer token that fails verification is refused as such. */
export function createAuthenticator(db: Db, settings: AuthSettings, clock: () => Date = () => new Date()) {
  const bearer = createBearerAuthenticator(db, settings, clock);
  return async (request: FastifyRequest): Promise<Principal | null> => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return bearer(header.slice(7).trim());
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return null;
    const user = await findSessionUser(db, sha256(cookie), clock());
    if (!user) return null;
    return {
      kind: 'user',
      userId: user.id,
      role: user.role,
      sellerId: user.seller_id,
      buyerId: user.buyer_id,
      csrfToken: user.csrf_token,
    };
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
) {
  return async (token: string): Promise<Principal | null> => {
    if (token.startsWith('obk_')) {
      const parsed = parseApiKey(token);
      if (!parsed) return null;
      const key = await findApiKeyByPrefix(db, parsed.prefix);
      if (!key || !sameHash(key.key_hash, sha256(token))) return null;
      return { kind: 'api_key', keyId: key.id, scopes: key.scopes };
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
