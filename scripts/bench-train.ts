/** Benchmark: training ms/sample and inference images/s of the shipped model and the reference CNN on this machine. */
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir } from '../framework/tf/model-io.ts';
import { numberFlag, parseFlags } from '../training/cli.ts';
import { seededRandom } from '../training/data.ts';
import type { Examples } from '../training/data.ts';
import { createModel } from '../training/model.ts';
import type { ModelOptions } from '../training/model.ts';
import { batchGradients } from '../training/step.ts';
import { trainModel } from '../training/trainer.ts';

/** PyTorch 1.13 on the same 2-core machine, reference CNN, full epochs at batch 128. */
const PYTORCH_MS_PER_SAMPLE = 1.365;

const flags = parseFlags('bench:train', {
  model: { type: 'string', default: 'apps/fashion-mnist/model', help: 'shipped model folder (inference is timed on it when present)' },
  steps: { type: 'string', default: '10', help: 'timed training steps per measurement' },
  'batch-size': { type: 'string', default: '128', help: 'training batch size' },
  workers: { type: 'string', default: '2', help: 'threads for the data-parallel measurement' },
  backend: { type: 'string', default: 'wasm', help: 'TF.js backend: auto, tensorflow, wasm or cpu' },
  profile: { type: 'boolean', default: false, help: 'also print the slowest kernels of one training step' },
});
const steps = numberFlag('steps', flags.steps, { min: 1, integer: true });
const batch = numberFlag('batch-size', flags['batch-size'], { min: 1, integer: true });
const workers = numberFlag('workers', flags.workers, { min: 1, integer: true });

const { backend } = await initTf({ backend: flags.backend as 'wasm', log: (m) => console.log(m) });

function randomExamples(count: number): Examples {
  const rand = seededRandom(1);
  const images = new Uint8Array(count * 784).map(() => Math.floor(rand() * 256));
  const labels = new Uint8Array(count).map(() => Math.floor(rand() * 10));
  return { images, labels, count };
}

/** ms per training sample on this thread: forward + backward + Adam update. */
function trainOneThread(options: ModelOptions): number {
  const model = createModel(options);
  const optimizer = tf.train.adam(1e-3);
  const x = new Float32Array(batch * 784).map(() => Math.random());
  const y = new Uint8Array(batch).map(() => Math.floor(Math.random() * 10));
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = () => {
    const g = batchGradients(model, x, y, batch);
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: g.grads[i]! })));
    tf.dispose(g.grads);
  };
  for (let i = 0; i < 3; i++) step();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - t0) / (steps * batch);
  model.dispose();
  optimizer.dispose();
  return ms;
}

/** ms per training sample with the data-parallel trainer (includes batching and augmentation). */
async function trainParallel(options: ModelOptions): Promise<number> {
  const warm = 10; // the worker threads compile their WASM too: time only warm steps
  const train = randomExamples((steps + warm) * batch);
  let tStart = 0;
  let tEnd = 0;
  const { model } = await trainModel({
    train,
    modelOptions: options,
    epochs: 1,
    batchSize: batch,
    workers,
    backend,
    onBatch: (b) => {
      if (b.step === warm) tStart = performance.now();
      if (b.step === warm + steps) tEnd = performance.now();
    },
  });
  model.dispose();
  return (tEnd - tStart) / (steps * batch);
}

/** Images per second of `model.predict` at a batch size. */
function inference(model: tf.LayersModel, size: number): number {
  const x = tf.randomUniform([size, 28, 28, 1]);
  const run = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  for (let i = 0; i < 5; i++) run();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1500) {
    run();
    n++;
  }
  const seconds = (performance.now() - t0) / 1000;
  x.dispose();
  return (n * size) / seconds;
}

function profileStep(options: ModelOptions): Promise<string> {
  const model = createModel(options);
  const x = new Float32Array(batch * 784).map(() => Math.random());
  const y = new Uint8Array(batch).map(() => Math.floor(Math.random() * 10));
  tf.dispose(batchGradients(model, x, y, batch).grads);
  return tf
    .profile(() => {
      tf.dispose(batchGradients(model, x, y, batch).grads);
    })
    .then((info) => {
      const byKernel = new Map<string, number>();
      for (const k of info.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
      model.dispose();
      return [...byKernel.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 12)
        .map(([name, ms]) => `    ${name.padEnd(24)} ${ms.toFixed(1).padStart(7)} ms`)
        .join('\n');
    });
}

const shippedOptions: ModelOptions = { architecture: 'vitrine' };
const rows: { name: string; options: ModelOptions; inferenceModel: () => Promise<tf.LayersModel> }[] = [
  {
    name: 'shipped (vitrine)',
    options: shippedOptions,
    inferenceModel: async () => (existsSync(`${flags.model}/model.json`) ? loadLayersModelFromDir(String(flags.model)) : createModel(shippedOptions)),
  },
  { name: 'reference CNN', options: { architecture: 'reference' }, inferenceModel: async () => createModel({ architecture: 'reference' }) },
];

console.log(`backend ${backend}; training batch ${batch}, ${steps} timed steps; PyTorch reference: ${PYTORCH_MS_PER_SAMPLE} ms/sample\n`);
for (const row of rows) {
  const one = trainOneThread(row.options);
  const par = workers > 1 ? await trainParallel(row.options) : one;
  const model = await row.inferenceModel();
  const b1 = inference(model, 1);
  const b64 = inference(model, 64);
  console.log(`${row.name} (${model.countParams().toLocaleString('en')} parameters)`);
  console.log(`  training, 1 thread:            ${one.toFixed(3)} ms/sample (${(one / PYTORCH_MS_PER_SAMPLE).toFixed(2)}× PyTorch)`);
  if (workers > 1) {
    console.log(`  training, ${workers} threads (parallel): ${par.toFixed(3)} ms/sample (${(par / PYTORCH_MS_PER_SAMPLE).toFixed(2)}× PyTorch)`);
  }
  console.log(`  inference, batch 1:            ${b1.toFixed(0)} images/s`);
  console.log(`  inference, batch 64:           ${b64.toFixed(0)} images/s`);
  if (flags.profile) console.log(`  slowest kernels of one step (nested kernels counted in their parents too):\n${await profileStep(row.options)}`);
  model.dispose();
}
if (tf.findBackend('wasm')) tf.removeBackend('wasm');
