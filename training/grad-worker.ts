/** Worker thread of data-parallel training: holds a model replica and returns gradients for a slice. */
import { parentPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../framework/tf/backend.ts';
import { createModel } from './model.ts';
import type { ModelOptions } from './model.ts';
import { renderPlannedPhotos } from './photo-batch.ts';
import type { PhotoPlan } from './photo-batch.ts';
import { batchGradients } from './step.ts';

/** Messages the trainer sends to this worker. */
export type ToWorker =
  | { type: 'init'; modelOptions: ModelOptions; backend: string }
  | { type: 'step'; weights: Float32Array[]; images: Float32Array; labels: Uint8Array; count: number; photos?: PhotoPlan };

/** Messages this worker answers with. */
export type FromWorker =
  | { type: 'ready'; backend: string }
  | { type: 'grads'; grads: Float32Array[]; loss: number; correct: number; count: number }
  | { type: 'error'; message: string };

let model: tf.LayersModel | undefined;

async function handle(msg: ToWorker): Promise<void> {
  const port = parentPort!;
  if (msg.type === 'init') {
    const { backend } = await initTf({ backend: msg.backend as 'wasm' });
    model = createModel(msg.modelOptions);
    port.postMessage({ type: 'ready', backend } satisfies FromWorker);
    return;
  }
  if (!model) throw new Error('step before init');
  const m = model;
  // Copy the trainer's current weights into the replica, then compute this slice's gradients.
  m.trainableWeights.forEach((w, i) => {
    const v = w.read() as tf.Variable;
    tf.tidy(() => v.assign(tf.tensor(msg.weights[i]!, v.shape)));
  });
  if (msg.photos) renderPlannedPhotos(msg.images, msg.photos);
  const g = batchGradients(m, msg.images, msg.labels, msg.count);
  const grads = g.grads.map((t) => t.dataSync() as Float32Array);
  tf.dispose(g.grads);
  port.postMessage(
    { type: 'grads', grads, loss: g.loss, correct: g.correct, count: g.count } satisfies FromWorker,
    grads.map((a) => a.buffer as ArrayBuffer),
  );
}

parentPort?.on('message', (msg: ToWorker) => {
  handle(msg).catch((err: unknown) => {
    parentPort!.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromWorker);
  });
});
