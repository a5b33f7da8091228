// Background work that runs every so often: never two rounds at once, a failed round logged and the
// next one tried, and a stop that waits for the round in progress.
import type { Logger } from './log';

export function startPoller(what: string, round: () => Promise<unknown>, log: Logger, intervalMs = 1000) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await round();
    } catch (error) {
      log.error({ err: error }, `${what} failed`);
    } finally {
      running = false;
    }
  };
  const handle = setInterval(() => void tick(), intervalMs);
  return {
    stop: async () => {
      clearInterval(handle);
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
