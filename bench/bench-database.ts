import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabaseName } from '../src/server/platform/db';
import { startEmbeddedPostgres } from '../src/server/platform/embedded-postgres';
import { migrate } from '../src/server/platform/migrate';

/**
 * A PostgreSQL for benchmarks: BENCH_DATABASE_URL (a server URL whose role may create databases)
 * or an embedded one under var/bench-pg. `fresh(name)` gives a newly created, migrated database.
 */
export async function benchServer() {
  let adminUrl = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = join(process.cwd(), 'var', 'bench-pg');
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    const server = await startEmbeddedPostgres(join(dir, 'data'), Number(process.env.BENCH_PG_PORT ?? 54339));
    adminUrl = server.url;
    stop = server.stop;
  }
  const admin = async (text: string) => {
    const c = new pg.Client(adminUrl);
    await c.connect();
    await c.query(text);
    await c.end();
  };
  return {
    adminUrl,
    async fresh(name: string) {
      await admin(`drop database if exists ${name} with (force)`);
      await admin(`create database ${name}`);
      const url = withDatabaseName(adminUrl!, name);
      await migrate(url);
      return url;
    },
    stop,
  };
}

export const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Samples resident memory while `fn` runs: the peak of this phase alone, unlike maxRSS. */
export async function peakRssDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 100);
  try {
    const result = await fn();
    return { result, peakMiB: Math.round(Math.max(peak, process.memoryUsage.rss()) / 1048576) };
  } finally {
    clearInterval(timer);
  }
}
