/** Saving a layers model to a folder and loading it back gives identical predictions. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from './backend.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from './model-io.ts';

let dir: string;

beforeAll(async () => {
  await initTf({ backend: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'model-io-'));
});
afterAll(async () => {
  tf.removeBackend('wasm');
  await rm(dir, { recursive: true, force: true });
});

function smallModel(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.batchNormalization());
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

describe('model folder IO', () => {
  it('round-trips a layers model with identical predictions', async () => {
    const model = smallModel();
    const x = tf.randomUniform([5, 28, 28, 1], 0, 1, 'float32', 1);
    const before = (model.predict(x) as tf.Tensor).dataSync();
    await saveLayersModelToDir(model, dir);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    const loaded = await loadLayersModelFromDir(dir);
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));
    model.dispose();
    loaded.dispose();
  });

  it('says which file is missing or wrong', async () => {
    await expect(loadLayersModelFromDir(join(dir, 'absent'))).rejects.toThrow(/Cannot read the model at .*absent\/model\.json/);
    const bad = join(dir, 'bad');
    await import('node:fs/promises').then((fs) => fs.mkdir(bad));
    await writeFile(join(bad, 'model.json'), '{"format":"graph-model"}');
    await expect(loadLayersModelFromDir(bad)).rejects.toThrow(/not a TF\.js layers model/);
  });
});
