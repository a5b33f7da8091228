// The first of the two commands, as an operator runs it: `npm start` on a fresh data directory starts
// its own PostgreSQL, migrates, loads the demo marketplace, builds the bot and serves; SIGTERM stops it
// all. Nothing is shared with the other tests: its own data directory, database and ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/main/demo';
import { freePort } from '../helpers/free-port';

const root = join(import.meta.dirname, '..', '..');
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const exited = (p: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (p.exitCode !== null) resolve(p.exitCode);
    else p.once('exit', (code) => resolve(code));
  });

async function waitForHealth(base: string, output: () => string, deadline: number) {
  while (Date.now() < deadline) {
    if (child?.exitCode !== null) throw new Error(`npm start exited early:\n${output()}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) return r.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`npm start did not answer /health in time:\n${output()}`);
}

describe('npm start', () => {
  it('starts the platform on an embedded PostgreSQL with the demo marketplace, and stops cleanly on SIGTERM', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'onbehalf-start-'));
    // As root the embedded server runs as the postgres user, who must be able to enter the directory.
    await chmod(dataDir, 0o755);
    const [port, pgPort, smtpPort] = [await freePort(), await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      SMTP_INBOUND_PORT: String(smtpPort),
    };
    // Embedded by default: a DATABASE_URL the test run may carry must not leak into it.
    delete env.DATABASE_URL;
    let output = '';
    // Its own process group, so that the stop below reaches npm and what it started, as Ctrl-C does.
    child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (b) => (output += b));
    child.stderr?.on('data', (b) => (output += b));
    const base = `http://127.0.0.1:${port}`;

    expect(await waitForHealth(base, () => output, Date.now() + 150_000)).toMatchObject({
      status: 'ok',
      database: 'ok',
    });
    expect(output).toContain(`embedded PostgreSQL in ${dataDir}/pg`);
    expect(await readdir(join(dataDir, 'pg'))).toContain('PG_VERSION');

    // The demo marketplace is there, and its logins work.
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@demo.onbehalf.test', password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const marketplaces = (await (
      await fetch(`${base}/api/v1/marketplaces`, { headers: { cookie } })
    ).json()) as { id: string }[];
    expect(marketplaces.map((m) => m.id).sort()).toEqual(['DE', 'ES', 'FR', 'IT', 'US']);

    process.kill(-child.pid!, 'SIGTERM');
    await exited(child);
    // PostgreSQL is shut down, not left running: it removes its pid file when it stops cleanly.
    const pgDir = join(dataDir, 'pg');
    const stopBy = Date.now() + 30_000;
    while ((await readdir(pgDir)).includes('postmaster.pid') && Date.now() < stopBy)
      await new Promise((r) => setTimeout(r, 250));
    expect(await readdir(pgDir), output).not.toContain('postmaster.pid');
    expect(output).toContain('shutting down');
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  }, 240_000);
});
