import { type Generated, type Selectable, sql } from 'kysely';
import type { Db } from '../../platform/db';
import type { ApiKeyScope, UserRole } from '../../platform/http/access';

export type IdentityTables = {
  app_user: {
    id: Generated<string>;
    email: string;
    display_name: string;
    password_hash: string;
    role: UserRole;
    seller_id: string | null;
    buyer_id: string | null;
    languages: string[];
    disabled_at: Date | null;
  };
  user_session: { token_hash: Buffer; user_id: string; csrf_token: string; expires_at: Date };
  api_key: {
    id: Generated<string>;
    name: string;
    prefix: string;
    key_hash: Buffer;
    scopes: ApiKeyScope[];
    revoked_at: Date | null;
  };
};

const t = (db: Db) => db.withTables<IdentityTables>();

export type UserRow = Selectable<IdentityTables['app_user']>;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return t(db).selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function insertUser(
  db: Db,
  user: Omit<UserRow, 'id' | 'disabled_at'>,
): Promise<{ id: string; created: boolean }> {
  const row = await t(db)
    .insertInto('app_user')
    .values({ ...user, email: user.email.toLowerCase() })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (row) return { id: row.id, created: true };
  const existing = await findUserByEmail(db, user.email);
  return { id: existing!.id, created: false };
}

export async function insertSession(
  db: Db,
  session: { tokenHash: Buffer; userId: string; csrfToken: string; expiresAt: Date },
): Promise<void> {
  await t(db)
    .insertInto('user_session')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      expires_at: session.expiresAt,
    })
    .execute();
}

export async function findSessionUser(db: Db, tokenHash: Buffer, now: Date) {
  return t(db)
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .select([
      'u.id',
      'u.role',
      'u.seller_id',
      'u.buyer_id',
      'u.email',
      'u.display_name',
      'u.languages',
      's.csrf_token',
      's.expires_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: Buffer): Promise<void> {
  await t(db).deleteFrom('user_session').where('token_hash', '=', tokenHash).execute();
}

export async function deleteExpiredSessions(db: Db, now: Date): Promise<void> {
  await t(db).deleteFrom('user_session').where('expires_at', '<=', now).execute();
}

export async function insertApiKey(
  db: Db,
  key: { name: string; prefix: string; keyHash: Buffer; scopes: ApiKeyScope[] },
): Promise<string> {
  const row = await t(db)
    .insertInto('api_key')
    .values({
      name: key.name,
      prefix: key.prefix,
      key_hash: key.keyHash,
      scopes: sql`${key.scopes}::text[]` as never,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Every user, for the admin pages: never the password hash. */
export async function listUsers(db: Db) {
  return t(db)
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'role', 'seller_id', 'buyer_id', 'languages', 'disabled_at'])
    .orderBy('role')
    .orderBy('email')
    .execute();
}

export async function findApiKeyByPrefix(db: Db, prefix: string) {
  return t(db)
    .selectFrom('api_key')
    .select(['id', 'key_hash', 'scopes'])
    .where('prefix', '=', prefix)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listApiKeys(db: Db) {
  return t(db)
    .selectFrom('api_key')
    .select(['id', 'name', 'prefix', 'scopes', 'revoked_at'])
    .select(sql<Date>`created_at`.as('created_at'))
    .orderBy('name')
    .execute();
}

export async function revokeApiKey(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await t(db)
    .updateTable('api_key')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findBuyerIdByExternalId(db: Db, externalId: string): Promise<string | undefined> {
  const row = await sql<{ id: string }>`select id from buyer where external_id = ${externalId}`.execute(db);
  return row.rows[0]?.id;
}

export async function displayNameOf(db: Db, userId: string): Promise<string | undefined> {
  const row = await sql<{
    display_name: string;
  }>`select display_name from app_user where id = ${userId}::uuid`.execute(db);
  return row.rows[0]?.display_name;
}
