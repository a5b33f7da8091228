// What the classifier sees of a message: stems (NLP.js stemmers, one per language), stem pairs, the
// first stem, the length, long stems' first letters and the lexicon's concepts, after folding case and
// accents and replacing order numbers, amounts, e-mails and question marks by placeholders, so
// "402-8817263-1192045" and "19,99 €" teach the shape, not the value.
import { StemmerDe } from '@nlpjs/lang-de';
import { StemmerEn } from '@nlpjs/lang-en';
import { StemmerEs } from '@nlpjs/lang-es';
import { StemmerFr } from '@nlpjs/lang-fr';
import { StemmerIt } from '@nlpjs/lang-it';
import { fold, ORDER_REFERENCE } from './entities';
import { editDistance } from './human-request';
import type { BotLanguage } from './intents';
import { conceptsOf, type Lexicon, parseLexicon, readLexiconText } from './lexicon';

type Stemmer = { stem(tokens: string[]): string[] };
const stemmers: Record<BotLanguage, Stemmer> = {
  en: new StemmerEn(),
  it: new StemmerIt(),
  es: new StemmerEs(),
  fr: new StemmerFr(),
  de: new StemmerDe(),
};

const PLACEHOLDERS: [RegExp, string][] = [
  [/\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b/g, ' xemail '],
  [/\b\d{3}-\d{7}-\d{7}\b/g, ' xordernumber '],
  // A number the buyer calls an order is one, whatever its format ("purchase 113542617735902").
  [ORDER_REFERENCE, '$1 xordernumber '],
  [/(?:[€$£]\s?\d+(?:[.,]\d+)*|\d+(?:[.,]\d+)*\s?(?:€|\$|£|eur|euros?|usd|dollars?))/gi, ' xamount '],
  [/\b\d+\b/g, ' xnumber '],
  // A question mark is a word of its own: "the kettle switches off by itself?" asks about the product,
  // "the kettle switches off by itself" reports a fault (cross-validation +0.5 points on average).
  [/\?+/g, ' xquestion '],
];

export function tokens(text: string): string[] {
  let t = text;
  for (const [re, placeholder] of PLACEHOLDERS) t = t.replace(re, placeholder);
  return fold(t)
    .replace(/['’`]/g, ' ')
    .split(/[^a-z0-9ßäöü]+/)
    .filter((w) => w.length > 0);
}

/**
 * Buyers mistype ("acconut", "delivwry"): a word the corpus never uses is read as the most
 * frequent corpus word within one edit (two for words of seven letters or more).
 */
export class Speller {
  private readonly byLength = new Map<number, { word: string; count: number; letters: number }[]>();
  private readonly cache = new Map<string, string>();

  constructor(private readonly counts: Map<string, number>) {
    for (const [word, count] of counts) {
      const list = this.byLength.get(word.length) ?? [];
      list.push({ word, count, letters: letterSet(word) });
      this.byLength.set(word.length, list);
    }
  }

  /** From messages split into words. */
  static fromWords(wordLists: Iterable<readonly string[]>): Speller {
    const counts = new Map<string, number>();
    for (const list of wordLists) for (const w of list) counts.set(w, (counts.get(w) ?? 0) + 1);
    return new Speller(counts);
  }

  correct(word: string): string {
    if (word.length < 4 || this.counts.has(word) || /\d/.test(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const limit = word.length >= 7 ? 2 : 1;
    const letters = letterSet(word);
    let best = word;
    let bestDistance = limit + 1;
    let bestCount = 0;
    for (let len = word.length - limit; len <= word.length + limit; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        // An edit adds or removes at most two letters from the set of letters a word uses, so a
        // word whose set differs in more than twice `limit` letters cannot be near: skip it unmeasured.
        if (bitCount(letters ^ candidate.letters) > 2 * limit) continue;
        const d = editDistance(word, candidate.word, limit);
        if (d > limit) continue;
        if (d < bestDistance || (d === bestDistance && candidate.count > bestCount)) {
          best = candidate.word;
          bestDistance = d;
          bestCount = candidate.count;
        }
      }
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(word, best);
    return best;
  }
}

/** The letters a word uses, one bit each: a–z, then ß, ä, ö, ü; every other character (digits) shares the last. */
function letterSet(word: string): number {
  let set = 0;
  for (const ch of word) {
    const code = ch.charCodeAt(0);
    const umlaut = 'ßäöü'.indexOf(ch);
    set |= 1 << (code >= 97 && code <= 122 ? code - 97 : umlaut >= 0 ? 26 + umlaut : 30);
  }
  return set;
}

function bitCount(n: number): number {
  let count = 0;
  for (let v = n >>> 0; v !== 0; v &= v - 1) count++;
  return count;
}

/** The message's words, each mistyped one read as the corpus word it most likely is. */
export const words = (text: string, speller?: Speller) =>
  speller ? tokens(text).map((w) => speller.correct(w)) : tokens(text);

export function features(text: string, lang: BotLanguage, speller?: Speller): string[] {
  return stemFeatures(stemmed(words(text, speller), lang), lang);
}

const stemsOf = (wordList: string[], lang: BotLanguage) =>
  stemmers[lang].stem(wordList).map((s) => s.toLowerCase());

/** A message's words and, index for index, their stems: stemming is the costly step, so it is done once. */
export type Stemmed = { words: string[]; stems: string[] };
export const stemmed = (wordList: string[], lang: BotLanguage): Stemmed => ({
  words: wordList,
  stems: stemsOf(wordList, lang),
});

const lexicons = new Map<BotLanguage, Lexicon>();
/** The language's lexicon, read once. */
export function lexicon(lang: BotLanguage): Lexicon {
  let l = lexicons.get(lang);
  if (!l) {
    l = parseLexicon(lang, readLexiconText(lang), tokens, (ws) => stemsOf(ws, lang));
    lexicons.set(lang, l);
  }
  return l;
}

/** The words (and their stems) that are not, alone, a term of the language's lexicon. */
export function withoutLexiconWords(m: Stemmed, lang: BotLanguage): Stemmed {
  const terms = lexicon(lang).terms;
  const kept = m.stems.map((s) => !terms.has(s));
  return { words: m.words.filter((_, i) => kept[i]), stems: m.stems.filter((_, i) => kept[i]) };
}

export function stemFeatures({ stems }: Stemmed, lang: BotLanguage): string[] {
  const out = new Set(stems);
  for (const c of conceptsOf(lexicon(lang), stems)) out.add(`k:${c}`);
  for (let i = 0; i + 1 < stems.length; i++) out.add(`${stems[i]}_${stems[i + 1]}`);
  // How the message opens ("how", "is", "can i") and how long it is (one to six words or more): a
  // question about the product and a chit-chat greeting differ in both (cross-validation +0.2 points).
  if (stems.length > 0) out.add(`^${stems[0]}`);
  out.add(`n:${Math.min(stems.length, 6)}`);
  // The first five letters of long stems: German compounds and Romance inflections the stemmer
  // leaves apart ("Rückerstattung"/"Rückerstattungsbetrag", "rimborso"/"rimborsato") meet here.
  for (const s of stems) if (s.length >= 6) out.add(`p:${s.slice(0, 5)}`);
  return [...out];
}

/**
 * The letter sequences of four and five characters inside each word, with its edges marked
 * (" kaputt" → " kap", " kapu", "kaput", …): they tie together inflections, compounds and typos that no
 * stemmer joins ("rimborsato"/"rimborso", "Rücksendeetikett"/"Rücksendung"). Sequences of three
 * characters were measured too: the same accuracy, a third more training time.
 */
export function charGrams(wordList: readonly string[]): string[] {
  const out = new Set<string>();
  for (const w of wordList) {
    if (w === 'xquestion') continue; // a mark, not letters
    const padded = ` ${w} `;
    for (let n = 4; n <= 5; n++)
      for (let i = 0; i + n <= padded.length; i++) out.add(`c:${padded.slice(i, i + n)}`);
  }
  return [...out];
}
