import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Calibration,
  chooseThreshold,
  type HeldOut,
  loadCalibration,
  MAX_WRONG_ACTED_ON,
  reliability,
  withTemperature,
} from './calibration';
import { loadCorpus } from './corpus';
import { actionReport, crossValidate, fitCalibration, readHeldOut } from './evaluation';
import { botLanguages } from './intents';

describe('temperature and threshold', () => {
  it('a temperature keeps the ranking and the sum, and below 1 sharpens it', () => {
    const scores = [
      { intent: 'track_order' as const, confidence: 0.6, score: 0.6 },
      { intent: 'delivery_time' as const, confidence: 0.3, score: 0.3 },
      { intent: 'none' as const, confidence: 0.1, score: 0.1 },
    ];
    const sharp = withTemperature(scores, 0.5);
    expect(sharp.map((s) => s.intent)).toEqual(['track_order', 'delivery_time', 'none']);
    expect(sharp.reduce((a, s) => a + s.confidence, 0)).toBeCloseTo(1, 10);
    expect(sharp[0]!.confidence).toBeCloseTo(0.36 / 0.46, 10);
    expect(withTemperature(scores, 2)[0]!.confidence).toBeLessThan(0.6);
  });

  it('the threshold is the lowest confidence above which at most 2 % of acted-on readings are wrong', () => {
    // 98 right readings at 0.99 … 0.50, then wrong ones at 0.45 and 0.44; and `none` readings, never acted on.
    const right = Array.from({ length: 98 }, (_, i) => ({
      gold: 'a',
      intent: 'a',
      confidence: 0.99 - i * 0.005,
    }));
    const readings = [
      ...right,
      { gold: 'a', intent: 'b', confidence: 0.45 },
      { gold: 'a', intent: 'b', confidence: 0.44 },
      { gold: 'a', intent: 'b', confidence: 0.43 },
      { gold: 'b', intent: 'none', confidence: 0.99 },
    ];
    // Down to 0.44: 2 wrong of 100 (2 %); at 0.43, 3 of 101.
    expect(chooseThreshold(readings)).toBe(0.44);
    expect(chooseThreshold([{ gold: 'a', intent: 'b', confidence: 0.9 }])).toBe(1);
    // A request for a person is acted on at any confidence: a wrong one there leaves less room above.
    const handOff = { gold: 'none', intent: 'human_agent', confidence: 0.3 };
    expect(chooseThreshold([...readings, handOff])).toBe(0.45);
  });

  it('bins readings by confidence and measures the gap to their accuracy', () => {
    const r = reliability(
      [
        { gold: 'a', intent: 'a', confidence: 0.95 },
        { gold: 'a', intent: 'b', confidence: 0.95 },
        { gold: 'a', intent: 'a', confidence: 0.15 },
      ],
      10,
    );
    expect(r.bins[9]).toMatchObject({ count: 2, accuracy: 0.5 });
    expect(r.bins[9]!.confidence).toBeCloseTo(0.95, 10);
    expect(r.expectedCalibrationError).toBeCloseTo((2 / 3) * 0.45 + (1 / 3) * 0.85, 10);
  });
});

// One cross-validation of the corpus (≈ 15 s) for the shipped calibration's tests.
describe('the shipped calibration, on the corpus folds', () => {
  let heldOut: HeldOut[];
  const shipped: Calibration = loadCalibration();
  beforeAll(() => {
    heldOut = crossValidate(loadCorpus()).heldOut;
  }, 180_000);
  const readings = (lang: string, calibration: Calibration) =>
    readHeldOut(
      heldOut.filter((h) => h.lang === lang),
      'linear',
      (l) => calibration[l],
    );

  it('is what fitting on the folds gives today (`onbehalf bot calibrate` rewrites it)', () => {
    const refitted = fitCalibration(heldOut);
    for (const lang of botLanguages) {
      expect(Math.abs(refitted[lang].temperature - shipped[lang].temperature), lang).toBeLessThan(0.01);
      expect(Math.abs(refitted[lang].threshold - shipped[lang].threshold), lang).toBeLessThan(0.01);
    }
  });

  it('gives confidences that mean what they say: in each well-filled bin the accuracy is near the confidence', () => {
    for (const lang of botLanguages) {
      const calibrated = reliability(readings(lang, shipped));
      const raw = reliability(readings(lang, { ...shipped, [lang]: { temperature: 1, threshold: 0 } }));
      // ≈ 3,200 held-out messages per language, most in the top bins: the weighted gap over all bins
      // stays under 0.03 unless the confidences are off (the raw probabilities are off by 0.06–0.07).
      // One temperature cannot fit every bin: each may be off by 0.03 beyond the sampling error of its
      // accuracy (three standard deviations: some 35 bins are checked, two would fail one by chance).
      expect(calibrated.expectedCalibrationError, lang).toBeLessThan(0.03);
      expect(calibrated.expectedCalibrationError, lang).toBeLessThan(raw.expectedCalibrationError);
      for (const bin of calibrated.bins.filter((b) => b.count >= 50)) {
        const sampling = 3 * Math.sqrt((bin.confidence * (1 - bin.confidence)) / bin.count);
        expect(Math.abs(bin.accuracy - bin.confidence), `${lang} ${bin.from}`).toBeLessThan(0.03 + sampling);
      }
    }
  });

  it('acts on readings wrong at most 2 % of the time, and offers the right intent for the rest', () => {
    for (const lang of botLanguages) {
      const r = actionReport(readings(lang, shipped));
      expect(r.wrongAmongActed!, lang).toBeLessThanOrEqual(MAX_WRONG_ACTED_ON + 0.001);
      expect(r.inScopeActed!, lang).toBeGreaterThan(0.6);
      expect(r.rightActedOrOffered!, lang).toBeGreaterThan(0.95);
    }
  });
});
