/** The stages of `npm run train`: data, training with per-epoch checkpoints, folding for serving. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';
import { clock, progressBar } from './cli.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { fillBatch, seededRandom, shuffledIndices, splitValidation, type Examples } from './data.ts';
import { foldBatchNorm } from './fold.ts';
import { readIdxSplit } from './idx.ts';
import { CLASS_NAMES, createModel, type ModelOptions } from './model.ts';
import { planPhotos, renderPlannedPhotos } from './photo-batch.ts';
import { trainModel, type EpochInfo, type TrainOptions } from './trainer.ts';
import { withMirrorAveraging } from './tta.ts';
import { unfoldInto } from './unfold.ts';

const PIXELS = 784;

/** The training and validation sets: validation = the held-out clean images + photos of some of them. */
export interface TrainingData {
  train: Examples;
  validation: Examples;
  cleanValidation: number;
}

/**
 * Reads the training split, keeps `limit` images (0 = all), holds out `validationSplit`, and adds
 * photos of up to 1,500 held-out garments (preprocessed like the app) to the validation set, so
 * the best epoch is picked on both kinds of picture.
 *
 * @example
 * const data = await loadTrainingData({ dataDir, limit: 0, validationSplit: 0.05, seed: 1 });
 */
export async function loadTrainingData(o: { dataDir: string; limit: number; validationSplit: number; seed: number }): Promise<TrainingData> {
  let split = await readIdxSplit(o.dataDir, 'train');
  if (o.limit > 0 && o.limit < split.count) {
    split = { ...split, count: o.limit, images: split.images.subarray(0, o.limit * PIXELS), labels: split.labels.subarray(0, o.limit) };
  }
  const { train, validation } = splitValidation(split, o.validationSplit, o.seed);
  const photos = Math.min(1500, validation.count);
  const rand = seededRandom((o.seed ^ 0x7a11d) >>> 0);
  const idx = shuffledIndices(validation.count, rand).subarray(0, photos);
  const x = new Float32Array(photos * PIXELS);
  const y = new Uint8Array(photos);
  fillBatch(validation, idx, x, y);
  renderPlannedPhotos(x, planPhotos(x, photos, 1, rand));
  const images = new Uint8Array(validation.images.length + x.length);
  images.set(validation.images);
  for (let i = 0; i < x.length; i++) images[validation.images.length + i] = Math.round(x[i]! * 255);
  const labels = new Uint8Array(validation.count + photos);
  labels.set(validation.labels);
  labels.set(y, validation.count);
  return { train, validation: { images, labels, count: validation.count + photos }, cleanValidation: validation.count };
}

/** Options of {@link trainStage}. */
export interface TrainStageOptions extends Omit<TrainOptions, 'train' | 'validation' | 'onBatch' | 'onEpoch' | 'resume' | 'initialWeights'> {
  data: TrainingData;
  epochs: number;
  batchSize: number;
  modelOptions: ModelOptions;
  /** Where checkpoints go (`latest/` each epoch, `best/` when validation improves). */
  checkpointDir: string;
  /** Continue from `checkpointDir/latest`. */
  resume: boolean;
  /** Start from a shipped model's weights (fine-tuning) instead of a fresh initialisation. */
  initFrom?: string;
  /** Settings recorded in the history (a resumed run keeps the first session's). */
  settings: Record<string, unknown>;
  log: (message: string) => void;
}

/**
 * Trains with a progress bar and ETA, checkpointing every epoch; returns the history, the folder
 * of the best epoch's model (batch norm kept) and the wall seconds spent training.
 *
 * @example
 * const { bestDir } = await trainStage({ data, epochs: 16, batchSize: 128, modelOptions, checkpointDir: '.checkpoints/vitrine', resume: false, settings, log: console.log });
 */
export async function trainStage(o: TrainStageOptions): Promise<{ history: EpochInfo[]; bestDir: string; wallSeconds: number }> {
  const latestDir = join(o.checkpointDir, 'latest');
  const bestDir = join(o.checkpointDir, 'best');
  const started = Date.now();
  let history: EpochInfo[] = [];
  let earlierSeconds = 0;
  let initialWeights: tf.Tensor[] | undefined;
  let resume: TrainOptions['resume'];
  if (o.resume) {
    const cp = await loadCheckpoint(latestDir);
    if (!cp) throw new Error(`--resume: no checkpoint in ${latestDir}; start without --resume`);
    initialWeights = cp.model.getWeights();
    resume = { epochsDone: cp.state.epoch, optimizerWeights: cp.optimizerWeights, best: cp.state.best };
    history = cp.state.history as EpochInfo[];
    earlierSeconds = cp.state.wallSeconds;
    o.log(`Resuming after epoch ${cp.state.epoch} of ${o.epochs} from ${latestDir}`);
  } else if (o.initFrom) {
    const shipped = await loadLayersModelFromDir(o.initFrom);
    const target = createModel({ ...o.modelOptions, seed: o.seed ?? 1 });
    const n = Math.min(512, o.data.train.count);
    const x = new Float32Array(n * PIXELS);
    fillBatch(o.data.train, Array.from({ length: n }, (_, i) => i), x, new Uint8Array(n));
    const calibration = tf.tensor4d(x, [n, 28, 28, 1]);
    unfoldInto(shipped, target, calibration);
    calibration.dispose();
    initialWeights = target.getWeights();
    o.log(`Starting from the weights of ${o.initFrom} (batch norm re-inserted, calibrated on ${n} images)`);
  }
  const bar = progressBar();
  const { data, checkpointDir: _dir, resume: _resume, initFrom: _init, settings: _settings, log: _log, ...training } = o;
  const { model } = await trainModel({
    ...training,
    train: data.train,
    validation: data.validation,
    ...(initialWeights ? { initialWeights } : {}),
    ...(resume ? { resume } : {}),
    onBatch: (b) => {
      const perStep = b.elapsedMs / b.step;
      const left = (b.steps - b.step) * perStep + (b.epochs - b.epoch) * b.steps * perStep;
      bar.update(b.step, b.steps, `epoch ${b.epoch}/${b.epochs}`, `loss ${b.loss.toFixed(4)} acc ${b.accuracy.toFixed(4)} lr ${b.learningRate.toExponential(2)} ${(perStep / o.batchSize).toFixed(2)} ms/sample, eta ${clock(left / 1000)}`);
    },
    onEpoch: async (e, m, optimizer, best) => {
      bar.done();
      history.push(e);
      const val = e.valAccuracy === null ? '' : ` val_acc ${e.valAccuracy.toFixed(4)} (clean + photos)`;
      const wallSeconds = earlierSeconds + (Date.now() - started) / 1000;
      o.log(`epoch ${e.epoch}/${o.epochs}: loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(4)}${val} ${e.seconds.toFixed(0)} s (total ${clock(wallSeconds)})${e.improved ? ' → best so far' : ''}`);
      if (e.improved) await saveLayersModelToDir(m, bestDir);
      await saveCheckpoint(latestDir, m, optimizer, { epoch: e.epoch, best, settings: o.settings, history, wallSeconds });
    },
  });
  model.dispose();
  return { history, bestDir, wallSeconds: earlierSeconds + (Date.now() - started) / 1000 };
}

/** Weight interpolation with another serving model of the same layout (WiSE-FT, Wortsman et al. 2022). */
export interface Interpolation {
  /** The other model's folder (e.g. the model a fine-tuning started from). */
  dir: string;
  /** Share of the trained weights (1 = the trained model as is). */
  alpha: number;
}

/**
 * The serving model: batch norm folded into the layers before it, and the answer averaged with
 * the mirror image's (training/tta.ts: 94.13 % against 93.56 % for one pass); labels.json beside.
 * With `interpolate`, the weights become α · trained + (1 − α) · the other model's: a fine-tuned
 * model interpolated with the one it started from keeps most of its gain on the new kind of
 * picture and most of the old one's accuracy on the old kind (measured in the model card).
 *
 * @example
 * await foldStage('.checkpoints/vitrine/best', 'apps/fashion-mnist/model');
 */
export async function foldStage(bestDir: string, outDir: string, interpolate?: Interpolation): Promise<void> {
  const best = await loadLayersModelFromDir(bestDir);
  const served = withMirrorAveraging(foldBatchNorm(best));
  if (interpolate && interpolate.alpha < 1) {
    const other = await loadLayersModelFromDir(interpolate.dir);
    const mine = served.getWeights();
    const theirs = other.getWeights();
    if (mine.length !== theirs.length || mine.some((w, i) => w.shape.join() !== theirs[i]!.shape.join())) {
      throw new Error(`--interpolate-with ${interpolate.dir}: not the same serving layout as the trained model`);
    }
    const a = interpolate.alpha;
    served.setWeights(mine.map((w, i) => tf.tidy(() => tf.add(tf.mul(w, a), tf.mul(theirs[i]!, 1 - a)))));
    other.dispose();
  }
  await mkdir(outDir, { recursive: true });
  await saveLayersModelToDir(served, outDir);
  await writeFile(join(outDir, 'labels.json'), `${JSON.stringify(CLASS_NAMES, null, 2)}\n`);
  best.dispose();
}
