import { describe, expect, it } from 'vitest';
import { classify, decide, trainClassifier } from './classifier';
import { loadCorpus } from './corpus';
import { features, lexicon, tokens } from './features';
import { type BotLanguage, botLanguages } from './intents';
import { conceptsOf, parseLexicon } from './lexicon';

// Stand-ins for the language's tokenizer and stemmer: words as they are, stems = first four letters.
const split = (t: string) => t.toLowerCase().split(/\s+/).filter(Boolean);
const stem = (ws: string[]) => ws.map((w) => w.slice(0, 4));

describe('lexicon', () => {
  const lex = parseLexicon(
    'en',
    '# a comment\ncancel: cancel, call off, annul\nrefund: money back, refund\nstop: call off\n',
    split,
    stem,
  );

  it('reads terms and phrases, on stems, a term of two concepts carrying both', () => {
    expect(lex.longest).toBe(2);
    expect(lex.terms.get('canc')).toEqual(['cancel']);
    expect(lex.terms.get('call off')).toEqual(['cancel', 'stop']);
    expect(lex.words).toContain('annul');
  });

  it('finds each concept once, phrases only when their words are adjacent', () => {
    expect(conceptsOf(lex, stem(split('annul it, cancel it, call off')))).toEqual(['cancel', 'stop']);
    expect(conceptsOf(lex, stem(split('call me, the money is off')))).toEqual([]);
    expect(conceptsOf(lex, stem(split('my money back please')))).toEqual(['refund']);
  });

  it('refuses a line that is not "concept: terms"', () => {
    expect(() => parseLexicon('it', 'annulla, disdici', split, stem)).toThrow(/lexicon\/it.txt line 1/);
  });

  it('names the same concepts in every language', () => {
    const concepts = (lang: BotLanguage) => [...new Set([...lexicon(lang).terms.values()].flat())].sort();
    for (const lang of botLanguages) expect(concepts(lang), lang).toEqual(concepts('en'));
  });

  // Each message uses a word the corpus never does; its concept is what the bot knows it by.
  const unseen: Record<BotLanguage, [string, string, string][]> = {
    en: [
      ['please revoke my order', 'cancel', 'cancel_order'],
      ['the parcel is lost, can you trace it', 'track', 'track_order'],
    ],
    it: [
      ['per favore stornate il mio ordine', 'cancel', 'cancel_order'],
      ['il vaso è frantumato', 'damaged', 'damaged_item'],
    ],
    es: [
      ['quiero revocar el pedido', 'cancel', 'cancel_order'],
      ['la taza llegó desconchada', 'damaged', 'damaged_item'],
    ],
    fr: [
      ['je veux révoquer la commande', 'cancel', 'cancel_order'],
      ['la tasse est brisée', 'damaged', 'damaged_item'],
    ],
    de: [
      ['die tasse ist gesprungen', 'damaged', 'damaged_item'],
      ['mein paket ist verschollen', 'track', 'track_order'],
    ],
  };
  const corpus = loadCorpus();

  for (const lang of botLanguages) {
    it(`reads a synonym the ${lang} corpus lacks like the words it has`, () => {
      const mine = corpus.filter((e) => e.lang === lang);
      const known = new Set(mine.flatMap((e) => tokens(e.text)));
      const model = trainClassifier(mine);
      for (const [text, concept, intent] of unseen[lang]) {
        expect(
          tokens(text).some((w) => !known.has(w)),
          text,
        ).toBe(true);
        expect(features(text, lang)).toContain(`k:${concept}`);
        expect(decide(model.kind, classify(model, text, lang)).intent, text).toBe(intent);
      }
    });
  }
});
