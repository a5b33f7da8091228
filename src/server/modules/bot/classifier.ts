// Intent classification per language with NLP.js's neural network (one perceptron per intent,
// trained on the project's corpus). Deterministic: weights start at zero and the corpus order is fixed.
import { NeuralNetwork } from '@nlpjs/neural';
import type { Example } from './corpus';
import { features, Speller } from './features';
import type { BotLanguage, Intent } from './intents';

export type IntentScores = { intent: Intent; confidence: number; known: number }[];

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
    const network = new NeuralNetwork({ log: false });
    network.train(corpus);
    classifier[lang] = { network, vocabulary, speller };
  }
  return classifier;
}

/** Intents ranked by confidence (scores normalised to sum 1); `known` counts features seen in training. */
export function classify(classifier: Classifier, text: string, lang: BotLanguage): IntentScores {
  const model = classifier[lang];
  if (!model) return [{ intent: 'none', confidence: 1, known: 0 }];
  const input: Record<string, number> = {};
  let known = 0;
  for (const f of features(text, lang, model.speller)) {
    if (!model.vocabulary.has(f)) continue;
    input[f] = 1;
    known++;
  }
  if (known === 0) return [{ intent: 'none', confidence: 1, known }];
  const raw = { ...(model.network.run(input) as Record<string, number>) };
  const total = Object.values(raw).reduce((a, b) => a + b, 0);
  if (total <= 0) return [{ intent: 'none', confidence: 1, known }];
  return Object.entries(raw)
    .map(([intent, score]) => ({ intent: intent as Intent, confidence: score / total, known }))
    .sort((a, b) => b.confidence - a.confidence);
}
