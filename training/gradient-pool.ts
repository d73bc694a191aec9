/** A pool of gradient worker threads for data-parallel training; each computes gradients (and renders its photos) for its slice of a batch. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ModelOptions } from './model.ts';
import type { PhotoPlan } from './photo-batch.ts';
import type { FromWorker, ToWorker } from './grad-worker.ts';

/**
 * Worker threads do not inherit `--import tsx` (Node 20), so each one registers tsx's loader
 * itself before importing the TypeScript worker module.
 */
function workerBootstrap(): string {
  // tsx's ESM API (its "require" build resolves its loader to a wrong path from inside a worker).
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(join(tsxRoot, 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./grad-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

/** A pool of gradient workers; each computes gradients for its slice of every batch. */
export class GradientPool {
  private constructor(private readonly workers: Worker[]) {}

  static async start(count: number, modelOptions: ModelOptions, backend: string): Promise<GradientPool> {
    const workers: Worker[] = [];
    for (let i = 0; i < count; i++) {
      workers.push(new Worker(workerBootstrap(), { eval: true }));
    }
    const pool = new GradientPool(workers);
    try {
      await Promise.all(workers.map((w) => pool.request(w, { type: 'init', modelOptions, backend })));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  request(w: Worker, msg: ToWorker, transfer: ArrayBuffer[] = []): Promise<FromWorker> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        cleanup();
        if (m.type === 'error') reject(new Error(`gradient worker failed: ${m.message}`));
        else resolve(m);
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(msg, transfer);
    });
  }

  step(i: number, weights: Float32Array[], images: Float32Array, labels: Uint8Array, count: number, photos: PhotoPlan): Promise<FromWorker> {
    return this.request(this.workers[i]!, { type: 'step', weights, images, labels, count, photos }, [images.buffer as ArrayBuffer]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

