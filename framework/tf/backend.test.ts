/** Backend choice: idempotent, overridable by VITRINE_TF_BACKEND, and usable inside a worker thread. */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initTf } from './backend.ts';

afterAll(() => {
  if (tf.findBackend('wasm')) tf.removeBackend('wasm');
});

describe('initTf', () => {
  it('picks wasm when tfjs-node is absent, logs once, and returns the same runtime twice', async () => {
    const logs: string[] = [];
    const a = await initTf({ log: (m) => logs.push(m) });
    const b = await initTf({ log: (m) => logs.push(m) });
    expect(a).toBe(b);
    expect(['tensorflow', 'wasm']).toContain(a.backend);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^TensorFlow\.js backend: /);
    // The fast gradients are registered: the stock wasm backend has no Conv2DBackpropFilter.
    if (a.backend === 'wasm') expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('starts inside a worker thread, with VITRINE_TF_BACKEND honoured there', async () => {
    const backendUrl = new URL('./backend.ts', import.meta.url).href;
    const code = `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(backendUrl)})
        .then(({ initTf }) => initTf())
        .then(async ({ tf, backend }) => {
          const y = tf.conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 2]), 1, 'same');
          parentPort.postMessage({ backend, sum: (await y.data()).reduce((a, b) => a + b, 0) });
        })
        .catch((e) => parentPort.postMessage({ error: String(e) }));`;
    const worker = new Worker(code, { eval: true, env: { ...process.env, VITRINE_TF_BACKEND: 'cpu' } });
    try {
      const msg = await new Promise<{ backend?: string; sum?: number; error?: string }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(msg.error).toBeUndefined();
      expect(msg.backend).toBe('cpu');
      // 5×5 ones convolved with a 3×3 ones kernel ('same'): 4 corners·4 + 12 edges·6 + 9 inner·9 = 169, twice.
      expect(msg.sum).toBe(338);
    } finally {
      await worker.terminate();
    }
  });
});
