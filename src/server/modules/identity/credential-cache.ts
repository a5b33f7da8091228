// Signed-in sessions and API keys, remembered for a few seconds so that a request does not spend a
// round trip to PostgreSQL on who is calling (issue 20: it was one of the intake's five). Only
// successful checks are kept. Every instance LISTENs on `identity_changed`, which migration 0055's
// triggers send at the commit of any change that could end a credential (sign-out, revocation, a user
// changed or disabled — by this service or by hand); each instance then forgets everything it holds.
// The instance that made the change forgets at once, before it answers. While the LISTEN connection
// is down nothing is remembered, so a missed notice cannot keep a dead credential alive.
import { listenForChanges } from '../../platform/change-notices';
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
  const changes = listenForChanges(databaseUrl, IDENTITY_CHANNEL, log, {
    name: 'credential cache',
    applicationName: 'onbehalf-identity',
    meanwhile: 'checking every request',
    onForget: () => entries.clear(),
    retryMs,
  });

  const get = (credential: string, now: Date) => {
    if (!changes.listening()) return undefined;
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
      const before = changes.generation();
      const found = await load();
      if (!found) return null;
      if (changes.listening() && changes.generation() === before) {
        if (entries.size >= maxEntries) entries.clear();
        const until = Math.min(now.getTime() + ttlMs, found.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
        entries.set(credential, { principal: found.principal, until });
      }
      return found.principal;
    },
    forgetAll: changes.forget,
    ready: changes.ready,
    notices: changes.notices,
    close: changes.close,
  };
}
