// The LISTEN side of an in-process cache that a change anywhere must end: one connection per cache
// LISTENs on a channel that triggers notify at commit; every notice, reconnect or close "forgets"
// (the cache clears itself in `onForget`) and bumps a generation, so a read that began before it does
// not store what it read. While the connection is down `listening()` is false and nothing may be
// remembered: a missed notice cannot keep stale data alive. Used by identity's credential cache and the
// assistant's bot facts.
import pg from 'pg';
import type { Logger } from './log';

export type ChangeNotices = {
  /** Only while this is true may the cache remember anything. */
  listening(): boolean;
  /** Bumped at every forget: compare before and after a read to know whether to store it. */
  generation(): number;
  /** Forgets at once (a change this instance made). */
  forget(): void;
  /** Resolves once the connection listens, or after `waitMs`. */
  ready(waitMs?: number): Promise<void>;
  /** How many notices arrived: lets a test wait for one without sleeping. */
  notices(): number;
  close(): Promise<void>;
};

export function listenForChanges(
  databaseUrl: string,
  channel: string,
  log: Logger,
  options: {
    /** Names the cache in the logs and the connection ("credential cache"). */
    name: string;
    applicationName: string;
    /** What happens while the connection is down ("checking every request"). */
    meanwhile: string;
    onForget: () => void;
    retryMs?: number;
  },
): ChangeNotices {
  const retryMs = options.retryMs ?? 1000;
  let generation = 0;
  let listening = false;
  let notices = 0;
  let client: pg.Client | null = null;
  let closed = false;
  let onListening: (() => void)[] = [];

  const forget = () => {
    generation++;
    options.onForget();
  };

  const connect = async (): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: options.applicationName });
    const retry = () => {
      if (client !== c) return;
      client = null;
      listening = false;
      forget();
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect(), retryMs).unref();
    };
    c.on('error', (error) => {
      log.warn({ err: error }, `${options.name} lost its connection; ${options.meanwhile} until it is back`);
      retry();
    });
    c.on('end', retry);
    c.on('notification', () => {
      notices++;
      forget();
    });
    client = c;
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
      // Whatever changed while nobody listened: start from nothing.
      forget();
      listening = true;
      for (const resolve of onListening) resolve();
      onListening = [];
    } catch (error) {
      log.warn({ err: error }, `${options.name} could not listen; retrying`);
      retry();
    }
  };
  void connect();

  return {
    listening: () => listening,
    generation: () => generation,
    forget,
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
      forget();
      await c?.end().catch(() => {});
    },
  };
}
