/** A tiny training run on generated images: the loss must drop, on one thread and data-parallel. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../framework/tf/backend.ts';
import { seededRandom } from './data.ts';
import type { Examples } from './data.ts';
import { createModel } from './model.ts';
import { learningRateAt, lossAndAccuracy, predictProbabilities, trainModel } from './trainer.ts';

/** Class k = a bright 6×6 square at one of 10 places, on faint noise: learnable in a few steps. */
function synthetic(count: number, seed: number): Examples {
  const rand = seededRandom(seed);
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = i % 10;
    labels[i] = k;
    const r0 = 2 + Math.floor(k / 5) * 12 + Math.floor(rand() * 3);
    const c0 = 1 + (k % 5) * 5 + Math.floor(rand() * 2);
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.floor(rand() * 40);
    for (let r = r0; r < r0 + 6; r++) for (let c = c0; c < Math.min(28, c0 + 6); c++) images[i * 784 + r * 28 + c] = 220;
  }
  return { images, labels, count };
}

beforeAll(async () => {
  await initTf({ backend: 'wasm' });
});
afterAll(() => {
  tf.removeBackend('wasm');
});

describe('createModel', () => {
  for (const architecture of ['vitrine', 'reference'] as const) {
    it(`${architecture}: [n, 28, 28, 1] → softmax [n, 10]`, () => {
      const model = createModel({ architecture, width: 8, denseUnits: 16 });
      const probs = tf.tidy(() => model.predict(tf.randomUniform([3, 28, 28, 1])) as tf.Tensor);
      expect(probs.shape).toEqual([3, 10]);
      const sums = tf.tidy(() => tf.sum(probs, 1).arraySync() as number[]);
      for (const s of sums) expect(s).toBeCloseTo(1, 5);
      probs.dispose();
      model.dispose();
    });
  }
});

describe('learningRateAt', () => {
  it('warms up linearly, peaks, then decays towards 1% of the peak', () => {
    expect(learningRateAt(0, 100, 10, 1)).toBeCloseTo(0.1);
    expect(learningRateAt(10, 100, 10, 1)).toBeCloseTo(1);
    expect(learningRateAt(55, 100, 10, 1)).toBeCloseTo(0.505, 2);
    expect(learningRateAt(100, 100, 10, 1)).toBeCloseTo(0.01);
  });
});

describe('trainModel on a small generated slice', () => {
  const train = synthetic(320, 1);
  const validation = synthetic(100, 2);
  for (const workers of [1, 2]) {
    it(`the loss drops (${workers} thread${workers > 1 ? 's' : ''})`, async () => {
      const { model, history } = await trainModel({
        train,
        validation,
        modelOptions: { width: 4, denseUnits: 16, dropout: 0 },
        epochs: 4,
        batchSize: 32,
        learningRate: 0.01,
        warmupEpochs: 0,
        augment: {},
        workers,
        seed: 3,
      });
      expect(history).toHaveLength(4);
      expect(history[3]!.loss).toBeLessThan(history[0]!.loss * 0.7);
      const { accuracy } = lossAndAccuracy(predictProbabilities(model, validation), validation.labels);
      expect(accuracy).toBeGreaterThan(0.5);
      model.dispose();
    });
  }
});
