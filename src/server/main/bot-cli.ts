// `onbehalf bot classify|eval|cv|calibrate`: the bot's language understanding from the command line.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  type ActedReading,
  actionReport,
  botLanguages,
  buildBotModel,
  type Calibration,
  type ConversationContext,
  crossValidate,
  type Example,
  fitCalibration,
  fitLearningCurve,
  listSuggestions,
  loadCalibration,
  loadCorpus,
  type ModelKind,
  messagesFor,
  modelKinds,
  type Prediction,
  parseEvalCsv,
  readHeldOut,
  reliability,
  report,
  reviewSuggestion,
  saveCalibration,
  UNCALIBRATED,
  understand,
} from '../modules/bot';
import { demoMarketplaces } from '../modules/marketplace';
import { loadConfig } from '../platform/config';
import { type Db, openDatabase } from '../platform/db';
import { createLogger } from '../platform/log';
import { migrate } from '../platform/migrate';
import { openRuntimeDatabase } from '../platform/runtime-database';

/** The conversation context of a demo marketplace, or of all five languages when none is named. */
function contextFor(marketplace: string | undefined): Omit<ConversationContext, 'now'> {
  if (!marketplace) {
    return {
      languages: ['en', 'it', 'es', 'fr', 'de'],
      conversationLanguage: 'en',
      timeZone: 'UTC',
      currency: 'EUR',
    };
  }
  const m = demoMarketplaces().find((x) => x.id === marketplace.toUpperCase());
  if (!m) throw new Error(`unknown marketplace ${marketplace}; the demo has US, IT, ES, FR, DE`);
  return {
    languages: m.languages,
    conversationLanguage: m.defaultLanguage,
    timeZone: m.timeZone,
    currency: m.currency,
    orderNumberPattern: m.orderNumberPattern,
  };
}

export async function botCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: sub === 'review',
    options: {
      status: { type: 'string', default: 'pending' },
      intent: { type: 'string' },
      marketplace: { type: 'string' },
      data: { type: 'string' },
      folds: { type: 'string', default: '5' },
      now: { type: 'string' },
      model: { type: 'string', default: 'linear' },
      errors: { type: 'boolean', default: false },
      repeats: { type: 'string', default: '1' },
      curve: { type: 'boolean', default: false },
    },
  });
  const kind = values.model as ModelKind;
  if (!modelKinds.includes(kind))
    throw new Error(`unknown model ${values.model}; one of ${modelKinds.join(', ')}`);
  if (sub === 'classify') {
    const model = buildBotModel(undefined, kind);
    const ctx = contextFor(values.marketplace);
    const now = values.now ? new Date(values.now) : new Date();
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      const u = understand(model, line, { ...ctx, now });
      const { lang, intent, confidence, confident, alternatives, entities } = u;
      process.stdout.write(
        `${JSON.stringify({ lang, intent, confidence, confident, alternatives, entities })}\n`,
      );
    }
    return 0;
  }
  if (sub === 'eval') {
    if (!values.data) throw new Error('name the evaluation file: --data ../shared/data/bot-eval/dev.csv');
    const rows = parseEvalCsv(readFileSync(values.data, 'utf8'));
    const model = buildBotModel(undefined, kind);
    const ctx = contextFor(values.marketplace);
    const now = new Date();
    const readings: ActedReading[] = [];
    const predictions: Prediction[] = rows.map((r) => {
      const u = understand(model, r.text, { ...ctx, conversationLanguage: r.lang, now });
      readings.push({ ...u, gold: r.intent, lang: r.lang });
      return { gold: r.intent, predicted: u.intent, lang: r.lang, flags: r.flags };
    });
    printEvaluation(predictions, model.trainedInMs);
    process.stdout.write(
      `\nacting on readings (${describe(model.calibration)}):\n${actionTable(readings)}\n`,
    );
    return 0;
  }
  if (sub === 'cv') {
    const folds = Number(values.folds);
    const repeats = Number(values.repeats);
    // One fold leaves nothing to train on; more than 20 holds out too little to measure.
    if (!Number.isInteger(folds) || folds < 2 || folds > 20)
      throw new Error('--folds takes a whole number from 2 to 20');
    if (!Number.isInteger(repeats) || repeats < 1 || repeats > 20)
      throw new Error('--repeats takes a whole number from 1 to 20');
    const started = performance.now();
    const corpus = loadCorpus();
    if (values.curve) {
      printLearningCurve(corpus, folds, kind);
      return 0;
    }
    const result = crossValidate(corpus, { folds, kind });
    // Other fold assignments, as fair (seeded shuffles within each intent): how much of a difference
    // between two corpora is the split rather than the messages.
    const others = Array.from({ length: repeats - 1 }, (_, i) =>
      crossValidate(corpus, { folds, kind, shuffleSeed: i + 1 }),
    );
    process.stdout.write(
      `${folds}-fold cross-validated accuracy on the project corpus, model ${kind} (${Math.round(performance.now() - started)} ms):\n`,
    );
    for (const [lang, acc] of Object.entries(result.accuracy)) {
      const all = [acc, ...others.map((o) => o.accuracy[lang as keyof typeof o.accuracy]!)];
      const spread =
        repeats > 1
          ? `   mean of ${repeats} fold assignments ${(all.reduce((a, b) => a + b, 0) / repeats).toFixed(3)} (${Math.min(...all).toFixed(3)}–${Math.max(...all).toFixed(3)})`
          : '';
      process.stdout.write(`  ${lang}  ${acc.toFixed(3)}${spread}\n`);
    }
    process.stdout.write(
      `held-out in-scope messages answered \`none\` for want of confidence: ${(result.inScopeUnsure * 100).toFixed(1)} %\n`,
    );
    // Where the corpus is weakest: the intents held-out messages are least often recognised as, and
    // the pairs they are taken for — what the next corpus review should look at.
    const all = report(result.predictions);
    const weakest = Object.entries(all.perIntent)
      .sort((a, b) => a[1].recall - b[1].recall)
      .slice(0, 6)
      .map(([intent, m]) => `${intent} ${m.recall.toFixed(3)}`);
    process.stdout.write(`lowest recall: ${weakest.join(', ')}\nmost confused (gold → predicted):\n`);
    for (const c of all.confusions.slice(0, 8))
      process.stdout.write(`  ${String(c.count).padStart(5)}  ${c.gold} → ${c.predicted}\n`);
    const calibration = kind === 'linear' ? loadCalibration() : UNCALIBRATED;
    const readings = readHeldOut(result.heldOut, kind, (lang) => calibration[lang]);
    process.stdout.write(
      `acting on held-out readings (${describe(calibration)}):\n${actionTable(readings)}\n`,
    );
    if (values.errors) {
      process.stdout.write('held-out messages taken for another intent (lang, gold → predicted):\n');
      const missed = result.predictions.filter((p) => p.gold !== p.predicted);
      const line = (p: Prediction) => `${p.lang}  ${p.gold} → ${p.predicted}  ${p.text}`;
      for (const l of missed.map(line).sort()) process.stdout.write(`  ${l}\n`);
    }
    return 0;
  }
  if (sub === 'review') {
    const [action, id] = positionals;
    return withDatabase(async (db) => {
      if (action === undefined || action === 'list') {
        const status = values.status as 'pending' | 'accepted' | 'rejected';
        if (!['pending', 'accepted', 'rejected'].includes(status))
          throw new Error('--status is pending, accepted or rejected');
        for (const s of await listSuggestions(db, status)) process.stdout.write(`${JSON.stringify(s)}\n`);
        return 0;
      }
      if ((action !== 'accept' && action !== 'reject') || !id)
        throw new Error('bot review [list [--status S]] | accept ID --intent INTENT | reject ID');
      if (action === 'accept' && !values.intent) throw new Error('accept takes --intent');
      const decision =
        action === 'accept' ? { accept: true as const, intent: values.intent! } : { accept: false as const };
      const reviewed = await reviewSuggestion(db, id, decision, null, new Date());
      process.stdout.write(`${JSON.stringify(reviewed)}\n`);
      return 0;
    });
  }
  if (sub === 'calibrate') {
    if (kind !== 'linear') throw new Error('only the shipped model, linear, is calibrated');
    const started = performance.now();
    const { heldOut } = crossValidate(loadCorpus(), { kind });
    const calibration = fitCalibration(heldOut, kind);
    saveCalibration(calibration);
    const out = [`fitted on the corpus's 5 folds in ${Math.round(performance.now() - started)} ms:`];
    for (const [lang, c] of Object.entries(calibration)) {
      const mine = heldOut.filter((h) => h.lang === lang);
      const ece = (temperature: number) =>
        reliability(readHeldOut(mine, kind, () => ({ temperature, threshold: 0 }))).expectedCalibrationError;
      out.push(
        `  ${lang}  temperature ${c.temperature.toFixed(3)}  threshold ${c.threshold.toFixed(3)}  calibration error ${ece(1).toFixed(3)} → ${ece(c.temperature).toFixed(3)}`,
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }
  process.stderr.write(
    'usage: onbehalf bot classify [--marketplace IT] [--now ISO] | eval --data FILE.csv | cv [--folds 5] [--repeats 1] [--errors] [--curve] | calibrate | review [list [--status pending]] | review accept ID --intent INTENT | review reject ID   (each takes --model linear|nlpjs)\n',
  );
  return 1;
}

/** The platform's database (embedded unless DATABASE_URL), migrated, for the review list. */
async function withDatabase<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const runtime = await openRuntimeDatabase(loadConfig(), createLogger('warn'));
  try {
    await migrate(runtime.url);
    const database = openDatabase(runtime.url, 2);
    try {
      return await fn(database.db);
    } finally {
      await database.close();
    }
  } finally {
    await runtime.stop();
  }
}

const describe = (c: Calibration) =>
  `acts from confidence ${Object.entries(c)
    .map(([lang, l]) => `${lang} ${l.threshold.toFixed(2)}`)
    .join(', ')}`;

/** The figures of acting on readings, per language and overall. */
function actionTable(readings: readonly ActedReading[]): string {
  const columns = [
    'wrong/acted',
    'in-scope acted',
    'right acted or top 3',
    'out-of-scope acted',
    'human recall',
  ];
  const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)} %`);
  const row = (name: string, list: readonly ActedReading[]) => {
    const r = actionReport(list);
    const cells = [
      r.wrongAmongActed,
      r.inScopeActed,
      r.rightActedOrOffered,
      r.outOfScopeActed,
      r.humanRecall,
    ];
    return `  ${name.padEnd(7)} ${String(r.count).padStart(8)}  ${cells.map((c, i) => pct(c).padStart(columns[i]!.length)).join('  ')}`;
  };
  const langs = [...new Set(readings.map((r) => r.lang ?? '?'))].sort();
  return [
    `  lang    messages  ${columns.join('  ')}`,
    ...langs.map((l) =>
      row(
        l,
        readings.filter((r) => r.lang === l),
      ),
    ),
    row('overall', readings),
  ].join('\n');
}

// The learning curve's points: a quarter, half, three quarters and all of the training folds.
const CURVE_SHARES = [0.25, 0.5, 0.75, 1];
// The accuracy the curve is read for: the issue's goal per language.
const CURVE_GOAL = 0.95;

/**
 * Cross-validated accuracy when the models learn from a share of the training folds, per language, and
 * the power law through those points: how many training messages the goal would take if more
 * messages taught as much as these do.
 */
function printLearningCurve(corpus: readonly Example[], folds: number, kind: ModelKind) {
  const runs = CURVE_SHARES.map((trainShare) => crossValidate(corpus, { folds, kind, trainShare }));
  const out = [`learning curve, ${folds}-fold cross-validation, model ${kind}: accuracy (training messages)`];
  for (const lang of botLanguages) {
    const points = runs.map((r) => ({ messages: r.trainingMessages[lang]!, accuracy: r.accuracy[lang]! }));
    const law = fitLearningCurve(points);
    const needed = messagesFor(law, CURVE_GOAL);
    const today = points.at(-1)!.messages;
    out.push(
      `  ${lang}  ${points.map((p) => `${p.accuracy.toFixed(3)} (${p.messages})`).join('  ')}   error ∝ n^-${law.exponent.toFixed(2)}: ${CURVE_GOAL} at ≈ ${Number.isFinite(needed) ? `${Math.round(needed)} (${(needed / today).toFixed(1)}×)` : 'never'}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function printEvaluation(predictions: Prediction[], trainedInMs: number) {
  const overall = report(predictions);
  const out: string[] = [];
  const pct = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)} %`);
  out.push(`messages ${overall.count}   model built in ${trainedInMs} ms`);
  out.push(
    `accuracy ${pct(overall.accuracy)}   macro-F1 ${overall.macroF1.toFixed(3)} (over the ${Object.keys(overall.perIntent).length} intents in the data)`,
  );
  out.push(
    `out-of-scope recall ${pct(overall.outOfScopeRecall)}   in-scope accuracy ${pct(overall.inScopeAccuracy)}   human-agent recall ${pct(overall.humanAgentRecall)}`,
  );
  out.push('', 'intent            precision  recall    F1   support');
  for (const [intent, m] of Object.entries(overall.perIntent)) {
    out.push(
      `${intent.padEnd(16)}  ${m.precision.toFixed(3).padStart(9)}  ${m.recall.toFixed(3).padStart(6)}  ${m.f1.toFixed(3)}  ${String(m.support).padStart(7)}`,
    );
  }
  out.push('', 'most confused (gold → predicted):');
  for (const c of overall.confusions.slice(0, 12))
    out.push(`  ${String(c.count).padStart(5)}  ${c.gold} → ${c.predicted}`);
  out.push('', 'by language:');
  for (const lang of [...new Set(predictions.map((p) => p.lang ?? '?'))].sort()) {
    const r = report(predictions.filter((p) => p.lang === lang));
    out.push(
      `  ${lang}  ${String(r.count).padStart(6)} messages  accuracy ${pct(r.accuracy)}  macro-F1 ${r.macroF1.toFixed(3)}`,
    );
  }
  out.push('', 'by Bitext phrasing flag (a message may carry several):');
  const flags = [...new Set(predictions.flatMap((p) => (p.flags ?? '').split('')))].filter(Boolean).sort();
  for (const flag of flags) {
    const r = report(predictions.filter((p) => (p.flags ?? '').includes(flag)));
    out.push(`  ${flag}  ${String(r.count).padStart(6)} messages  accuracy ${pct(r.accuracy)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
