// Bot language understanding: model build time, per-message latency (p50/p99), messages per
// second on one core and memory — against the baseline of only preparing the text (tokens).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBotModel, loadCorpus, parseEvalCsv, tokens, understand } from '../src/server/modules/bot';
import { fmt, rssMiB } from './bench-database';

const DEV = join(process.cwd(), '..', 'shared', 'data', 'bot-eval', 'dev.csv');

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function measure(messages: string[], fn: (text: string) => unknown) {
  const times: number[] = [];
  const started = performance.now();
  for (const m of messages) {
    const t = performance.now();
    fn(m);
    times.push(performance.now() - t);
  }
  const total = performance.now() - started;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    perSecond: (messages.length * 1000) / total,
  };
}

export async function run() {
  const rssBefore = rssMiB();
  const t0 = performance.now();
  const model = buildBotModel();
  const buildMs = performance.now() - t0;
  const rssAfterBuild = Math.round(process.memoryUsage.rss() / 1048576);
  const messages = existsSync(DEV)
    ? parseEvalCsv(readFileSync(DEV, 'utf8')).map((r) => r.text)
    : loadCorpus().map((e) => e.text);
  const ctx = {
    languages: ['en', 'it', 'es', 'fr', 'de'],
    conversationLanguage: 'en',
    timeZone: 'Europe/Rome',
    currency: 'EUR',
    now: new Date('2026-03-12T09:00:00Z'),
  };
  // Warm up the JIT and the speller's cache the way a running service would be.
  for (const m of messages.slice(0, 2000)) understand(model, m, ctx);
  const baseline = measure(messages, (t) => tokens(t));
  const bot = measure(messages, (t) => understand(model, t, ctx));
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  console.log(`
Bot bench: ${fmt(messages.length)} messages (${existsSync(DEV) ? 'dev.csv' : 'project corpus'}), one core
  model build                ${Math.round(buildMs)} ms (${model.examples} corpus messages, 5 languages)
  understand()               p50 ${ms(bot.p50)}   p99 ${ms(bot.p99)}   ${fmt(bot.perSecond)} messages/s
  baseline: tokens only      p50 ${ms(baseline.p50)}   p99 ${ms(baseline.p99)}   ${fmt(baseline.perSecond)} messages/s
  memory: RSS ${rssBefore} MiB before the model, ${rssAfterBuild} MiB with it built; ${rssMiB()} MiB peak while classifying
          (the peak is short-lived garbage of the tight loop; the heap in use after a collection stays small)`);
}
