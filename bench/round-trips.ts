// Counts the statements each request sends to PostgreSQL, and the time until each one's answer (its
// round trip: the network, the wait for a connection's turn, and the server's work), by statement.
// It wraps pg's Client.query, which every pool client (the preparing one too) goes through.
import pg from 'pg';

type Tally = { count: number; ms: number };

export function traceRoundTrips() {
  const byStatement = new Map<string, Tally>();
  let total = 0;
  const original = pg.Client.prototype.query;
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is heavily overloaded; this only times it
  pg.Client.prototype.query = function (this: pg.Client, config: any, ...rest: any[]): any {
    const text: string = typeof config === 'string' ? config : (config?.text ?? '');
    const label = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const started = performance.now();
    total++;
    const done = () => {
      const t = byStatement.get(label) ?? { count: 0, ms: 0 };
      t.count++;
      t.ms += performance.now() - started;
      byStatement.set(label, t);
    };
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result: any = (original as any).apply(this, [config, ...rest]);
    if (result && typeof result.then === 'function') result.then(done, done);
    return result;
  } as typeof original;
  return {
    /** Statements sent so far. */
    count: () => total,
    reset: () => {
      byStatement.clear();
      total = 0;
    },
    /** The statements sent since the last reset, per request, the costliest first. */
    report(requests: number): string {
      const rows = [...byStatement.entries()].sort((a, b) => b[1].ms - a[1].ms);
      return rows
        .map(
          ([label, t]) =>
            `    ${(t.count / requests).toFixed(2).padStart(5)} × ${(t.ms / t.count).toFixed(2).padStart(6)} ms  ${label}`,
        )
        .join('\n');
    },
    stop: () => {
      pg.Client.prototype.query = original;
    },
  };
}
