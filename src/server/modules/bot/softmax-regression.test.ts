import { describe, expect, it } from 'vitest';
import { probabilities, type SparseVector, TRAINING, trainSoftmax } from './softmax-regression';

const v = (...indexes: number[]): SparseVector => ({
  indexes,
  values: indexes.map(() => 1 / Math.sqrt(indexes.length)),
});

describe('softmax regression', () => {
  // Three classes told apart by one feature each; feature 3 appears everywhere and says nothing.
  const vectors = [v(0, 3), v(0), v(1, 3), v(1), v(2, 3), v(2)];
  const labels = [0, 0, 1, 1, 2, 2];

  it('learns which feature stands for which class, with probabilities that sum to 1', () => {
    // Six examples need more passes than the bot's ten thousand.
    const model = trainSoftmax(vectors, labels, 4, 3, { ...TRAINING, epochs: 60 });
    for (const [x, label] of [
      [v(0), 0],
      [v(1, 3), 1],
      [v(2), 2],
    ] as const) {
      const p = probabilities(model, x);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(p.indexOf(Math.max(...p))).toBe(label);
      expect(p[label]).toBeGreaterThan(0.8);
    }
  });

  it('is unsure of a message made only of an uninformative feature', () => {
    const p = probabilities(trainSoftmax(vectors, labels, 4, 3), v(3));
    expect(Math.max(...p)).toBeLessThan(0.5);
  });

  it('learns from each example as much as its weight says', () => {
    // A seventh example ties feature 3 to class 2: the more it weighs, the more feature 3 says class 2.
    const more = [...vectors, v(3)];
    const moreLabels = [...labels, 2];
    const classTwo = (weight: number) =>
      probabilities(trainSoftmax(more, moreLabels, 4, 3, TRAINING, [1, 1, 1, 1, 1, 1, weight]), v(3))[2]!;
    expect(classTwo(0)).toBeLessThan(0.5);
    expect(classTwo(0.5)).toBeGreaterThan(classTwo(0));
    expect(classTwo(1)).toBeGreaterThan(classTwo(0.5));
  });

  it('gives the same weights for the same examples', () => {
    expect(trainSoftmax(vectors, labels, 4, 3).weights).toEqual(trainSoftmax(vectors, labels, 4, 3).weights);
  });
});
