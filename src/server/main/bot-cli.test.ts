import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../modules/bot';

const cli = (args: string[], input = '') =>
  spawnSync('npx', ['tsx', 'src/server/main/cli.ts', 'bot', ...args], { input, encoding: 'utf8' });

describe('onbehalf bot', () => {
  it('classify writes one JSON line per message read from stdin, against the given clock', () => {
    const run = cli(
      ['classify', '--marketplace', 'IT', '--now', '2026-03-12T09:00:00Z'],
      "dov'è il mio pacco 402-8817263-1192045? ordinato martedì scorso\n\nvoglio parlare con un operatore\n",
    );
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2); // the empty line is skipped
    expect(lines[0]).toMatchObject({
      lang: 'it',
      intent: 'track_order',
      entities: { orderNumbers: ['402-8817263-1192045'], dates: [{ date: '2026-03-10' }] },
    });
    expect(lines[0].confidence).toBeGreaterThan(0.2);
    expect(Object.keys(lines[0])).toEqual([
      'lang',
      'intent',
      'confidence',
      'confident',
      'alternatives',
      'entities',
    ]);
    expect(lines[0].confident).toBe(true);
    expect(lines[0].alternatives).toHaveLength(3);
    expect(lines[0].alternatives[0]).toEqual({ intent: 'track_order', confidence: lines[0].confidence });
    expect(lines[1]).toMatchObject({
      lang: 'it',
      intent: 'human_agent',
      confidence: 1,
      confident: true,
      alternatives: [{ intent: 'human_agent', confidence: 1 }],
    });
  });

  it('cv --errors lists each held-out message the bot took for another intent; --repeats adds the mean of other folds', () => {
    const run = cli(['cv', '--folds', '2', '--errors', '--repeats', '2']);
    expect(run.status).toBe(0);
    const [, first, mean, low, high] =
      /^ {2}en {2}([0-9.]+) {3}mean of 2 fold assignments ([0-9.]+) \(([0-9.]+)–([0-9.]+)\)$/m
        .exec(run.stdout)!
        .map(Number);
    expect(low).toBeLessThanOrEqual(first!);
    expect(high).toBeGreaterThanOrEqual(first!);
    expect(Math.abs(mean! - (low! + high!) / 2)).toBeLessThan(0.0011); // two runs: the mean is the midpoint
    // Beside accuracy, what acting on the readings gives on the same folds, per language and overall.
    expect(run.stdout).toMatch(/^ {2}en +\d+( +[0-9.]+ %){5}$/m);
    expect(run.stdout).toMatch(/^ {2}overall +\d+ +[0-9.]+ %/m);
    const accuracy = first!;
    const listed = run.stdout.split('taken for another intent')[1]!.trim().split('\n');
    const en = listed.filter((l) => l.trim().startsWith('en '));
    expect(en[0]).toMatch(/^ *en {2}[a-z_]+ → [a-z_]+ {2}\S/);
    // All English misses are there — they are what the printed accuracy leaves out — although the
    // list is longer than a pipe takes at once (the command once exited before it was written out).
    const english = loadCorpus().filter((e) => e.lang === 'en').length;
    expect(Math.abs(en.length / english - (1 - accuracy))).toBeLessThan(0.0006);
  }, 120_000); // cross-validation twice over, in a child process, on a shared machine

  it('cv --curve prints accuracy at a quarter to all of the training folds and the law through it', () => {
    const run = cli(['cv', '--curve', '--folds', '2']);
    expect(run.status).toBe(0);
    for (const lang of ['it', 'es', 'fr', 'de', 'en']) {
      const line = new RegExp(
        `^ {2}${lang} {2}(.*) {3}error ∝ n\\^-([0-9.]+): 0\\.95 at ≈ (\\d+|never)`,
        'm',
      ).exec(run.stdout);
      expect(line, lang).not.toBeNull();
      const messages = [...line![1]!.matchAll(/\((\d+)\)/g)].map((m) => Number(m[1]));
      expect(messages).toHaveLength(4);
      // Half the corpus per fold, then a quarter, half, three quarters and all of it.
      expect(messages[3]! / messages[0]!).toBeCloseTo(4, 0);
      expect(messages).toEqual([...messages].sort((a, b) => a - b));
      expect(Number(line![2])).toBeGreaterThan(0);
    }
  }, 120_000); // four cross-validations in a child process

  it('refuses a model it does not know, naming the ones it does', () => {
    const run = cli(['cv', '--model', 'gpt']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/unknown model gpt; one of linear, nlpjs/);
  });

  it('refuses a number of folds it cannot run, with or without the curve', () => {
    for (const args of [
      ['cv', '--folds', '1'],
      ['cv', '--curve', '--folds', 'abc'],
      ['cv', '--curve', '--folds', '21'],
    ]) {
      const run = cli(args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/--folds takes a whole number from 2 to 20/);
      expect(run.stdout).toBe('');
    }
  });

  it('refuses a number of repeats it cannot run', () => {
    for (const repeats of ['0', '2.5', '21']) {
      const run = cli(['cv', '--repeats', repeats]);
      expect(run.status, repeats).toBe(1);
      expect(run.stderr).toMatch(/--repeats takes a whole number from 1 to 20/);
    }
  });
});
