// Multinomial logistic regression over sparse vectors, trained by stochastic gradient descent in a
// fixed, seeded order so the same examples always give the same weights. Small and fast enough to
// train at start (≈ 0.5 s for one language's 2,000 messages) and to score a message in microseconds.

/** A sparse vector: feature indexes and their values. */
export type SparseVector = { indexes: number[]; values: number[] };

export type SoftmaxModel = {
  classes: number;
  /** Row-major: the weights of feature f are `weights[f * classes … f * classes + classes - 1]`. */
  weights: Float64Array;
  bias: Float64Array;
};

export const TRAINING = { epochs: 6, learningRate: 0.8, decay: 0.2, seed: 1 };

// A class whose predicted probability is already within this of its target learns nothing worth
// the time from this example.
const NEGLIGIBLE = 1e-3;

export function trainSoftmax(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  features: number,
  classes: number,
  options = TRAINING,
  /** How much each example counts (1 when absent): its steps are scaled by it. */
  weights?: readonly number[],
): SoftmaxModel {
  const model: SoftmaxModel = {
    classes,
    weights: new Float64Array(features * classes),
    bias: new Float64Array(classes),
  };
  const order = vectors.map((_, i) => i);
  const random = seededRandom(options.seed);
  const gradient = new Float64Array(classes);
  const touched = new Int32Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    const epochRate = options.learningRate / (1 + epoch * options.decay);
    for (const n of order) {
      const rate = epochRate * (weights?.[n] ?? 1);
      const x = vectors[n]!;
      probabilitiesInto(model, x, gradient);
      gradient[labels[n]!]! -= 1;
      // Once trained a little, most classes' gradients are nearly zero: update only the others.
      let active = 0;
      for (let k = 0; k < classes; k++) {
        if (Math.abs(gradient[k]!) < NEGLIGIBLE) continue;
        touched[active++] = k;
        model.bias[k]! -= rate * gradient[k]!;
      }
      for (let a = 0; a < x.indexes.length; a++) {
        const row = x.indexes[a]! * classes;
        const step = rate * x.values[a]!;
        for (let t = 0; t < active; t++) {
          const k = touched[t]!;
          model.weights[row + k]! -= step * gradient[k]!;
        }
      }
    }
  }
  return model;
}

/** The probability of each class for `x` (they sum to 1). */
export function probabilities(model: SoftmaxModel, x: SparseVector): Float64Array {
  const out = new Float64Array(model.classes);
  probabilitiesInto(model, x, out);
  return out;
}

function probabilitiesInto(model: SoftmaxModel, x: SparseVector, out: Float64Array) {
  const k = model.classes;
  out.set(model.bias);
  for (let a = 0; a < x.indexes.length; a++) {
    const row = x.indexes[a]! * k;
    const v = x.values[a]!;
    for (let c = 0; c < k; c++) out[c]! += model.weights[row + c]! * v;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) max = Math.max(max, out[c]!);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    out[c] = Math.exp(out[c]! - max);
    sum += out[c]!;
  }
  for (let c = 0; c < k; c++) out[c]! /= sum;
}

/** A deterministic generator of numbers in [0, 1): the same seed, the same sequence. */
export function seededRandom(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Shuffles `list` in place (Fisher–Yates) with the given generator. */
export function shuffle(list: number[], random: () => number) {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
}
