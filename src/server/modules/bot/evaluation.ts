// Measuring the bot: accuracy, macro-F1, per-intent precision and recall, confusions, and
// cross-validation on the project's own corpus. Pure functions over (gold, predicted) pairs.
import {
  type Calibration,
  chooseThreshold,
  fitTemperature,
  type HeldOut,
  type LanguageCalibration,
} from './calibration';
import { classify, decide, type ModelKind, trainClassifier } from './classifier';
import type { Example } from './corpus';
import { namesAnOrder } from './entities';
import { withoutAskThrough } from './human-request';
import type { BotLanguage } from './intents';
import { humanReading, type IntentReading, readScores } from './reading';
import { seededRandom, shuffle } from './softmax-regression';

export type Prediction = { gold: string; predicted: string; lang?: string; flags?: string; text?: string };

export type Report = {
  count: number;
  accuracy: number;
  macroF1: number;
  perIntent: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  confusions: { gold: string; predicted: string; count: number }[];
  outOfScopeRecall: number | null;
  inScopeAccuracy: number | null;
  humanAgentRecall: number | null;
};

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** Metrics over the intents present in the gold labels (macro-F1 is over those). */
export function report(predictions: readonly Prediction[]): Report {
  const labels = [...new Set(predictions.map((p) => p.gold))].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const confusions = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let correct = 0;
  for (const p of predictions) {
    if (p.gold === p.predicted) {
      correct++;
      inc(tp, p.gold);
    } else {
      inc(fn, p.gold);
      inc(fp, p.predicted);
      inc(confusions, `${p.gold}\u0000${p.predicted}`);
    }
  }
  const perIntent: Report['perIntent'] = {};
  for (const l of labels) {
    const precision = ratio(tp.get(l) ?? 0, (tp.get(l) ?? 0) + (fp.get(l) ?? 0));
    const recall = ratio(tp.get(l) ?? 0, (tp.get(l) ?? 0) + (fn.get(l) ?? 0));
    perIntent[l] = {
      precision: r3(precision),
      recall: r3(recall),
      f1: r3(ratio(2 * precision * recall, precision + recall)),
      support: (tp.get(l) ?? 0) + (fn.get(l) ?? 0),
    };
  }
  const of = (filter: (p: Prediction) => boolean) => predictions.filter(filter);
  const oos = of((p) => p.gold === 'none');
  const inScope = of((p) => p.gold !== 'none');
  const human = of((p) => p.gold === 'human_agent');
  return {
    count: predictions.length,
    accuracy: r3(ratio(correct, predictions.length)),
    macroF1: r3(labels.reduce((s, l) => s + perIntent[l]!.f1, 0) / Math.max(labels.length, 1)),
    perIntent,
    confusions: [...confusions]
      .map(([k, count]) => {
        const [gold, predicted] = k.split('\u0000') as [string, string];
        return { gold, predicted, count };
      })
      .sort((a, b) => b.count - a.count),
    outOfScopeRecall: oos.length
      ? r3(ratio(oos.filter((p) => p.predicted === 'none').length, oos.length))
      : null,
    inScopeAccuracy: inScope.length
      ? r3(ratio(inScope.filter((p) => p.predicted === p.gold).length, inScope.length))
      : null,
    humanAgentRecall: human.length
      ? r3(ratio(human.filter((p) => p.predicted === 'human_agent').length, human.length))
      : null,
  };
}

/**
 * The fold of each example: every k-th example in corpus order (the corpus is grouped by intent, so
 * each fold holds a k-th of every intent), or, with a seed, every k-th of each intent's examples
 * after a seeded shuffle — another assignment as fair, to see how much the figure owes to the split.
 */
export function foldsOf(examples: readonly Example[], folds: number, seed?: number): number[] {
  if (seed === undefined) return examples.map((_, i) => i % folds);
  const out = new Array<number>(examples.length);
  const random = seededRandom(seed);
  const byIntent = new Map<string, number[]>();
  for (const [i, e] of examples.entries()) {
    const positions = byIntent.get(e.intent);
    if (positions) positions.push(i);
    else byIntent.set(e.intent, [i]);
  }
  for (const positions of byIntent.values()) {
    shuffle(positions, random);
    for (const [rank, i] of positions.entries()) out[i] = rank % folds;
  }
  return out;
}

/**
 * A share of each intent's examples, spread evenly through them (an intent's r-th example is kept when
 * r · share crosses a whole number): a smaller training set as stratified as the folds, for a learning curve.
 */
export function shareOf<T extends { intent: string }>(examples: readonly T[], share: number): readonly T[] {
  if (share >= 1) return examples;
  const seen = new Map<string, number>();
  return examples.filter((e) => {
    const r = seen.get(e.intent) ?? 0;
    seen.set(e.intent, r + 1);
    return Math.floor((r + 1) * share + 1e-9) > Math.floor(r * share + 1e-9);
  });
}

export type CrossValidation = {
  /** Folds, as `foldsOf` assigns them (5). */
  folds?: number;
  kind?: ModelKind;
  /** Another fold assignment as fair (`foldsOf`'s seed). */
  shuffleSeed?: number;
  /** The share of the training folds each model learns from (`shareOf`; 1, all of them). */
  trainShare?: number;
};

/**
 * Accuracy by k-fold cross-validation per language (folds from `foldsOf`), the share of held-out
 * in-scope messages the bot answered `none` to because it was unsure, how many messages each
 * language's models learnt from (the mean over folds), and the held-out predictions themselves, for
 * `report()`.
 */
export function crossValidate(
  examples: readonly Example[],
  { folds = 5, kind = 'linear', shuffleSeed, trainShare = 1 }: CrossValidation = {},
) {
  const accuracy: Partial<Record<BotLanguage, number>> = {};
  const trainingMessages: Partial<Record<BotLanguage, number>> = {};
  let inScope = 0;
  let unsure = 0;
  const predictions: Prediction[] = [];
  const heldOut: HeldOut[] = [];
  const langs = [...new Set(examples.map((e) => e.lang))];
  for (const lang of langs) {
    const mine = examples.filter((e) => e.lang === lang);
    const foldOf = foldsOf(mine, folds, shuffleSeed);
    let trained = 0;
    for (let k = 0; k < folds; k++) {
      const train = shareOf(
        mine.filter((_, i) => foldOf[i] !== k),
        trainShare,
      );
      const test = mine.filter((_, i) => foldOf[i] === k);
      trained += train.length;
      const model = trainClassifier(train, kind);
      for (const e of test) {
        const scores = classify(model, withoutAskThrough(e.text), lang);
        const decided = decide(kind, scores).intent;
        predictions.push({ gold: e.intent, predicted: decided, lang, text: e.text });
        heldOut.push({ lang, gold: e.intent, text: e.text, scores });
        if (e.intent === 'none') continue;
        inScope++;
        if (decided === 'none' && scores[0]?.intent !== 'none') unsure++;
      }
    }
    accuracy[lang] = report(predictions.filter((p) => p.lang === lang)).accuracy;
    trainingMessages[lang] = Math.round(trained / folds);
  }
  return {
    accuracy,
    trainingMessages,
    inScopeUnsure: r3(unsure / Math.max(inScope, 1)),
    predictions,
    heldOut,
  };
}

/** What the bot reads in each held-out message, its raw scores calibrated as given. */
export function readHeldOut(
  heldOut: readonly HeldOut[],
  kind: ModelKind,
  calibration: (lang: BotLanguage) => LanguageCalibration,
): ActedReading[] {
  return heldOut.map((h) => ({
    gold: h.gold,
    lang: h.lang,
    ...(humanReading(h.text) ?? readScores(kind, h.scores, calibration(h.lang), namesAnOrder(h.text))),
  }));
}

/**
 * Per language, the temperature of least log-loss on the held-out messages of the corpus's folds, and
 * the lowest threshold that keeps wrong acted-on readings there at 2 % or less.
 */
export function fitCalibration(heldOut: readonly HeldOut[], kind: ModelKind = 'linear'): Calibration {
  const out: Partial<Calibration> = {};
  for (const lang of [...new Set(heldOut.map((h) => h.lang))]) {
    const mine = heldOut.filter((h) => h.lang === lang);
    const temperature = fitTemperature(mine);
    const readings = readHeldOut(mine, kind, () => ({ temperature, threshold: 0 }));
    out[lang] = { temperature: r4(temperature), threshold: r4(chooseThreshold(readings)) };
  }
  return out as Calibration;
}

const r4 = (n: number) => Math.round(n * 10000) / 10000;

/** A reading beside the intent the message truly has. */
export type ActedReading = IntentReading & { gold: string; lang?: string };

/** What acting on readings gives: the figures the bot is held to (README "The bot's language understanding"). */
export type ActionReport = {
  count: number;
  /** Of the readings acted on (confident, an intent other than `none`), the share that was wrong. */
  wrongAmongActed: number | null;
  /** Of the in-scope messages, the share acted on. */
  inScopeActed: number | null;
  /** Of the in-scope messages, the share acted on rightly, or not acted on with the right intent among the alternatives offered. */
  rightActedOrOffered: number | null;
  /** Of the out-of-scope messages, the share acted on (as some intent). */
  outOfScopeActed: number | null;
  /** Of the requests for a person, the share read as one and acted on. */
  humanRecall: number | null;
};

export function actionReport(readings: readonly ActedReading[]): ActionReport {
  const acts = (r: ActedReading) => r.confident && r.intent !== 'none';
  const share = (list: readonly ActedReading[], test: (r: ActedReading) => boolean) =>
    list.length === 0 ? null : r3(list.filter(test).length / list.length);
  const inScope = readings.filter((r) => r.gold !== 'none');
  return {
    count: readings.length,
    wrongAmongActed: share(readings.filter(acts), (r) => r.intent !== r.gold),
    inScopeActed: share(inScope, acts),
    rightActedOrOffered: share(inScope, (r) =>
      acts(r) ? r.intent === r.gold : r.alternatives.some((a) => a.intent === r.gold),
    ),
    outOfScopeActed: share(
      readings.filter((r) => r.gold === 'none'),
      acts,
    ),
    humanRecall: share(
      readings.filter((r) => r.gold === 'human_agent'),
      (r) => acts(r) && r.intent === 'human_agent',
    ),
  };
}

/** A learning curve's law: the error rate is `constant · messages^−exponent`. */
export type PowerLaw = { exponent: number; constant: number };

/**
 * The power law through points of a learning curve, by least squares on the logarithms of the
 * training messages and of the error rate (points with no error carry no logarithm and are left out).
 */
export function fitLearningCurve(points: readonly { messages: number; accuracy: number }[]): PowerLaw {
  const xy = points
    .filter((p) => p.accuracy < 1)
    .map((p) => [Math.log(p.messages), Math.log(1 - p.accuracy)]);
  if (xy.length < 2) throw new Error('a learning curve needs two points with errors');
  const mx = xy.reduce((a, [x]) => a + x!, 0) / xy.length;
  const my = xy.reduce((a, [, y]) => a + y!, 0) / xy.length;
  const spread = xy.reduce((a, [x]) => a + (x! - mx) ** 2, 0);
  if (spread === 0) throw new Error('a learning curve needs points at two sizes');
  const slope = xy.reduce((a, [x, y]) => a + (x! - mx) * (y! - my), 0) / spread;
  return { exponent: -slope, constant: Math.exp(my - slope * mx) };
}

/** How many training messages the law says an accuracy takes (∞ when the error does not fall). */
export function messagesFor(law: PowerLaw, accuracy: number): number {
  if (law.exponent <= 0) return Number.POSITIVE_INFINITY;
  return (law.constant / (1 - accuracy)) ** (1 / law.exponent);
}

/** Parses the evaluation CSV (lang,text,intent,source,source_label,flags) with quoted fields. */
export function parseEvalCsv(text: string): { lang: string; text: string; intent: string; flags: string }[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows;
  const col = (name: string) => header!.indexOf(name);
  return body
    .filter((r) => r.length >= 3)
    .map((r) => ({
      lang: r[col('lang')]!,
      text: r[col('text')]!,
      intent: r[col('intent')]!,
      flags: r[col('flags')] ?? '',
    }));
}
