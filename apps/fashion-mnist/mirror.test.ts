/** The adaptive mirror pass: each row is either the single pass (sure) or the full mirror average (unsure). */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode } from 'fast-png';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initTf, loadLayersModelFromDir, type Tf } from 'vitrine/tf';
import { adaptiveMirror } from './mirror-tfjs.ts';
import { MIRROR_BELOW } from './mirror.ts';

let tf: Tf;
let model: LayersModel;
let inputs: Float32Array;
const COUNT = 14;

beforeAll(async () => {
  tf = (await initTf({ backend: 'wasm' })).tf;
  model = await loadLayersModelFromDir(new URL('./model/', import.meta.url).pathname);
  // Ten dataset pictures (the model is sure of most) and four of noise (it is unsure of most).
  inputs = new Float32Array(COUNT * 784);
  const names = ['sneaker', 'trouser', 'bag', 'ankle-boot', 'dress', 'pullover', 'coat', 'sandal', 'shirt', 't-shirt-top'];
  names.forEach((name, i) => {
    const png = decode(readFileSync(new URL(`./examples/${name}.png`, import.meta.url)));
    for (let p = 0; p < 784; p++) inputs[i * 784 + p] = Number(png.data[p * png.channels]) / 255;
  });
  let seed = 7;
  for (let p = 10 * 784; p < COUNT * 784; p++) inputs[p] = ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) ** 3;
});

const rows = (probs: Float32Array | Int32Array | Uint8Array) => Array.from({ length: COUNT }, (_, i) => Array.from(probs.subarray(i * 10, i * 10 + 10)));
/** `m`'s probabilities for the test inputs, one row per picture. */
const predictRows = (m: LayersModel) => rows(tf.tidy(() => (m.predict(tf.tensor4d(inputs, [COUNT, 28, 28, 1])) as Tensor).dataSync()));

describe('adaptiveMirror', () => {
  it('gives the single pass where it is sure and the full mirror average where it is not', async () => {
    const inner = model.layers.find((l) => l.getClassName() === 'Sequential') as LayersModel;
    const single = predictRows(inner);
    const full = predictRows(model);
    const adaptive = rows(await adaptiveMirror(tf, model)(inputs, COUNT));
    let sure = 0;
    adaptive.forEach((row, i) => {
      const expected = Math.max(...single[i]!) >= MIRROR_BELOW ? (sure++, single[i]!) : full[i]!;
      row.forEach((p, c) => expect(p).toBeCloseTo(expected[c]!, 5));
    });
    // Both branches ran.
    expect(sure).toBeGreaterThan(0);
    expect(sure).toBeLessThan(COUNT);
  });

  it('equals the committed model everywhere when asked to always average', async () => {
    const full = predictRows(model);
    const always = rows(await adaptiveMirror(tf, model, 1.01)(inputs, COUNT));
    always.forEach((row, i) => row.forEach((p, c) => expect(p).toBeCloseTo(full[i]![c]!, 5)));
  });

  it('runs any other model as it is', async () => {
    const plain = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    expect(rows(await adaptiveMirror(tf, plain)(inputs, COUNT))).toEqual(predictRows(plain));
  });
});
