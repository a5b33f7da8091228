// The bot's own training corpus: one text file per language under corpus/, messages grouped under
// "## intent" headings. The bot learns only from these files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BotLanguage, botLanguages, type Intent, intents } from './intents';

export type Example = { lang: BotLanguage; intent: Intent; text: string };

export const CORPUS_DIR = join(import.meta.dirname, 'corpus');

export function parseCorpus(lang: BotLanguage, text: string): Example[] {
  const examples: Example[] = [];
  let intent: Intent | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const heading = /^##\s+(\S+)$/.exec(line);
    if (heading) {
      if (!(intents as readonly string[]).includes(heading[1]!)) {
        throw new Error(`corpus/${lang}.txt line ${i + 1}: unknown intent ${heading[1]}`);
      }
      intent = heading[1] as Intent;
      continue;
    }
    if (line.startsWith('#')) continue;
    if (!intent) throw new Error(`corpus/${lang}.txt line ${i + 1}: message before the first intent heading`);
    examples.push({ lang, intent, text: line });
  }
  return examples;
}

export function loadCorpus(dir = CORPUS_DIR): Example[] {
  return botLanguages.flatMap((lang) => parseCorpus(lang, readFileSync(join(dir, `${lang}.txt`), 'utf8')));
}
