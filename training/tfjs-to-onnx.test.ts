/** The TF.js → ONNX converter: ONNX Runtime computes what TF.js computes, for every layer kind and both flatten orders. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initTf, type Tf } from '../framework/tf/backend.ts';
import { loadOnnxModel } from '../framework/onnx/index.ts';
import { encodeOnnxModel } from './onnx-writer.ts';
import { layersModelToOnnx } from './tfjs-to-onnx.ts';

let tf: Tf;
let dir: string;
beforeAll(async () => {
  ({ tf } = await initTf({ backend: 'wasm' }));
  dir = await mkdtemp(join(tmpdir(), 'vitrine-tfjs-onnx-'));
});

/**
 * Random signed weights everywhere (all-positive ones saturate the activations, and a constant
 * feature map would hide a wrong flatten order), batch-norm statistics included; variances > 0.
 */
function randomise(model: LayersModel, seed: number): void {
  model.setWeights(
    model.weights.map((v, i) =>
      v.name.includes('variance') ? tf.randomUniform(v.shape as number[], 0.5, 1.5, 'float32', seed + i) : tf.randomUniform(v.shape as number[], -1, 1, 'float32', seed + i),
    ),
  );
}

/** Largest absolute difference between TF.js and ONNX Runtime on a random batch of 3; also checks the output shape. */
async function maxDifference(model: LayersModel, name: string): Promise<number> {
  const path = join(dir, `${name}.onnx`);
  await writeFile(path, encodeOnnxModel(layersModelToOnnx(model)));
  const onnx = await loadOnnxModel(path, { warmUp: false });
  const shape = [3, ...(model.inputs[0]!.shape.slice(1) as number[])];
  const input = tf.randomUniform(shape, 0, 1, 'float32', 7);
  const expected = tf.tidy(() => (model.predict(input) as Tensor).dataSync() as Float32Array);
  const { data, dims } = await onnx.predict(input.dataSync() as Float32Array, shape);
  input.dispose();
  expect(dims).toEqual([3, model.outputs[0]!.shape[1]]);
  const got = data as Float32Array;
  return expected.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
}

describe('layersModelToOnnx', () => {
  it('converts convolutions (same/valid, stride 2, odd sizes), pooling, batch norm, ReLU(max) and Flatten → Dense with permuted rows', async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [13, 11, 2], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: 2, padding: 'same', useBias: false, activation: 'tanh' }));
    m.add(tf.layers.reLU({ maxValue: 0.9 }));
    m.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'valid' }));
    m.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dropout({ rate: 0.5 }));
    m.add(tf.layers.dense({ units: 6, activation: 'relu6' }));
    m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
    randomise(m, 1);
    expect(await maxDifference(m, 'cnn')).toBeLessThan(1e-5);
  });

  it('transposes back to channels-last when no Dense follows the Flatten', async () => {
    const m = tf.sequential();
    m.add(tf.layers.conv2d({ inputShape: [5, 4, 3], filters: 2, kernelSize: 3, padding: 'valid', activation: 'sigmoid' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.activation({ activation: 'elu' }));
    randomise(m, 2);
    const spec = layersModelToOnnx(m);
    expect(spec.nodes.map((n) => n.op)).toEqual(['Transpose', 'Conv', 'Sigmoid', 'Transpose', 'Flatten', 'Elu']);
    expect(await maxDifference(m, 'conv-flatten')).toBeLessThan(1e-5);
  });

  it('flattens a channels-last image as it is when no convolution comes first (an MLP)', async () => {
    const m = tf.sequential();
    m.add(tf.layers.flatten({ inputShape: [4, 4, 2] }));
    m.add(tf.layers.dense({ units: 5, activation: 'softplus' }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.dense({ units: 3, useBias: false }));
    randomise(m, 3);
    const spec = layersModelToOnnx(m);
    expect(spec.nodes.map((n) => n.op)).toEqual(['Flatten', 'Gemm', 'Softplus', 'BatchNormalization', 'Gemm']);
    expect(spec.outputs).toEqual([{ name: 'scores', shape: ['batch', 3] }]);
    expect(await maxDifference(m, 'mlp')).toBeLessThan(1e-5);
  });

  it('names the input and a softmax output, with a symbolic batch', () => {
    const m = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2, activation: 'softmax' })] });
    const spec = layersModelToOnnx(m, { metadata: { a: 'b' } });
    expect(spec.inputs).toEqual([{ name: 'image', shape: ['batch', 2, 2, 1] }]);
    expect(spec.outputs).toEqual([{ name: 'probabilities', shape: ['batch', 2] }]);
    expect(spec.metadata).toEqual({ a: 'b' });
  });

  it('refuses layers and models it cannot convert, saying which', () => {
    const upsample = tf.sequential({ layers: [tf.layers.upSampling2d({ inputShape: [3, 3, 1] }), tf.layers.flatten()] });
    expect(() => layersModelToOnnx(upsample)).toThrow(/UpSampling2D layers are not supported \(supported: InputLayer, Conv2D/);
    const sequence = tf.sequential({ layers: [tf.layers.simpleRNN({ inputShape: [3, 2], units: 2 })] });
    expect(() => layersModelToOnnx(sequence)).toThrow('inputs of shape [3, 2] are not supported');
    const input = tf.input({ shape: [2] });
    const functional = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(input) as never });
    expect(() => layersModelToOnnx(functional)).toThrow(/only Sequential models/);
  });
});
