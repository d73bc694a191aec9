/** Folding batch norm into conv/dense layers keeps the predictions and removes the BN layers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../framework/tf/backend.ts';
import { foldBatchNorm } from './fold.ts';
import { createModel } from './model.ts';

beforeAll(async () => {
  await initTf({ backend: 'wasm' });
});
afterAll(() => {
  tf.removeBackend('wasm');
});

describe('foldBatchNorm', () => {
  it('gives the same probabilities with fewer layers', () => {
    const model = createModel({ width: 4, denseUnits: 8, seed: 2 });
    // Non-trivial batch-norm statistics, as after training.
    let seed = 10;
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'BatchNormalization') continue;
      const ws = layer.getWeights();
      layer.setWeights(ws.map((w, i) => (i === 3 ? tf.randomUniform(w.shape, 0.5, 2, 'float32', seed++) : tf.randomUniform(w.shape, -0.5, 1.5, 'float32', seed++))));
    }
    const folded = foldBatchNorm(model);
    expect(folded.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    expect(folded.layers.some((l) => l.getClassName() === 'Dropout')).toBe(false);
    expect(folded.layers.length).toBeLessThan(model.layers.length);
    const x = tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 3);
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (folded.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
    model.dispose();
    folded.dispose();
  });
});
