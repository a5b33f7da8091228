// The first of the two commands, as an operator runs it: `npm start` on a fresh data directory starts
// its own PostgreSQL, migrates, loads the demo marketplace, builds the bot and serves; stopped, it stops
// PostgreSQL cleanly; started again, it finds its data. Nothing is shared with the other tests: its own
// data directory, database and ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/main/demo';
import { freePort } from '../helpers/free-port';

const root = join(import.meta.dirname, '..', '..');
const running: ChildProcess[] = [];
let dataDir: string | undefined;

afterAll(async () => {
  for (const p of running)
    if (p.pid && p.exitCode === null && p.signalCode === null) process.kill(-p.pid, 'SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm start` in its own process group (as a terminal runs it), once it answers `/health`. */
async function npmStart(dir: string) {
  const { child, output, port } = await spawnNpmStart(dir);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 150_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`npm start did not answer /health in time:\n${output()}`);
    const health = await fetch(`${base}/health`).catch(() => undefined);
    // The banner follows the first answers by a moment: wait for it too.
    if (health?.ok && output().includes('Onbehalf is running at')) {
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok' });
      return { child, base, output };
    }
    await sleep(500);
  }
}

async function spawnNpmStart(dir: string, pgPort?: number, settings: NodeJS.ProcessEnv = {}) {
  const [port, smtpPort] = [await freePort(), await freePort()];
  pgPort ??= await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dir,
    PORT: String(port),
    EMBEDDED_PG_PORT: String(pgPort),
    SMTP_INBOUND_PORT: String(smtpPort),
  };
  // Embedded by default: a DATABASE_URL the test run may carry must not leak into it.
  delete env.DATABASE_URL;
  Object.assign(env, settings);
  let output = '';
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  child.stdout?.on('data', (b) => (output += b));
  child.stderr?.on('data', (b) => (output += b));
  return { child, port, output: () => output };
}

/** Waits until PostgreSQL has stopped cleanly: it removes its pid file then. */
async function postgresStopped(dir: string) {
  const pgDir = join(dir, 'pg');
  const deadline = Date.now() + 30_000;
  while ((await readdir(pgDir)).includes('postmaster.pid') && Date.now() < deadline) await sleep(250);
  return !(await readdir(pgDir)).includes('postmaster.pid');
}

async function demoLogin(base: string) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo.onbehalf.test', password: DEMO_PASSWORD }),
  });
  expect(login.status).toBe(200);
  return login.headers.get('set-cookie')!.split(';')[0]!;
}

describe('npm start', () => {
  it('starts on an embedded PostgreSQL with the demo, stops cleanly on SIGTERM to its group or to npm alone, and restarts on its data', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'onbehalf-start-'));
    // As root the embedded server runs as the postgres user, who must be able to enter the directory.
    await chmod(dataDir, 0o755);

    const first = await npmStart(dataDir);
    expect(first.output()).toContain(`embedded PostgreSQL in ${dataDir}/pg`);
    const cookie = await demoLogin(first.base);
    const marketplaces = (await (
      await fetch(`${first.base}/api/v1/marketplaces`, { headers: { cookie } })
    ).json()) as { id: string }[];
    expect(marketplaces.map((m) => m.id).sort()).toEqual(['DE', 'ES', 'FR', 'IT', 'US']);
    // The widget on the demo's stand-in shop, the shop's origin allowed to frame the chat.
    expect(first.output()).toContain(`${first.base}/demo/shop/IT`);
    const shop = await fetch(`${first.base}/demo/shop/IT`);
    expect(shop.status).toBe(200);
    expect(await shop.text()).toContain(`<script src="${first.base}/widget.js"`);
    const widget = (await (await fetch(`${first.base}/api/v1/help/IT/widget`)).json()) as {
      origins: string[];
    };
    expect(widget.origins).toContain(first.base);
    // The banner's buyer-token command names the demo buyer, the one whose login it lists.
    const demoBuyer = /buyer@demo\.onbehalf\.test\s+.*\(buyer (B-IT-\d{7}), it\)/.exec(first.output())?.[1];
    expect(demoBuyer).toBeDefined();
    expect(first.output()).toContain(`npm run onbehalf -- buyer-token ${demoBuyer}`);
    // Ctrl-C in a terminal signals the whole process group.
    process.kill(-first.child.pid!, 'SIGTERM');
    expect(await postgresStopped(dataDir), first.output()).toBe(true);
    expect(first.output()).toContain('shutting down');
    await expect(fetch(`${first.base}/health`)).rejects.toThrow();

    // Again on the same data: the demo is found, not loaded twice. A container's stop or a supervisor
    // signals npm alone, which passes nothing on; the server sees its parent gone and stops all the same.
    const second = await npmStart(dataDir);
    expect(second.output()).toContain('demo marketplace already present');
    await demoLogin(second.base);
    process.kill(second.child.pid!, 'SIGTERM');
    expect(await postgresStopped(dataDir), second.output()).toBe(true);
    await expect(fetch(`${second.base}/health`)).rejects.toThrow();
  }, 300_000);

  // It once died with an unhandled error and its stack trace (`spawn …/initdb EACCES` from a folder
  // the postgres user cannot reach; the same with a port taken): it must say what to do, and stop.
  it('stops with a short message saying what to do, and no stack trace, when the database cannot start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onbehalf-start-fails-'));
    await chmod(dir, 0o755);
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const { child, output } = await spawnNpmStart(dir, (taken.address() as { port: number }).port);
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code, output()).not.toBe(0);
      const errors = output()
        .split('\n')
        .filter((line) => line && !line.startsWith('{')); // the JSON log lines
      expect(errors.join('\n')).toMatch(/the database did not start.*EMBEDDED_PG_PORT.*DATABASE_URL/);
      expect(errors.join('\n')).not.toMatch(/^\s+at /m);
      expect(errors.length).toBeLessThanOrEqual(2);
    } finally {
      taken.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('stops with a short message, and no stack trace, on a bad setting or a database that does not answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onbehalf-start-settings-'));
    const closed = await freePort(); // nothing listens there
    try {
      for (const [settings, message] of [
        [{ PUBLIC_URL: 'https://cs.example.com' }, /configuration is not valid.*BUYER_TOKEN_SECRET/],
        [{ DATABASE_URL: `postgres://nobody@127.0.0.1:${closed}/x` }, /did not answer.*DATABASE_URL/],
      ] as const) {
        const { child, output } = await spawnNpmStart(dir, undefined, settings);
        const code = await new Promise<number | null>((r) => child.once('exit', r));
        expect(code, output()).not.toBe(0);
        const errors = output()
          .split('\n')
          .filter((line) => line && !line.startsWith('{'));
        expect(errors.join('\n')).toMatch(message);
        expect(errors.join('\n')).not.toMatch(/^\s+at /m);
        expect(errors.length).toBeLessThanOrEqual(2);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
