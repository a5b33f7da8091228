import { describe, expect, it } from 'vitest';
import type { Example } from './corpus';
import {
  type ActedReading,
  actionReport,
  crossValidate,
  fitLearningCurve,
  foldsOf,
  messagesFor,
  parseEvalCsv,
  report,
  shareOf,
} from './evaluation';

describe('evaluation metrics', () => {
  it('computes accuracy, per-intent precision/recall/F1, macro-F1 and confusions', () => {
    const r = report([
      { gold: 'a', predicted: 'a' },
      { gold: 'a', predicted: 'b' },
      { gold: 'b', predicted: 'b' },
      { gold: 'none', predicted: 'none' },
      { gold: 'none', predicted: 'a' },
      { gold: 'human_agent', predicted: 'human_agent' },
    ]);
    expect(r.accuracy).toBe(0.667);
    expect(r.perIntent.a).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(r.perIntent.b).toEqual({ precision: 0.5, recall: 1, f1: 0.667, support: 1 });
    expect(r.macroF1).toBe(0.708); // (a 0.5 + b 0.667 + none 0.667 + human_agent 1) / 4
    expect(r.outOfScopeRecall).toBe(0.5);
    expect(r.inScopeAccuracy).toBe(0.75);
    expect(r.humanAgentRecall).toBe(1);
    expect(r.confusions[0]).toEqual({ gold: 'a', predicted: 'b', count: 1 });
  });

  it('measures acting on readings: wrong among acted-on, in-scope acted on, right or offered, out of scope acted on, human requests', () => {
    const reading = (gold: string, intent: string, confident: boolean, offered: string[] = [intent]) =>
      ({
        gold,
        intent,
        confident,
        confidence: confident ? 0.99 : 0.5,
        alternatives: offered.map((i) => ({ intent: i, confidence: 0.3 })),
        escalation: false,
      }) as ActedReading;
    const r = actionReport([
      reading('track_order', 'track_order', true),
      reading('track_order', 'delivery_time', true), // acted on, wrong: not saved by the alternatives
      reading('refund_status', 'refund_request', false, ['refund_request', 'refund_status', 'complaint']),
      reading('invoice', 'payment', false, ['payment', 'account', 'complaint']),
      reading('human_agent', 'human_agent', true),
      reading('none', 'feedback', true), // out of scope, acted on
      reading('none', 'none', true), // out of scope, read so: not acted on
      reading('none', 'payment', false),
    ]);
    expect(r).toEqual({
      count: 8,
      wrongAmongActed: 0.5, // 2 of 4
      inScopeActed: 0.6, // 3 of 5
      rightActedOrOffered: 0.6, // track_order, refund_status offered, human_agent
      outOfScopeActed: 0.333,
      humanRecall: 1,
    });
  });

  it('parses the evaluation CSV with quoted commas and quotes', () => {
    const rows = parseEvalCsv(
      'lang,text,intent,source,source_label,flags\nen,"hi, ""you""",none,x,y,BQ\nit,ciao,none,x,y,\n',
    );
    expect(rows).toEqual([
      { lang: 'en', text: 'hi, "you"', intent: 'none', flags: 'BQ' },
      { lang: 'it', text: 'ciao', intent: 'none', flags: '' },
    ]);
  });

  it('assigns folds in corpus order, or shuffled within each intent with a seed', () => {
    const corpus = [
      ...Array.from(
        { length: 12 },
        (_, i): Example => ({ lang: 'en', intent: 'track_order', text: `t${i}` }),
      ),
      ...Array.from({ length: 8 }, (_, i): Example => ({ lang: 'en', intent: 'none', text: `n${i}` })),
    ];
    expect(foldsOf(corpus, 5)).toEqual(corpus.map((_, i) => i % 5));
    const shuffled = foldsOf(corpus, 5, 1);
    expect(foldsOf(corpus, 5, 1)).toEqual(shuffled); // the same seed, the same folds
    expect(shuffled).not.toEqual(foldsOf(corpus, 5));
    expect(foldsOf(corpus, 5, 2)).not.toEqual(shuffled);
    // Every fold holds its share of each intent: 12 → 3,3,2,2,2 and 8 → 2,2,2,1,1, in some order.
    for (const [intent, sizes] of [
      ['track_order', [2, 2, 2, 3, 3]],
      ['none', [1, 1, 2, 2, 2]],
    ] as const) {
      const counts = [0, 0, 0, 0, 0];
      for (const [i, e] of corpus.entries()) if (e.intent === intent) counts[shuffled[i]!]!++;
      expect(counts.sort()).toEqual(sizes);
    }
  });

  it('cross-validates per language on held-out folds and returns every held-out prediction', () => {
    const en = (intent: Example['intent'], texts: string[]) =>
      texts.map((text): Example => ({ lang: 'en', intent, text }));
    const corpus = [
      ...en('track_order', [
        'where is my parcel',
        'where is my order',
        'track my parcel',
        'track my order',
        'parcel status',
      ]),
      ...en('refund_request', [
        'refund my money',
        'i want a refund',
        'money back please',
        'refund please',
        'give me my money',
      ]),
    ];
    const result = crossValidate(corpus, { folds: 5 });
    expect(result.predictions).toHaveLength(corpus.length);
    expect(result.predictions.every((p) => p.lang === 'en')).toBe(true);
    expect(result.predictions.map((p) => p.text).sort()).toEqual(corpus.map((e) => e.text).sort());
    const correct = result.predictions.filter((p) => p.gold === p.predicted).length;
    expect(result.accuracy.en).toBe(Math.round((correct / corpus.length) * 1000) / 1000);
    expect(result.accuracy.en).toBeGreaterThanOrEqual(0.8);
    expect(result.trainingMessages.en).toBe(8); // four of five folds of ten messages
    // Learning from a share of the training folds: 60 % of each intent's 4, rounded down, is 2.
    expect(crossValidate(corpus, { folds: 5, trainShare: 0.6 }).trainingMessages.en).toBe(4);
  });
});

describe('learning curves', () => {
  it("takes a share of each intent's examples, spread evenly through them", () => {
    const corpus = [
      ...Array.from({ length: 8 }, (_, i) => ({ intent: 'a', text: `a${i}` })),
      ...Array.from({ length: 4 }, (_, i) => ({ intent: 'b', text: `b${i}` })),
    ];
    expect(shareOf(corpus, 0.25).map((e) => e.text)).toEqual(['a3', 'a7', 'b3']);
    expect(shareOf(corpus, 0.5).map((e) => e.text)).toEqual(['a1', 'a3', 'a5', 'a7', 'b1', 'b3']);
    expect(shareOf(corpus, 1)).toEqual(corpus);
  });

  it('fits the power law through the points and says how many messages an accuracy takes', () => {
    // error = 2 · n^-0.5: 0.2 at 100 messages, 0.1 at 400, 0.05 at 1,600.
    const law = fitLearningCurve([
      { messages: 100, accuracy: 0.8 },
      { messages: 400, accuracy: 0.9 },
      { messages: 1600, accuracy: 0.95 },
    ]);
    expect(law.exponent).toBeCloseTo(0.5, 9);
    expect(law.constant).toBeCloseTo(2, 9);
    expect(messagesFor(law, 0.975)).toBeCloseTo(6400, 6);
    // An error that does not fall with more messages is never reached.
    const flat = fitLearningCurve([
      { messages: 100, accuracy: 0.9 },
      { messages: 400, accuracy: 0.9 },
    ]);
    expect(messagesFor(flat, 0.95)).toBe(Number.POSITIVE_INFINITY);
    expect(() => fitLearningCurve([{ messages: 100, accuracy: 0.9 }])).toThrow(/two points/);
    expect(() =>
      fitLearningCurve([
        { messages: 100, accuracy: 0.8 },
        { messages: 100, accuracy: 0.9 },
      ]),
    ).toThrow(/two sizes/);
  });
});
