import { spawnSync } from 'node:child_process';
import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../test/helpers/free-port';
import { packageBinaries, startEmbeddedPostgres } from './embedded-postgres';

const isRoot = process.getuid?.() === 0;

async function answers(url: string) {
  const client = new pg.Client(url);
  await client.connect();
  const { rows } = await client.query('select 1 as one');
  await client.end();
  return rows;
}

describe('embedded PostgreSQL module', () => {
  // The package's exit hook once turned every exit code into 0, so failed tests passed CI.
  it('leaves the exit code of a process that loads it alone', () => {
    const root = join(import.meta.dirname, '..', '..', '..');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        "await import('./src/server/platform/embedded-postgres.ts'); process.exitCode = 3;",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(3);
  });

  // The package wrote the password it gives initdb to a file in tmpdir that everyone could read
  // (and left it there when the process crashed).
  it('keeps the password it gives initdb from other users and leaves no password file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'onbehalf-pwfile-'));
    await chmod(dir, 0o755); // as root the server's user must enter it
    // A tmpdir of this test's own: other processes on the machine write there too.
    const tmp = join(dir, 'tmp');
    await mkdir(tmp, { mode: 0o755 });
    const seen: { name: string; mode: number }[] = [];
    const watchers: FSWatcher[] = [tmp, dir].map((folder) =>
      watch(folder, (_event, name) => {
        if (!name?.includes('pg-password')) return;
        try {
          seen.push({ name, mode: statSync(join(folder, name)).mode & 0o777 });
          const inner = join(folder, name, 'password');
          if (existsSync(inner)) seen.push({ name: inner, mode: statSync(inner).mode & 0o777 });
        } catch {} // gone already
      }),
    );
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const server = await startEmbeddedPostgres(join(dir, 'pg'), await freePort());
      try {
        expect(await answers(server.url)).toEqual([{ one: 1 }]);
      } finally {
        await server.stop();
      }
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
      for (const w of watchers) w.close();
    }
    expect(seen.length, 'the password file was not seen').toBeGreaterThan(0);
    for (const file of seen) expect(file.mode & 0o077, `${file.name} is open to others`).toBe(0);
    const left = [...(await readdir(tmp)), ...(await readdir(dir))].filter((n) => n.includes('pg-password'));
    expect(left).toEqual([]);
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  // As root the server runs as the postgres user; a clone inside `mktemp -d` (mode 700) put both
  // the package's binaries and var/pg out of its reach, and the start crashed on `spawn … EACCES`.
  it.skipIf(!isRoot)(
    '(as root) starts with its binaries and data inside a folder only root may enter',
    async () => {
      const closed = await mkdtemp(join(tmpdir(), 'onbehalf-closed-'));
      expect((await stat(closed)).mode & 0o777).toBe(0o700);
      // The binaries as a clone in that folder reaches them, with nothing big copied: a link.
      const real = await packageBinaries();
      await symlink(dirname(dirname(real.postgres)), join(closed, 'native'));
      const linked = {
        initdb: join(closed, 'native', 'bin', 'initdb'),
        postgres: join(closed, 'native', 'bin', 'postgres'),
      };
      const data = join(closed, 'var', 'pg');
      const port = await freePort();
      let server = await startEmbeddedPostgres(data, port, undefined, linked);
      const cluster = server.dir;
      try {
        expect(await answers(server.url)).toEqual([{ one: 1 }]);
        expect(cluster.startsWith(closed)).toBe(false);
        expect(existsSync(data), 'nothing of the postgres user is left in the closed folder').toBe(false);
        await server.stop();
        // Started again for the same folder, it finds the same cluster.
        server = await startEmbeddedPostgres(data, port, undefined, linked);
        expect(server.dir).toBe(cluster);
      } finally {
        await server.stop();
        await rm(cluster, { recursive: true, force: true });
        await rm(closed, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
