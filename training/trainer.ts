/** The training loop: data-parallel over worker threads, cosine learning rate, checkpoints of the best epoch. */
import * as tf from '@tensorflow/tfjs';
import { fillBatch, seededRandom, shuffledIndices } from './data.ts';
import type { AugmentOptions, Examples } from './data.ts';
import { IMAGE_SIZE, NUM_CLASSES } from './idx.ts';
import { createModel } from './model.ts';
import type { ModelOptions } from './model.ts';
import { GradientPool } from './gradient-pool.ts';
import { planPhotos, renderPlannedPhotos } from './photo-batch.ts';
import { batchGradients, crossEntropy } from './step.ts';
import type { FromWorker } from './grad-worker.ts';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Options of {@link trainModel}. */
export interface TrainOptions {
  train: Examples;
  validation?: Examples;
  modelOptions?: ModelOptions;
  epochs?: number;
  batchSize?: number;
  /** Peak learning rate of Adam; the schedule warms up linearly for `warmupEpochs`, then follows a cosine to ~0. */
  learningRate?: number;
  warmupEpochs?: number;
  augment?: AugmentOptions;
  /** Share of each batch replaced by casual photos of the same garments, preprocessed like the app does (0 = none). */
  photoShare?: number;
  seed?: number;
  /** Threads computing gradients in parallel, this one included (1 = no worker threads). */
  workers?: number;
  /** Backend name for worker threads (the caller has already initialised this thread's). */
  backend?: string;
  /** Called after each batch (for a progress bar). */
  onBatch?: (info: BatchInfo) => void;
  /** Called after each epoch with its metrics; `improved` is true when validation accuracy is the best so far. */
  onEpoch?: (info: EpochInfo, model: tf.LayersModel, optimizer: tf.Optimizer, best: number) => void | Promise<void>;
  /** Stop after this many steps (tests, benchmarks). */
  maxStepsPerEpoch?: number;
  /** Start from these weights (in `model.getWeights()` order, e.g. a saved unfolded model's) instead of a fresh initialisation. */
  initialWeights?: tf.Tensor[];
  /** Resuming: epochs already done, Adam's saved state and the best validation score so far. */
  resume?: { epochsDone: number; optimizerWeights: { name: string; tensor: tf.Tensor }[]; best: number };
}

export interface BatchInfo {
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  learningRate: number;
  elapsedMs: number;
}

export interface EpochInfo {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number;
  seconds: number;
  improved: boolean;
}

/**
 * Cosine schedule with linear warm-up, per step.
 *
 * @example
 * learningRateAt(0, 1000, 100, 1e-3); // 1e-5 (warming up)
 */
export function learningRateAt(step: number, totalSteps: number, warmupSteps: number, peak: number): number {
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const t = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  return peak * (0.01 + 0.99 * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t))));
}

/**
 * Probabilities [n, 10] for a set of examples, computed in batches (inference mode).
 *
 * @example
 * const probs = predictProbabilities(model, test); // Float32Array of test.count × 10
 */
export function predictProbabilities(model: tf.LayersModel, data: Examples, batchSize = 500): Float32Array {
  const out = new Float32Array(data.count * NUM_CLASSES);
  const x = new Float32Array(batchSize * PIXELS);
  const labels = new Uint8Array(batchSize);
  for (let start = 0; start < data.count; start += batchSize) {
    const n = Math.min(batchSize, data.count - start);
    const idx = Array.from({ length: n }, (_, i) => start + i);
    fillBatch(data, idx, x, labels);
    const probs = tf.tidy(() => (model.predict(tf.tensor4d(x.subarray(0, n * PIXELS), [n, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor).dataSync());
    out.set(probs, start * NUM_CLASSES);
  }
  return out;
}

/** Mean cross-entropy and accuracy of probabilities against labels. */
export function lossAndAccuracy(probs: Float32Array, labels: Uint8Array): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  const n = labels.length;
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    let best = 0;
    for (let k = 1; k < NUM_CLASSES; k++) if (row[k]! > row[best]!) best = k;
    if (best === labels[i]) correct++;
    loss -= Math.log(Math.min(1, Math.max(1e-7, row[labels[i]!]!)));
  }
  return { loss: loss / n, accuracy: correct / n };
}

/**
 * Trains a fresh model and returns it with its per-epoch history. With `workers` > 1 each batch is
 * split across this thread and `workers − 1` worker threads, each with its own single-threaded
 * WASM backend; their gradients are averaged (weighted by slice size) and applied here, and the
 * updated weights are sent with the next batch — so every replica stays identical to this one.
 *
 * @example
 * const { model, history } = await trainModel({ train, validation, epochs: 15, workers: 2 });
 */
export async function trainModel(opts: TrainOptions): Promise<{ model: tf.LayersModel; history: EpochInfo[] }> {
  const {
    train,
    validation,
    modelOptions = {},
    epochs = 15,
    batchSize = 128,
    learningRate = 2e-3,
    warmupEpochs = 1,
    augment = { maxShift: 2, flipProbability: 0.5 },
    seed = 1,
    workers = 1,
    backend = tf.getBackend(),
  } = opts;
  const model = createModel({ ...modelOptions, seed });
  if (opts.initialWeights) model.setWeights(opts.initialWeights);
  const optimizer = tf.train.adam(learningRate);
  const photoShare = opts.photoShare ?? 0;
  if (opts.resume) await optimizer.setWeights(opts.resume.optimizerWeights);
  const setLr = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const pool = workers > 1 ? await GradientPool.start(workers - 1, { ...modelOptions, seed }, backend) : undefined;
  const fullSteps = Math.floor(train.count / batchSize);
  const stepsPerEpoch = Math.max(1, Math.min(opts.maxStepsPerEpoch ?? Infinity, fullSteps || 1));
  const totalSteps = stepsPerEpoch * epochs;
  const warmupSteps = Math.round(warmupEpochs * stepsPerEpoch);
  const history: EpochInfo[] = [];
  const firstEpoch = (opts.resume?.epochsDone ?? 0) + 1;
  let best = opts.resume?.best ?? -Infinity;
  let globalStep = (firstEpoch - 1) * stepsPerEpoch;
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      const t0 = performance.now();
      // One random stream per epoch, so a resumed run draws exactly what the uninterrupted one would.
      const rand = seededRandom((seed * 0x9e3779b1 + epoch) >>> 0);
      const order = shuffledIndices(train.count, rand);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      let lr = learningRate;
      for (let step = 0; step < stepsPerEpoch; step++, globalStep++) {
        lr = learningRateAt(globalStep, totalSteps, warmupSteps, learningRate);
        setLr(lr);
        const begin = step * batchSize;
        const n = Math.min(batchSize, train.count - begin);
        const parts = pool ? pool.size + 1 : 1;
        const per = Math.ceil(n / parts);
        // Slices 1.. go to workers with the current weights; slice 0 is computed here meanwhile.
        const weights = pool ? vars.map((v) => v.dataSync() as Float32Array) : [];
        const pending: Promise<FromWorker>[] = [];
        for (let p = 1; p < parts; p++) {
          const from = Math.min(n, p * per);
          const cnt = Math.min(n, from + per) - from;
          const x = new Float32Array(cnt * PIXELS);
          const y = new Uint8Array(cnt);
          fillBatch(train, order.subarray(begin + from, begin + from + cnt), x, y, augment, rand);
          // The worker renders its own photos: rendering costs ~10 ms a photo, so it is split too.
          pending.push(pool!.step(p - 1, weights.map((w) => w.slice()), x, y, cnt, planPhotos(x, cnt, photoShare, rand)));
        }
        const own = Math.min(n, per);
        const x0 = new Float32Array(own * PIXELS);
        const y0 = new Uint8Array(own);
        fillBatch(train, order.subarray(begin, begin + own), x0, y0, augment, rand);
        renderPlannedPhotos(x0, planPhotos(x0, own, photoShare, rand));
        const mine = batchGradients(model, x0, y0, own);
        const others = await Promise.all(pending);
        tf.tidy(() => {
          const named: { name: string; tensor: tf.Tensor }[] = [];
          vars.forEach((v, i) => {
            let g = tf.mul(mine.grads[i]!, mine.count / n);
            for (const o of others) {
              if (o.type !== 'grads') continue;
              g = tf.add(g, tf.mul(tf.tensor(o.grads[i]!, v.shape), o.count / n));
            }
            named.push({ name: v.name, tensor: g });
          });
          optimizer.applyGradients(named);
        });
        tf.dispose(mine.grads);
        let batchLoss = mine.loss * mine.count;
        let batchCorrect = mine.correct;
        for (const o of others) {
          if (o.type !== 'grads') continue;
          batchLoss += o.loss * o.count;
          batchCorrect += o.correct;
        }
        lossSum += batchLoss;
        correct += batchCorrect;
        seen += n;
        opts.onBatch?.({
          epoch,
          epochs,
          step: step + 1,
          steps: stepsPerEpoch,
          loss: lossSum / seen,
          accuracy: correct / seen,
          learningRate: lr,
          elapsedMs: performance.now() - t0,
        });
      }
      let valLoss: number | null = null;
      let valAccuracy: number | null = null;
      if (validation && validation.count > 0) {
        const v = lossAndAccuracy(predictProbabilities(model, validation), validation.labels);
        valLoss = v.loss;
        valAccuracy = v.accuracy;
      }
      const score = valAccuracy ?? -lossSum / seen;
      const improved = score > best;
      if (improved) best = score;
      const info: EpochInfo = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss,
        valAccuracy,
        learningRate: lr,
        seconds: (performance.now() - t0) / 1000,
        improved,
      };
      history.push(info);
      await opts.onEpoch?.(info, model, optimizer, best);
    }
  } finally {
    await pool?.close();
    optimizer.dispose();
  }
  return { model, history };
}

export { crossEntropy };
