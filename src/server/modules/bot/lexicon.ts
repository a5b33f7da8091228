// The bot's lexicon: per language, groups of words and phrases that mean the same thing to it
// (lexicon/<lang>.txt, "concept: term, term, …"). A message carries the concept of every term it
// uses, matched on stems, so a synonym the corpus lacks still points where its siblings do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BotLanguage } from './intents';

export type Lexicon = {
  /** Stem sequences (joined by spaces) → the concepts they carry. */
  readonly terms: ReadonlyMap<string, readonly string[]>;
  /** The longest term, in words. */
  readonly longest: number;
  /** Every word the lexicon uses, so the speller does not "correct" them away. */
  readonly words: readonly string[];
};

export function parseLexicon(
  lang: BotLanguage,
  text: string,
  split: (term: string) => string[],
  stem: (words: string[]) => string[],
): Lexicon {
  const terms = new Map<string, string[]>();
  const words = new Set<string>();
  let longest = 1;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-z_]+):(.*)$/.exec(line);
    if (!m) throw new Error(`lexicon/${lang}.txt line ${i + 1}: expected "concept: term, term"`);
    for (const term of m[2]!.split(',')) {
      const ws = split(term);
      if (ws.length === 0) continue;
      for (const w of ws) words.add(w);
      const key = stem(ws).join(' ');
      const list = terms.get(key) ?? [];
      if (!list.includes(m[1]!)) list.push(m[1]!);
      terms.set(key, list);
      longest = Math.max(longest, ws.length);
    }
  }
  return { terms, longest, words: [...words] };
}

/** The concepts a message's stems carry, each once. */
export function conceptsOf(lexicon: Lexicon, stems: readonly string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < stems.length; i++)
    for (let n = 1; n <= lexicon.longest && i + n <= stems.length; n++)
      for (const c of lexicon.terms.get(stems.slice(i, i + n).join(' ')) ?? []) out.add(c);
  return [...out];
}

export function readLexiconText(lang: BotLanguage): string {
  return readFileSync(join(import.meta.dirname, 'lexicon', `${lang}.txt`), 'utf8');
}
