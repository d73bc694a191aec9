/** The mirror-averaged model equals the mean of the base model on the image and on its mirror. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';
import { createModel } from './model.ts';
import { withMirrorAveraging } from './tta.ts';

let dir: string;
beforeAll(async () => {
  await initTf({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'tta-'));
});
afterAll(async () => {
  tf.removeBackend('wasm');
  await rm(dir, { recursive: true, force: true });
});

describe('withMirrorAveraging', () => {
  it('averages the two views and survives a save/load round trip', async () => {
    const base = createModel({ width: 4, denseUnits: 8, seed: 4 });
    const served = withMirrorAveraging(base);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 5);
    const expected = tf.tidy(() => tf.div(tf.add(base.predict(x) as tf.Tensor, base.predict(tf.reverse(x, 2)) as tf.Tensor), 2).dataSync());
    const got = (served.predict(x) as tf.Tensor).dataSync();
    for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - expected[i]!)).toBeLessThan(1e-6);
    await saveLayersModelToDir(served, dir);
    const loaded = await loadLayersModelFromDir(dir);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(got));
    expect(loaded.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(loaded.outputs[0]!.shape).toEqual([null, 10]);
  });
});
