import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';

// int8 columns are money (minor units) or counters: read them as bigint, never as lossy numbers.
pg.types.setTypeParser(20, (v) => BigInt(v));
// DATE columns are calendar dates, not instants: keep 'YYYY-MM-DD'.
pg.types.setTypeParser(1082, (v) => v);

// Each module owns its tables and narrows this handle with `db.withTables<ItsTables>()`.
// biome-ignore lint/complexity/noBannedTypes: the empty schema is widened per module
export type Db = Kysely<{}>;
// biome-ignore lint/complexity/noBannedTypes: see Db
export type Tx = Transaction<{}>;

export type Database = { db: Db; pool: pg.Pool; close(): Promise<void> };

export function openDatabase(url: string, max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'onbehalf' });
  pool.on('error', () => {
    // An idle client lost its server (e.g. during shutdown); the pool replaces it on next use.
  });
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: async () => {
      await db.destroy();
    },
  };
}

export async function ping(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/** Replaces the database name in a PostgreSQL URL. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
