// Signed-in sessions and API keys, remembered for a few seconds so that a request does not spend a
// round trip to PostgreSQL on who is calling (issue 20: it was one of the intake's five). Only
// successful checks are kept. Every instance LISTENs on `identity_changed`, which migration 0055's
// triggers send at the commit of any change that could end a credential (sign-out, revocation, a user
// changed or disabled — by this service or by hand); each instance then forgets everything it holds.
// The instance that made the change forgets at once, before it answers. While the LISTEN connection
// is down nothing is remembered, so a missed notice cannot keep a dead credential alive.
import pg from 'pg';
import type { Principal } from '../../platform/http/access';
import type { Logger } from '../../platform/log';

export const IDENTITY_CHANNEL = 'identity_changed';

export type CredentialCache = {
  /** The principal a credential (its hash, as hex) was found to be, if still remembered. */
  get(credential: string, now: Date): Principal | undefined;
  /** Runs the database check `load`, remembering a success unless a change arrived meanwhile. */
  load(
    credential: string,
    now: Date,
    load: () => Promise<{ principal: Principal; expiresAt: Date | null } | null>,
  ): Promise<Principal | null>;
  /** Forgets everything: after a change this instance made, and at each notice from any instance. */
  forgetAll(): void;
  /** Resolves once the LISTEN connection listens, or after `waitMs` (until then every request is checked). */
  ready(waitMs?: number): Promise<void>;
  /** How many notices arrived: lets a test wait for one without sleeping. */
  notices(): number;
  close(): Promise<void>;
};

export function startCredentialCache(
  databaseUrl: string,
  log: Logger,
  { ttlMs = 10_000, retryMs = 1000, maxEntries = 100_000 } = {},
): CredentialCache {
  const entries = new Map<string, { principal: Principal; until: number }>();
  // Bumped at every forget: a check that began before it must not store what it read.
  let generation = 0;
  let listening = false;
  let notices = 0;
  let client: pg.Client | null = null;
  let closed = false;
  let onListening: (() => void)[] = [];

  const forgetAll = () => {
    generation++;
    entries.clear();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: 'onbehalf-identity' });
    const retry = () => {
      if (client !== c) return;
      client = null;
      listening = false;
      forgetAll();
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect(), retryMs).unref();
    };
    c.on('error', (error) => {
      log.warn(
        { err: error },
        'credential cache lost its connection; checking every request until it is back',
      );
      retry();
    });
    c.on('end', retry);
    c.on('notification', () => {
      notices++;
      forgetAll();
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${IDENTITY_CHANNEL}`);
      // Whatever changed while nobody listened: start from nothing.
      forgetAll();
      listening = true;
      for (const resolve of onListening) resolve();
      onListening = [];
    } catch (error) {
      log.warn({ err: error }, 'credential cache could not listen; retrying');
      retry();
    }
  };
  void connect();

  const get = (credential: string, now: Date) => {
    if (!listening) return undefined;
    const entry = entries.get(credential);
    if (!entry) return undefined;
    if (entry.until <= now.getTime()) {
      entries.delete(credential);
      return undefined;
    }
    return entry.principal;
  };

  return {
    get,
    async load(credential, now, load) {
      const cached = get(credential, now);
      if (cached) return cached;
      const before = generation;
      const found = await load();
      if (!found) return null;
      if (listening && generation === before) {
        if (entries.size >= maxEntries) entries.clear();
        const until = Math.min(now.getTime() + ttlMs, found.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
        entries.set(credential, { principal: found.principal, until });
      }
      return found.principal;
    },
    forgetAll,
    ready: (waitMs = 5000) =>
      listening || closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            onListening.push(resolve);
            setTimeout(resolve, waitMs).unref();
          }),
    notices: () => notices,
    async close() {
      closed = true;
      listening = false;
      const c = client;
      client = null;
      forgetAll();
      await c?.end().catch(() => {});
    },
  };
}
