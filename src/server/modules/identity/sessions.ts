import type { Db } from '../../platform/db';
import { AppError } from '../../platform/errors';
import type { UserRole } from '../../platform/http/access';
import { dummyPasswordHash, newCsrfToken, newSessionToken, sha256, verifyPassword } from './credentials';
import { deleteExpiredSessions, findUserByEmail, insertSession } from './identity.repository';

export type SignedIn = {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: {
    id: string;
    email: string;
    displayName: string;
    role: UserRole;
    sellerId: string | null;
    buyerId: string | null;
  };
};

/** How a user is shown over the API. */
export const userView = (user: {
  id: string;
  email: string;
  display_name: string;
  role: UserRole;
  seller_id: string | null;
  buyer_id: string | null;
}): SignedIn['user'] => ({
  id: user.id,
  email: user.email,
  displayName: user.display_name,
  role: user.role,
  sellerId: user.seller_id,
  buyerId: user.buyer_id,
});

export async function signIn(
  db: Db,
  email: string,
  password: string,
  ttlHours: number,
  now: Date,
): Promise<SignedIn> {
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
  if (!user || !ok || user.disabled_at) throw new AppError('invalid_credentials', 'Wrong e-mail or password');
  const token = newSessionToken();
  const csrfToken = newCsrfToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000);
  await deleteExpiredSessions(db, now);
  await insertSession(db, { tokenHash: sha256(token), userId: user.id, csrfToken, expiresAt });
  return {
    token,
    csrfToken,
    expiresAt,
    user: userView(user),
  };
}
