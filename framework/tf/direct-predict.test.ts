/** directPredictor: the same numbers as model.predict for every layer kind it knows, the shipped model included; undefined for the rest. */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initTf, type Tf } from './backend.ts';
import { directPredictor } from './direct-predict.ts';
import { loadLayersModelFromDir } from './model-io.ts';

let tf: Tf;
beforeAll(async () => {
  ({ tf } = await initTf({ backend: 'wasm' }));
});

/** Largest absolute difference between the two predictors' outputs on `input`. */
function maxDifference(model: LayersModel, input: Tensor): number {
  const direct = directPredictor(tf, model);
  expect(direct).toBeDefined();
  return tf.tidy(() => {
    const a = Array.from((model.predict(input) as Tensor).dataSync());
    const b = Array.from(direct!(input).dataSync());
    expect(b.length).toBe(a.length);
    return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
  });
}

/** Random weights everywhere, batch-norm statistics included (fresh ones would make it the identity). */
function randomise(model: LayersModel, seed: number): void {
  model.setWeights(model.getWeights().map((w, i) => tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + i).mul(i % 2 ? 1 : 0.3)));
}

describe('directPredictor', () => {
  it('matches model.predict for convolutions (same/valid, stride 2, fused and separate activations), pooling, batch norm, dense and softmax', () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [13, 11, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'valid', useBias: false, activation: 'tanh' }));
    m.add(tf.layers.reLU({ maxValue: 0.9 }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
    m.add(tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'sigmoid' }));
    m.add(tf.layers.averagePooling2d({ poolSize: [1, 2], strides: 1 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 7, activation: 'elu' }));
    m.add(tf.layers.batchNormalization({ center: false }));
    m.add(tf.layers.dense({ units: 4 }));
    m.add(tf.layers.activation({ activation: 'softmax' }));
    randomise(m, 3);
    expect(maxDifference(m, tf.randomNormal([5, 13, 11, 2], 0, 1, 'float32', 9))).toBeLessThan(1e-5);
  });

  it('matches model.predict for the shipped Fashion-MNIST CNN', async () => {
    const model = await loadLayersModelFromDir(fileURLToPath(new URL('../../apps/fashion-mnist/model/', import.meta.url)));
    const inner = model.layers.find((l) => l.getClassName() === 'Sequential') as LayersModel;
    expect(maxDifference(inner, tf.randomUniform([6, 28, 28, 1], 0, 1, 'float32', 4))).toBeLessThan(1e-5);
  });

  it('declines models with a layer it does not know, channels-first data or more than a plain chain', () => {
    const upsample = tf.sequential({ layers: [tf.layers.upSampling2d({ inputShape: [4, 4, 1], size: [2, 2] }), tf.layers.flatten()] });
    expect(directPredictor(tf, upsample)).toBeUndefined();
    const channelsFirst = tf.sequential({ layers: [tf.layers.maxPooling2d({ inputShape: [1, 4, 4], poolSize: 2, dataFormat: 'channelsFirst' })] });
    expect(directPredictor(tf, channelsFirst)).toBeUndefined();
    const input = tf.input({ shape: [3] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as never });
    expect(directPredictor(tf, functional)).toBeUndefined();
  });
});
