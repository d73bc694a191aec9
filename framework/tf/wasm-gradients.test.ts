/** Checks the WASM gradient kernels against the CPU backend's gradients on random shapes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradients } from './wasm-gradients.ts';

type Grads = Float32Array[];

/** Runs `fn` on a backend and returns the gradients as plain arrays. */
async function gradsOn(backend: string, fn: () => tf.Tensor[]): Promise<Grads> {
  await tf.setBackend(backend);
  const tensors = tf.tidy(fn);
  const out = tensors.map((t) => t.dataSync() as Float32Array);
  tf.dispose(tensors);
  return out;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max / scale;
}

async function compare(fn: () => tf.Tensor[]): Promise<void> {
  const cpu = await gradsOn('cpu', fn);
  const wasm = await gradsOn('wasm', fn);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((c, i) => {
    expect(wasm[i]!.length).toBe(c.length);
    expect(maxRelDiff(wasm[i]!, c)).toBeLessThan(1e-4);
  });
}

/** Deterministic random values so both backends see the same inputs. */
function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: number | [number, number];
  pad: 'same' | 'valid';
}

const convCases: ConvCase[] = [
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, stride: 1, pad: 'same' },
  { x: [2, 9, 7, 3], k: [3, 3], cout: 4, stride: 1, pad: 'valid' },
  { x: [3, 10, 11, 2], k: [3, 3], cout: 5, stride: 2, pad: 'same' },
  { x: [3, 10, 11, 2], k: [3, 3], cout: 5, stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 1], k: [5, 5], cout: 6, stride: 2, pad: 'same' },
  { x: [2, 13, 6, 4], k: [2, 3], cout: 3, stride: [2, 1], pad: 'valid' },
  { x: [1, 12, 9, 3], k: [4, 2], cout: 2, stride: [3, 2], pad: 'same' },
  { x: [4, 28, 28, 1], k: [3, 3], cout: 8, stride: 1, pad: 'same' },
];

describe('wasm gradient kernels match the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    registerWasmGradients();
  });
  afterAll(() => {
    tf.removeBackend('wasm');
  });

  for (const c of convCases) {
    it(`conv2d ${c.x.join('×')} k${c.k.join('×')} stride ${String(c.stride)} ${c.pad}`, async () => {
      await compare(() => {
        const x = rand(c.x, 1) as tf.Tensor4D;
        const w = rand([c.k[0], c.k[1], c.x[3], c.cout], 2) as tf.Tensor4D;
        const f = (a: tf.Tensor, b: tf.Tensor) => {
          const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
          return tf.sum(tf.mul(y, rand(y.shape, 3)));
        };
        return tf.grads(f)([x, w]);
      });
    });
  }

  it('fused conv2d with bias and relu (the layers path)', async () => {
    await compare(() => {
      const x = rand([2, 10, 10, 3], 4) as tf.Tensor4D;
      const w = rand([3, 3, 3, 4], 5) as tf.Tensor4D;
      const b = rand([4], 6) as tf.Tensor1D;
      const f = (a: tf.Tensor, wf: tf.Tensor, bias: tf.Tensor) => {
        const y = tf.fused.conv2d({ x: a as tf.Tensor4D, filter: wf as tf.Tensor4D, bias, strides: 2, pad: 'same', activation: 'relu' });
        return tf.sum(tf.mul(y, rand(y.shape, 7)));
      };
      return tf.grads(f)([x, w, b]);
    });
  });

  // Non-overlapping windows only: the stock wasm MaxPoolGrad (used for overlapping windows) drops
  // gradient where two windows select the same cell, so it is not ours to check here.
  for (const [shape, pool, pad] of [
    [[2, 8, 6, 3], 2, 'valid'],
    [[2, 7, 9, 2], 2, 'valid'],
    [[1, 9, 10, 4], 3, 'valid'],
    [[2, 7, 7, 2], 2, 'same'],
    [[2, 6, 9, 2], [2, 3], 'valid'],
    [[1, 9, 8, 3], 2, 'same'],
    [[2, 5, 8, 2], 3, 'same'],
  ] as const) {
    it(`max pool ${shape.join('×')} size ${String(pool)} ${pad}`, async () => {
      await compare(() => {
        const x = rand([...shape], 8);
        const f = (a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, pool as [number, number], pool as [number, number], pad);
          return tf.sum(tf.mul(y, rand(y.shape, 9)));
        };
        return tf.grads(f)([x]);
      });
    });
  }

  for (const [ta, tb] of [
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matMul transposeA=${ta} transposeB=${tb}`, async () => {
      await compare(() => {
        const a = rand(ta ? [7, 5] : [5, 7], 10);
        const b = rand(tb ? [3, 7] : [7, 3], 11);
        const f = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.matMul(p, q, ta, tb), rand([5, 3], 12)));
        return [tf.matMul(a, b, ta, tb), ...tf.grads(f)([a, b])];
      });
    });
  }

  it('conv, batch norm and a fused dense layer chained', async () => {
    await compare(() => {
      const x = rand([6, 4, 4, 2], 13);
      const w = rand([3, 3, 2, 3], 14) as tf.Tensor4D;
      const dw = rand([48, 5], 15);
      const f = (a: tf.Tensor, k: tf.Tensor, d: tf.Tensor) => {
        const y = tf.relu(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 1, 'same'));
        const { mean, variance } = tf.moments(y, [0, 1, 2]);
        const bn = tf.batchNorm(y, mean, variance, tf.zeros([3]), tf.ones([3]), 1e-3);
        const z = tf.fused.matMul({ a: tf.reshape(bn, [6, 48]), b: d, activation: 'relu' });
        return tf.sum(tf.mul(z, rand(z.shape, 16)));
      };
      return tf.grads(f)([x, w, dw]);
    });
  });
});
