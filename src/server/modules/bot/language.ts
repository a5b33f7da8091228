// Which language a buyer writes in, among the marketplace's languages only. A character n-gram
// Naive Bayes learnt from the project's corpus; short or ambiguous messages keep the
// conversation's language. Pure once trained.

import { fold } from './entities';
import { type BotLanguage, botLanguages } from './intents';

/**
 * The smoothed log-probability of each letter sequence in every language (in `botLanguages`'
 * order, so a message costs one lookup per sequence), and that of a sequence never seen.
 */
export type LanguageModel = {
  logProbability: Map<string, Float64Array>;
  unseen: Float64Array;
};

const grams = (text: string): string[] => {
  const t = ` ${fold(text)
    .replace(/[^a-z'ßäöüñç ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()} `;
  const out: string[] = [];
  for (let n = 1; n <= 4; n++) for (let i = 0; i + n <= t.length; i++) out.push(t.slice(i, i + n));
  // Letters that fold() would erase are strong hints: keep them as their own features.
  for (const ch of text.toLowerCase().match(/[ñ¿¡ßäöüçœèòùàìéáíóú]/g) ?? []) out.push(`#${ch}`);
  return out;
};

export function trainLanguageModel(examples: Iterable<{ lang: BotLanguage; text: string }>): LanguageModel {
  const counts = Object.fromEntries(botLanguages.map((l) => [l, new Map<string, number>()])) as Record<
    BotLanguage,
    Map<string, number>
  >;
  const totals = Object.fromEntries(botLanguages.map((l) => [l, 0])) as Record<BotLanguage, number>;
  const vocabulary = new Set<string>();
  for (const { lang, text } of examples) {
    for (const g of grams(text)) {
      counts[lang].set(g, (counts[lang].get(g) ?? 0) + 1);
      totals[lang]++;
      vocabulary.add(g);
    }
  }
  // Add-one smoothing, computed once here rather than for every letter sequence of every message.
  const unseen = Float64Array.from(botLanguages, (lang) => -Math.log(totals[lang] + vocabulary.size));
  const logProbability = new Map<string, Float64Array>();
  for (const g of vocabulary)
    logProbability.set(
      g,
      Float64Array.from(botLanguages, (lang, i) => Math.log((counts[lang].get(g) ?? 0) + 1) + unseen[i]!),
    );
  return { logProbability, unseen };
}

export type LanguageGuess = {
  lang: BotLanguage;
  confident: boolean;
  scores: Partial<Record<BotLanguage, number>>;
};

/**
 * The most likely of `allowed` languages. A message of fewer than three words, or whose two best
 * languages are close, is not `confident`, and then `fallback` (the conversation's language) wins.
 */
export function detectLanguage(
  model: LanguageModel,
  text: string,
  allowed: readonly BotLanguage[],
  fallback: BotLanguage,
): LanguageGuess {
  const candidates = allowed.length > 0 ? allowed : [fallback];
  if (candidates.length === 1) return { lang: candidates[0]!, confident: true, scores: {} };
  const features = grams(text);
  const sums = new Float64Array(botLanguages.length);
  for (const g of features) {
    const p = model.logProbability.get(g) ?? model.unseen;
    for (let i = 0; i < sums.length; i++) sums[i]! += p[i]!;
  }
  const scores: Partial<Record<BotLanguage, number>> = {};
  for (const lang of candidates)
    scores[lang] = sums[botLanguages.indexOf(lang)]! / Math.max(features.length, 1);
  const ranked = [...candidates].sort((a, b) => scores[b]! - scores[a]!);
  const words = fold(text)
    .split(/[^a-z]+/)
    .filter((w) => w.length > 1).length;
  const margin = scores[ranked[0]!]! - scores[ranked[1]!]!;
  const confident = words >= 3 && margin > 0.08;
  return {
    lang: confident ? ranked[0]! : candidates.includes(fallback) ? fallback : ranked[0]!,
    confident,
    scores,
  };
}
