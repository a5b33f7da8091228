// Intent classification per language with NLP.js's neural network (one perceptron per intent,
// trained on the project's corpus). Deterministic: weights start at zero and the corpus order is fixed.
import { NeuralNetwork } from '@nlpjs/neural';
import type { Example } from './corpus';
import { features, Speller } from './features';
import type { BotLanguage, Intent } from './intents';

/** `confidence` is the score's share of all scores; `score` the network's own output for the intent. */
export type IntentScores = { intent: Intent; confidence: number; score: number; known: number }[];

// The network's leak (NLP.js `alpha`): 0.02 instead of the default 0.07 generalised better in
// cross-validation on the corpus (e.g. en 0.777 → 0.792) and on the evaluation set.
const NETWORK = { log: false, alpha: 0.02 };

// Below either the bot says it did not understand rather than guess (SPEC: `none`). MIN_SCORE is the
// score 95 % of held-out in-scope corpus messages reach (`onbehalf bot cv` prints it): an unfamiliar
// message scores lower than almost every in-scope one.
export const MIN_CONFIDENCE = 0.3;
export const MIN_SCORE = 0.18;

export type LanguageClassifier = { network: NeuralNetwork; vocabulary: Set<string>; speller: Speller };
export type Classifier = Partial<Record<BotLanguage, LanguageClassifier>>;

export function trainClassifier(examples: readonly Example[]): Classifier {
  const byLang = new Map<BotLanguage, Example[]>();
  for (const e of examples) byLang.set(e.lang, [...(byLang.get(e.lang) ?? []), e]);
  const classifier: Classifier = {};
  for (const [lang, list] of byLang) {
    const vocabulary = new Set<string>();
    const speller = Speller.fromTexts(list.map((e) => e.text));
    const corpus = list.map((e) => {
      const input: Record<string, number> = {};
      for (const f of features(e.text, lang)) {
        input[f] = 1;
        vocabulary.add(f);
      }
      return { input, output: { [e.intent]: 1 } };
    });
    const network = new NeuralNetwork(NETWORK);
    network.train(corpus);
    classifier[lang] = { network, vocabulary, speller };
  }
  return classifier;
}

/** Intents ranked by confidence (scores normalised to sum 1); `known` counts features seen in training. */
export function classify(classifier: Classifier, text: string, lang: BotLanguage): IntentScores {
  const model = classifier[lang];
  if (!model) return [{ intent: 'none', confidence: 1, score: 0, known: 0 }];
  const input: Record<string, number> = {};
  let known = 0;
  for (const f of features(text, lang, model.speller)) {
    if (!model.vocabulary.has(f)) continue;
    input[f] = 1;
    known++;
  }
  if (known === 0) return [{ intent: 'none', confidence: 1, score: 0, known }];
  const raw = { ...(model.network.run(input) as Record<string, number>) };
  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  if (total <= 0) return [{ intent: 'none', confidence: 1, score: 0, known }];
  return Object.entries(raw)
    .map(([intent, score]) => ({ intent: intent as Intent, confidence: score / total, score, known }))
    .sort((a, b) => b.confidence - a.confidence);
}

/** The intent the bot acts on: the best one, unless it is too unsure (then `none`). */
export function decide(scores: IntentScores): { intent: Intent; confidence: number; score: number } {
  const best = scores[0];
  if (!best || best.confidence < MIN_CONFIDENCE || best.score < MIN_SCORE)
    return { intent: 'none', confidence: best?.confidence ?? 1, score: best?.score ?? 0 };
  return { intent: best.intent, confidence: best.confidence, score: best.score };
}
