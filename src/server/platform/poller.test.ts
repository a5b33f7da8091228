import { describe, expect, it } from 'vitest';
import { createLogger } from './log';
import { startPoller } from './poller';

describe('poller', () => {
  it('runs rounds one at a time, carries on after a failed one, and stops after the round in progress', async () => {
    let rounds = 0;
    let inFlight = 0;
    let overlapped = false;
    const poller = startPoller(
      'test round',
      async () => {
        rounds++;
        inFlight++;
        if (inFlight > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 15));
        inFlight--;
        if (rounds === 2) throw new Error('a failing round');
      },
      createLogger('silent'),
      5,
    );
    while (rounds < 4) await new Promise((r) => setTimeout(r, 5));
    await poller.stop();
    const after = rounds;
    await new Promise((r) => setTimeout(r, 40));
    expect(overlapped).toBe(false);
    expect(inFlight).toBe(0);
    expect(rounds).toBe(after);
  });
});
