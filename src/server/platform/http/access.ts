import { AppError } from '../errors';

// Who is calling, and what every route must declare about who may call it.

export const staffRoles = ['admin', 'supervisor', 'agent', 'claims_reviewer'] as const;
export const userRoles = [...staffRoles, 'seller', 'buyer'] as const;
export type UserRole = (typeof userRoles)[number];

export const apiKeyScopes = ['integration:write', 'integration:read', 'telephony'] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];

export type Principal =
  | {
      kind: 'user';
      userId: string;
      role: UserRole;
      sellerId: string | null;
      buyerId: string | null;
      /** Present when the caller came with a session cookie: writes must echo it (CSRF). */
      csrfToken: string | null;
    }
  | { kind: 'buyer_token'; buyerId: string; role: 'buyer' }
  | { kind: 'api_key'; keyId: string; scopes: readonly ApiKeyScope[] };

/** Declared on every route: `'public'`, or the roles and API-key scopes allowed. */
export type Access = 'public' | { roles?: readonly UserRole[]; scopes?: readonly ApiKeyScope[] };

export function roleOf(principal: Principal): UserRole | null {
  return principal.kind === 'api_key' ? null : principal.role;
}

export function isAllowed(access: Access, principal: Principal | null): boolean {
  if (access === 'public') return true;
  if (!principal) return false;
  if (principal.kind === 'api_key') return principal.scopes.some((s) => access.scopes?.includes(s) ?? false);
  return access.roles?.includes(principal.role) ?? false;
}

/** What rows a caller may read: everything (staff, integration), one seller's, or one buyer's. */
export type Scope =
  | { kind: 'all' }
  | { kind: 'seller'; sellerId: string }
  | { kind: 'buyer'; buyerId: string };

export function scopeOf(principal: Principal): Scope {
  if (principal.kind === 'api_key') return { kind: 'all' };
  if (principal.kind === 'buyer_token') return { kind: 'buyer', buyerId: principal.buyerId };
  if (principal.role === 'seller') return { kind: 'seller', sellerId: principal.sellerId! };
  if (principal.role === 'buyer') return { kind: 'buyer', buyerId: principal.buyerId! };
  return { kind: 'all' };
}

export const STAFF: Access = { roles: staffRoles };

/** The seller a seller user acts for; anyone else is refused. */
export function sellerIdOf(p: Principal): string {
  if (p.kind === 'user' && p.role === 'seller' && p.sellerId) return p.sellerId;
  throw new AppError('forbidden', 'Seller users only');
}

/** The signed-in user calling; API keys and buyer tokens are refused. */
export function userIdOf(p: Principal): string {
  if (p.kind === 'user') return p.userId;
  throw new AppError('forbidden', 'Signed-in users only');
}

/** The buyer calling (signed in or with a buyer token), or null for anyone else. */
export function buyerIdOf(p: Principal): string | null {
  if (p.kind === 'buyer_token') return p.buyerId;
  return p.kind === 'user' && p.role === 'buyer' ? p.buyerId : null;
}

/** Like buyerIdOf, but refuses anyone who is not a buyer. */
export function requireBuyerId(p: Principal): string {
  const id = buyerIdOf(p);
  if (!id) throw new AppError('forbidden', 'Buyers only');
  return id;
}
