import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from './config';
import { withDatabaseName } from './db';
import { embeddedClusterDir, startEmbeddedPostgres } from './embedded-postgres';
import type { Logger } from './log';

/** `clusterDir`: where the embedded server keeps its data (see embeddedClusterDir), for DATABASE_URL none. */
export type RuntimeDatabase = { url: string; embedded: boolean; clusterDir?: string; stop(): Promise<void> };

const EMBEDDED_DATABASE = 'onbehalf';

/**
 * The database the platform runs on: `DATABASE_URL` when set; otherwise the embedded PostgreSQL
 * in `var/pg` — reused when another process (e.g. `npm start`) already runs it. A failure to start
 * it is an Error whose message says what to do.
 */
export async function openRuntimeDatabase(config: Config, log: Logger): Promise<RuntimeDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  const dir = await embeddedClusterDir(join(config.dataDir, 'pg'), log);
  const adminUrl = `postgres://onbehalf:onbehalf@127.0.0.1:${config.embeddedPgPort}/postgres`;
  let stop = async () => {};
  if (!(existsSync(join(dir, 'postmaster.pid')) && (await answers(adminUrl)))) {
    const server = await startEmbeddedPostgres(dir, config.embeddedPgPort, log);
    stop = server.stop;
  } else {
    log.info({ port: config.embeddedPgPort }, 'using the embedded PostgreSQL another process started');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  try {
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0)
      await admin.query(`create database ${EMBEDDED_DATABASE}`).catch(ignoreDuplicate);
  } catch (error) {
    await stop(); // leave no server running behind a failed start
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }
  return { url: withDatabaseName(adminUrl, EMBEDDED_DATABASE), embedded: true, clusterDir: dir, stop };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

// Two processes starting at once may both try to create the database.
function ignoreDuplicate(error: { code?: string }) {
  if (error.code !== '42P04' && error.code !== '23505') throw error;
}
