import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus';
import { charGrams, Speller, stemFeatures, stemmed, tokens, withoutLexiconWords } from './features';
import { editDistance } from './human-request';

describe('edit distance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps once each', () => {
    expect(editDistance('account', 'account')).toBe(0);
    expect(editDistance('acount', 'account')).toBe(1);
    expect(editDistance('accounts', 'account')).toBe(1);
    expect(editDistance('accoumt', 'account')).toBe(1);
    expect(editDistance('acocunt', 'account')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('gives up as soon as every alignment is past the limit', () => {
    expect(editDistance('refund', 'delivery', 1)).toBeGreaterThan(1);
  });
});

describe('placeholders', () => {
  it('reads a number the buyer calls an order as an order number, whatever its format', () => {
    expect(tokens('where is purchase 113542617735902')).toEqual(['where', 'is', 'purchase', 'xordernumber']);
    expect(tokens('Bestellnummer 3707955617')).toEqual(['bestellnummer', 'xordernumber']);
    expect(tokens('ordine n. 12345678')).toContain('xordernumber');
    expect(tokens('I ordered 12345 units')).toContain('xnumber');
  });

  it('reads a question mark as a word, kept out of the letter sequences', () => {
    expect(tokens("il bollitore si spegne da solo?? l'ordine 402-8817263-1192045 costa 19,99 €")).toEqual([
      'il',
      'bollitore',
      'si',
      'spegne',
      'da',
      'solo',
      'xquestion',
      'l',
      'ordine',
      'xordernumber',
      'costa',
      'xamount',
    ]);
    expect(stemFeatures(stemmed(tokens('is it waterproof?'), 'en'), 'en')).toContain('xquestion');
    expect(stemFeatures(stemmed(tokens('is it waterproof'), 'en'), 'en')).not.toContain('xquestion');
    expect(charGrams(tokens('is it waterproof?')).some((g) => g.includes('xq'))).toBe(false);
  });
});

describe('stem features', () => {
  it('mark the first stem and the length, up to six words', () => {
    const short = stemFeatures(stemmed(tokens('where is my parcel'), 'en'), 'en');
    expect(short).toContain('^where');
    expect(short).toContain('n:4');
    expect(short).not.toContain('^parcel');
    expect(
      stemFeatures(
        stemmed(tokens('I ordered a kettle three weeks ago and still nothing at all'), 'en'),
        'en',
      ),
    ).toContain('n:6');
  });
});

describe('words without the lexicon', () => {
  it('drops the words that are lexicon terms by themselves, inflected or not, and keeps the rest', () => {
    expect(withoutLexiconWords(stemmed(tokens('je veux annuler la commande'), 'fr'), 'fr').words).toEqual([
      'je',
      'veux',
      'la',
      'commande',
    ]);
    expect(
      withoutLexiconWords(stemmed(tokens('the mug arrived broken and cracked'), 'en'), 'en').words,
    ).toEqual(['the', 'mug', 'arrived', 'and']);
    expect(withoutLexiconWords(stemmed(tokens('is the mug blue'), 'en'), 'en').words).toEqual([
      'is',
      'the',
      'mug',
      'blue',
    ]);
  });
});

describe('speller', () => {
  const texts = loadCorpus()
    .filter((e) => e.lang === 'en')
    .map((e) => e.text);
  const speller = Speller.fromWords(texts.map((t) => tokens(t)));
  const counts = new Map<string, number>();
  for (const t of texts) for (const w of tokens(t)) counts.set(w, (counts.get(w) ?? 0) + 1);

  // The rule without shortcuts: the most frequent corpus word within the limit, first found on ties.
  const byRule = (word: string) => {
    const limit = word.length >= 7 ? 2 : 1;
    let best = word;
    let bestDistance = limit + 1;
    let bestCount = 0;
    for (let len = word.length - limit; len <= word.length + limit; len++)
      for (const [candidate, count] of counts) {
        if (candidate.length !== len) continue;
        const d = editDistance(word, candidate);
        if (d <= limit && (d < bestDistance || (d === bestDistance && count > bestCount))) {
          best = candidate;
          bestDistance = d;
          bestCount = count;
        }
      }
    return best;
  };

  it('reads mistyped words as the corpus words buyers meant', () => {
    expect(speller.correct('acconut')).toBe('account');
    expect(speller.correct('delivwry')).toBe('delivery');
    expect(speller.correct('account')).toBe('account');
    expect(speller.correct('zzzzqqq')).toBe('zzzzqqq');
  });

  it('finds exactly what a search of every corpus word finds', () => {
    const words = [...counts.keys()].filter((w) => w.length >= 4 && !/\d/.test(w));
    const typos = words
      .filter((_, i) => i % 7 === 0)
      .flatMap((w, i) => {
        const at = i % (w.length - 1);
        const swapped = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
        const dropped = w.slice(0, at) + w.slice(at + 1);
        const replaced = `${w.slice(0, at)}x${w.slice(at + 1)}`;
        return [swapped, dropped, replaced];
      });
    expect(typos.length).toBeGreaterThan(300);
    for (const typo of typos) {
      if (counts.has(typo) || typo.length < 4) continue;
      expect(speller.correct(typo), typo).toBe(byRule(typo));
    }
  });
});
