// How sure the bot must be to act. The regression's probabilities are sharpened or softened by one
// temperature per language (p ∝ p^(1/T)), fitted on held-out predictions of the corpus's folds so that a
// confidence of 0.9 is right about nine times in ten; the threshold to act is then the lowest confidence
// above which, on the same folds, at most 2 % of the readings acted on are wrong. Fitted offline
// (`onbehalf bot calibrate`, a cross-validation of ≈ 20 s) and shipped in calibration.json, so that
// start-up only reads it. Never fitted on dev.csv.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntentScores } from './classifier';
import { type BotLanguage, botLanguages } from './intents';

export type LanguageCalibration = { temperature: number; threshold: number };
export type Calibration = Record<BotLanguage, LanguageCalibration>;

/** The largest share of acted-on readings that may be wrong on the corpus's folds. */
export const MAX_WRONG_ACTED_ON = 0.02;

export const CALIBRATION_FILE = join(import.meta.dirname, 'calibration.json');

/** Without a fitted calibration (another model kind): probabilities as they are, acting from 0.8. */
export const UNCALIBRATED: Calibration = Object.fromEntries(
  botLanguages.map((l) => [l, { temperature: 1, threshold: 0.8 }]),
) as Calibration;

export function loadCalibration(file = CALIBRATION_FILE): Calibration {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { languages: Calibration };
  return parsed.languages;
}

export function saveCalibration(calibration: Calibration, file = CALIBRATION_FILE) {
  const note = 'Written by `onbehalf bot calibrate` from 5-fold cross-validation on the corpus; do not edit.';
  writeFileSync(file, `${JSON.stringify({ note, languages: calibration }, null, 2)}\n`);
}

/** The scores at a temperature, best first (the order does not change; the spread does). */
export function withTemperature(scores: IntentScores, temperature: number): IntentScores {
  if (temperature === 1 || scores.length < 2) return scores;
  const powered = scores.map((s) => (s.confidence > 0 ? s.confidence ** (1 / temperature) : 0));
  const sum = powered.reduce((a, b) => a + b, 0);
  return scores.map((s, i) => ({ ...s, confidence: powered[i]! / sum }));
}

/** A held-out message: the classifier's raw scores and the intent it truly has. */
export type HeldOut = { lang: BotLanguage; gold: string; text: string; scores: IntentScores };

/** The mean negative log-likelihood of the gold intents at a temperature. */
function logLoss(heldOut: readonly HeldOut[], temperature: number): number {
  let total = 0;
  for (const h of heldOut) {
    const p = withTemperature(h.scores, temperature).find((s) => s.intent === h.gold)?.confidence ?? 0;
    total -= Math.log(Math.max(p, 1e-12));
  }
  return total / Math.max(heldOut.length, 1);
}

/** The temperature of least log-loss, by golden-section search on its logarithm (the loss is convex there). */
export function fitTemperature(heldOut: readonly HeldOut[]): number {
  // Messages with no known feature are `none` outright: they carry no spread to fit.
  const fitted = heldOut.filter((h) => h.scores.length > 1);
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let la = logLoss(fitted, Math.exp(a));
  let lb = logLoss(fitted, Math.exp(b));
  while (hi - lo > 1e-4) {
    if (la < lb) {
      hi = b;
      b = a;
      lb = la;
      a = hi - phi * (hi - lo);
      la = logLoss(fitted, Math.exp(a));
    } else {
      lo = a;
      a = b;
      la = lb;
      b = lo + phi * (hi - lo);
      lb = logLoss(fitted, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** A reading as the dialogue sees it: what it would act on, and how sure the bot is of it. */
export type Scored = { gold: string; intent: string; confidence: number };

/**
 * A request for a person is acted on however unsure the bot is: handing a buyer to a person by mistake
 * costs a minute of someone's time, keeping one from a person who was asked for traps them (SPEC C4).
 */
export const actsWhateverTheConfidence = (intent: string) => intent === 'human_agent';

/**
 * The lowest confidence at which the readings acted on (an intent other than `none`, and requests for a
 * person at any confidence) are wrong at most `maxWrong` of the time; 1 when none is.
 */
export function chooseThreshold(readings: readonly Scored[], maxWrong = MAX_WRONG_ACTED_ON): number {
  const always = readings.filter((r) => actsWhateverTheConfidence(r.intent));
  const acted = readings
    .filter((r) => r.intent !== 'none' && !actsWhateverTheConfidence(r.intent))
    .sort((a, b) => b.confidence - a.confidence);
  let wrong = always.filter((r) => r.intent !== r.gold).length;
  let threshold = 1;
  for (const [i, r] of acted.entries()) {
    if (r.intent !== r.gold) wrong++;
    // Only where the next reading is less sure can the line be drawn.
    const next = acted[i + 1];
    if (next && next.confidence === r.confidence) continue;
    if (wrong <= maxWrong * (always.length + i + 1)) threshold = r.confidence;
  }
  return threshold;
}

export type ReliabilityBin = {
  from: number;
  to: number;
  count: number;
  confidence: number;
  accuracy: number;
};

/**
 * Readings grouped by confidence in equal bins, each with its mean confidence and accuracy, and the
 * expected calibration error: the gap between the two, weighted by the bins' shares.
 */
export function reliability(readings: readonly Scored[], bins = 10) {
  const table: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (const r of readings) {
    const bin = table[Math.min(bins - 1, Math.floor(r.confidence * bins))]!;
    bin.count++;
    bin.confidence += r.confidence;
    bin.accuracy += r.intent === r.gold ? 1 : 0;
  }
  let error = 0;
  for (const bin of table) {
    if (bin.count === 0) continue;
    bin.confidence /= bin.count;
    bin.accuracy /= bin.count;
    error += (bin.count / readings.length) * Math.abs(bin.confidence - bin.accuracy);
  }
  return { bins: table, expectedCalibrationError: error };
}
