/** A pool of gradient worker threads for data-parallel training; each computes gradients (and renders its photos) for its slice of a batch. */
import { Worker } from 'node:worker_threads';
import type { ModelOptions } from './model.ts';
import type { PhotoPlan } from './photo-batch.ts';
import type { FromWorker, ToWorker } from './grad-worker.ts';

/** Node runs the TypeScript worker module itself (type stripping, Node ≥ 22.18). */
const GRAD_WORKER = new URL('./grad-worker.ts', import.meta.url);

/** A pool of gradient workers; each computes gradients for its slice of every batch. */
export class GradientPool {
  private readonly workers: Worker[];
  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  static async start(count: number, modelOptions: ModelOptions, backend: string): Promise<GradientPool> {
    const workers: Worker[] = [];
    for (let i = 0; i < count; i++) {
      workers.push(new Worker(GRAD_WORKER));
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

