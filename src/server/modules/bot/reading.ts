// The intent the bot reads in a message, with the alternatives to offer when it is unsure. One
// function for `understand()` and for cross-validation, so that the folds measure what the bot does.
import { actsWhateverTheConfidence, type LanguageCalibration, withTemperature } from './calibration';
import { type Classifier, classify, decide, type IntentScores, type ModelKind } from './classifier';
import { detectHumanRequest, withoutAskThrough } from './human-request';
import type { BotLanguage, Intent } from './intents';

/** How many intents a reading offers to choose from. */
export const ALTERNATIVES = 3;

export type IntentReading = {
  intent: Intent;
  confidence: number;
  /** Sure enough to act on without asking: the calibrated confidence reaches the language's threshold (a request for a person is always acted on). */
  confident: boolean;
  /** The best intents with their calibrated probabilities, best first: the choice to offer when unsure. */
  alternatives: { intent: Intent; confidence: number }[];
  /** A manager was asked for: an escalation to a supervisor (SPEC C5). */
  escalation: boolean;
};

export function readIntent(
  classifier: Classifier,
  calibration: LanguageCalibration,
  text: string,
  lang: BotLanguage,
  /** The message names an order: it is about one already placed, so not a question before buying. */
  aboutOrder = false,
): IntentReading {
  return (
    humanReading(text) ??
    readScores(classifier.kind, classify(classifier, withoutAskThrough(text), lang), calibration, aboutOrder)
  );
}

/** A request for a person, read by rule whatever the classifier thinks (SPEC C4, C5). */
export function humanReading(text: string): IntentReading | null {
  const human = detectHumanRequest(text);
  if (!human.person) return null;
  const alternatives = [{ intent: 'human_agent' as const, confidence: 1 }];
  return { intent: 'human_agent', confidence: 1, confident: true, alternatives, escalation: human.manager };
}

/** The reading of the classifier's raw scores: calibrated, ranked, and whether to act on it. */
export function readScores(
  kind: ModelKind,
  raw: IntentScores,
  calibration: LanguageCalibration,
  aboutOrder: boolean,
): IntentReading {
  let scores = withTemperature(raw, calibration.temperature);
  if (aboutOrder) scores = withoutIntent(scores, 'pre_purchase');
  const decision = decide(kind, scores);
  return {
    intent: decision.intent,
    confidence: round(decision.confidence),
    confident:
      decision.intent === scores[0]?.intent &&
      (decision.confidence >= calibration.threshold || actsWhateverTheConfidence(decision.intent)),
    alternatives: scores
      .slice(0, ALTERNATIVES)
      .map((s) => ({ intent: s.intent, confidence: round(s.confidence) })),
    escalation: false,
  };
}

function withoutIntent(scores: IntentScores, intent: Intent): IntentScores {
  const kept = scores.filter((s) => s.intent !== intent);
  if (kept.length === scores.length || kept.length === 0) return scores;
  const sum = kept.reduce((a, s) => a + s.confidence, 0);
  return kept.map((s) => ({ ...s, confidence: s.confidence / sum }));
}

const round = (n: number) => Math.round(n * 1000) / 1000;
