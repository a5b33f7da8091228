import { createHash } from 'node:crypto';
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

// Every parameterised query runs as a named prepared statement, once parsed per connection: the
// server then skips parsing and, for most queries, planning on each later run. Query texts come from
// the code, so they are few; past the first MAX_PREPARED texts (built from lists) the rest run unnamed.
const MAX_PREPARED = 2000;
const names = new Map<string, string>();

/** The statement name of a query text, or undefined once MAX_PREPARED texts have one. */
function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_PREPARED) {
    name = `q${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, name);
  }
  return name;
}

class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; only (text, values) is changed
  override query(config: any, values?: any, callback?: any): any {
    const name =
      typeof config === 'string' && Array.isArray(values) && callback === undefined
        ? statementName(config)
        : undefined;
    return name ? super.query({ name, text: config, values }) : super.query(config, values, callback);
  }
}

/** `prepare: false` for poolers that cannot keep prepared statements (PgBouncer before 1.21 in transaction mode). */
export function openDatabase(url: string, max = 10, { prepare = true } = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    application_name: 'onbehalf',
    // Without it a request waits forever for a connection to a database that is away; with it the
    // request fails (503 unavailable) and the next one tries again.
    connectionTimeoutMillis: 5000,
    ...(prepare ? { Client: PreparingClient } : {}),
  });
  pool.on('error', () => {
    // An idle client lost its server (e.g. during shutdown); the pool replaces it on next use.
  });
  // A client checked out of the pool (a transaction between two queries) whose server goes away emits
  // 'error' itself; with no listener that ends the process. Its queries fail (503), and the pool
  // drops the broken client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    pool,
    close: async () => {
      await db.destroy();
    },
  };
}

/** Runs `fn` in the caller's transaction, or in a new one when there is none. */
export function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
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
