/** End to end: the gradients of the whole shipped architecture agree between the WASM and CPU backends. */
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmGradients } from '../framework/tf/wasm-gradients.ts';
import { createModel } from './model.ts';
import { batchGradients } from './step.ts';

afterAll(() => {
  tf.removeBackend('wasm');
});

async function gradsOn(backend: string, architecture: 'vitrine' | 'reference'): Promise<{ grads: Float32Array[]; loss: number }> {
  await tf.setBackend(backend);
  if (backend === 'wasm') registerWasmGradients();
  const model = createModel({ architecture, width: 6, denseUnits: 12, dropout: 0, seed: 5 });
  const x = new Float32Array(8 * 784).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const y = new Uint8Array(8).map((_, i) => (i * 3) % 10);
  const g = batchGradients(model, x, y, 8);
  const grads = g.grads.map((t) => t.dataSync() as Float32Array);
  tf.dispose(g.grads);
  model.dispose();
  return { grads, loss: g.loss };
}

describe('batchGradients', () => {
  // The reference CNN's layers are covered kernel by kernel; its full size is slow on the CPU backend.
  for (const architecture of ['vitrine'] as const) {
    it(`${architecture}: wasm gradients match cpu`, async () => {
      const cpu = await gradsOn('cpu', architecture);
      const wasm = await gradsOn('wasm', architecture);
      expect(wasm.loss).toBeCloseTo(cpu.loss, 4);
      expect(wasm.grads.length).toBe(cpu.grads.length);
      cpu.grads.forEach((c, i) => {
        const w = wasm.grads[i]!;
        let scale = 1e-6;
        let diff = 0;
        for (let j = 0; j < c.length; j++) {
          scale = Math.max(scale, Math.abs(c[j]!));
          diff = Math.max(diff, Math.abs(c[j]! - w[j]!));
        }
        expect(diff / scale).toBeLessThan(1e-3);
      });
    });
  }
});
