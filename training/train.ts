/** CLI: trains the Fashion-MNIST CNN on the WASM backend and saves the best epoch as a TF.js layers model. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';
import { clock, numberFlag, parseFlags, progressBar } from './cli.ts';
import { splitValidation } from './data.ts';
import { foldBatchNorm } from './fold.ts';
import { DEFAULT_DATA_DIR, IdxError, readIdxSplit } from './idx.ts';
import { CLASS_NAMES } from './model.ts';
import type { Architecture } from './model.ts';
import { trainModel } from './trainer.ts';
import type { EpochInfo } from './trainer.ts';

const flags = parseFlags('train', {
  data: { type: 'string', default: DEFAULT_DATA_DIR, help: 'folder with the Fashion-MNIST IDX files (.gz or plain)' },
  out: { type: 'string', default: 'apps/fashion-mnist/model', help: 'folder the best model is saved to (model.json, weights.bin, labels.json)' },
  card: { type: 'string', default: 'apps/fashion-mnist/model-card', help: 'folder for the training history and evaluation report' },
  epochs: { type: 'string', default: '8', help: 'passes over the training set' },
  'batch-size': { type: 'string', default: '128', help: 'images per optimisation step (split across workers)' },
  lr: { type: 'string', default: '0.002', help: 'peak Adam learning rate (linear warm-up, then cosine decay)' },
  'warmup-epochs': { type: 'string', default: '1', help: 'epochs of linear learning-rate warm-up' },
  seed: { type: 'string', default: '1', help: 'seed for initialisation, shuffling, augmentation and the validation split' },
  'validation-split': { type: 'string', default: '0.05', help: 'fraction of the training set held out to pick the best epoch' },
  workers: { type: 'string', default: '2', help: 'threads computing gradients in parallel (data-parallel; 1 = this thread only)' },
  backend: { type: 'string', default: 'wasm', help: 'TF.js backend: auto, tensorflow, wasm or cpu' },
  architecture: { type: 'string', default: 'vitrine', help: 'vitrine (shipped) or reference (conv32-pool-conv64-pool-dense128)' },
  width: { type: 'string', default: '24', help: 'channels of the first conv block (later blocks double it)' },
  'dense-units': { type: 'string', default: '256', help: 'units of the hidden dense layer' },
  dropout: { type: 'string', default: '0.3', help: 'dropout rate before the classifier' },
  'max-shift': { type: 'string', default: '2', help: 'augmentation: random shift in pixels (0 = off)' },
  flip: { type: 'string', default: '0.5', help: 'augmentation: probability of a horizontal flip' },
  limit: { type: 'string', default: '0', help: 'use only the first N training images (0 = all; for quick runs)' },
  'max-steps': { type: 'string', default: '0', help: 'stop each epoch after N steps (0 = full epochs; for quick runs)' },
  resume: { type: 'string', default: '', help: 'start from the weights of a saved model with batch norm kept (e.g. a --keep-batch-norm run) instead of a fresh one' },
  'keep-batch-norm': { type: 'boolean', default: false, help: 'save batch norm as separate layers instead of folding it into the convolutions' },
  'skip-eval': { type: 'boolean', default: false, help: 'do not evaluate on the test set at the end' },
});

const epochs = numberFlag('epochs', flags.epochs, { min: 1, integer: true });
const batchSize = numberFlag('batch-size', flags['batch-size'], { min: 1, integer: true });
const seed = numberFlag('seed', flags.seed, { integer: true });
const valSplit = numberFlag('validation-split', flags['validation-split'], { min: 0 });
const workers = numberFlag('workers', flags.workers, { min: 1, integer: true });
const limit = numberFlag('limit', flags.limit, { min: 0, integer: true });
const maxSteps = numberFlag('max-steps', flags['max-steps'], { min: 0, integer: true });
const architecture = flags.architecture as Architecture;
if (architecture !== 'vitrine' && architecture !== 'reference') {
  console.error(`--architecture must be vitrine or reference; got "${architecture}"`);
  process.exit(2);
}
const modelOptions = {
  architecture,
  width: numberFlag('width', flags.width, { min: 1, integer: true }),
  denseUnits: numberFlag('dense-units', flags['dense-units'], { min: 1, integer: true }),
  dropout: numberFlag('dropout', flags.dropout, { min: 0 }),
};

const started = Date.now();
const { backend } = await initTf({ backend: flags.backend as 'wasm', log: (m) => console.log(m) });

let trainSplit;
try {
  trainSplit = await readIdxSplit(String(flags.data), 'train');
} catch (err) {
  if (err instanceof IdxError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
if (limit > 0 && limit < trainSplit.count) {
  trainSplit = { ...trainSplit, count: limit, images: trainSplit.images.subarray(0, limit * 784), labels: trainSplit.labels.subarray(0, limit) };
}
const { train, validation } = splitValidation(trainSplit, valSplit, seed);
console.log(
  `Training ${architecture} (width ${modelOptions.width}) on ${train.count} images, validating on ${validation.count}; ` +
    `${epochs} epochs, batch ${batchSize}, ${workers} thread${workers > 1 ? 's' : ''} on ${backend}`,
);

const out = String(flags.out);
const card = String(flags.card);
await mkdir(card, { recursive: true });
const history: EpochInfo[] = [];
const bar = progressBar();
let initialWeights;
// A resumed run continues the history in the card folder, so the curves show the whole training.
let earlier: { runs: unknown[]; history: EpochInfo[]; wallSeconds: number } = { runs: [], history: [], wallSeconds: 0 };
if (flags.resume) {
  const previous = await loadLayersModelFromDir(String(flags.resume));
  initialWeights = previous.getWeights();
  console.log(`Starting from the weights in ${String(flags.resume)}`);
  const historyPath = join(card, 'history.json');
  if (existsSync(historyPath)) {
    const h = JSON.parse(await readFile(historyPath, 'utf8')) as { run?: unknown; runs?: unknown[]; history?: EpochInfo[]; wallSeconds?: number };
    earlier = { runs: h.runs ?? (h.run ? [h.run] : []), history: h.history ?? [], wallSeconds: h.wallSeconds ?? 0 };
    console.log(`Continuing the history in ${historyPath} (${earlier.history.length} earlier epochs)`);
  }
}
const epochOffset = earlier.history.length;
const { model } = await trainModel({
  train,
  validation,
  modelOptions,
  epochs,
  batchSize,
  learningRate: numberFlag('lr', flags.lr, { min: 0 }),
  warmupEpochs: numberFlag('warmup-epochs', flags['warmup-epochs'], { min: 0 }),
  augment: { maxShift: numberFlag('max-shift', flags['max-shift'], { min: 0, integer: true }), flipProbability: numberFlag('flip', flags.flip, { min: 0 }) },
  seed,
  workers,
  backend,
  ...(maxSteps > 0 ? { maxStepsPerEpoch: maxSteps } : {}),
  ...(initialWeights ? { initialWeights } : {}),
  onBatch: (b) => {
    const perStep = b.elapsedMs / b.step;
    bar.update(
      b.step,
      b.steps,
      `epoch ${b.epoch}/${b.epochs}`,
      `loss ${b.loss.toFixed(4)} acc ${b.accuracy.toFixed(4)} lr ${b.learningRate.toExponential(2)} ` +
        `${(perStep / batchSize).toFixed(2)} ms/sample eta ${clock(((b.steps - b.step) * perStep) / 1000)}`,
    );
  },
  onEpoch: async (e, m) => {
    bar.done();
    history.push({ ...e, epoch: e.epoch + epochOffset });
    const val = e.valAccuracy === null ? '' : ` val_loss ${e.valLoss!.toFixed(4)} val_acc ${e.valAccuracy.toFixed(4)}`;
    console.log(
      `epoch ${e.epoch}/${epochs}: loss ${e.loss.toFixed(4)} acc ${e.accuracy.toFixed(4)}${val} ` +
        `lr ${e.learningRate.toExponential(2)} ${e.seconds.toFixed(1)} s (total ${clock((Date.now() - started) / 1000)})` +
        (e.improved ? ` → saved to ${out}` : ''),
    );
    // Checkpoint the best epoch so far: a stopped run still leaves a usable model.
    if (e.improved) {
      if (flags['keep-batch-norm']) {
        await saveLayersModelToDir(m, out);
      } else {
        // Inference-only copy: batch norm folded into the convolutions (same outputs, fewer kernels).
        const folded = foldBatchNorm(m);
        await saveLayersModelToDir(folded, out);
        folded.dispose();
      }
      await writeFile(join(out, 'labels.json'), `${JSON.stringify(CLASS_NAMES, null, 2)}\n`);
    }
    const run = { architecture, modelOptions, epochs, batchSize, seed, workers, backend, validationSplit: valSplit, trainCount: train.count, validationCount: validation.count };
    const all = { runs: [...earlier.runs, run], history: [...earlier.history, ...history], wallSeconds: earlier.wallSeconds + (Date.now() - started) / 1000 };
    await writeFile(join(card, 'history.json'), `${JSON.stringify(all, null, 2)}\n`);
  },
});
model.dispose();
const wallSeconds = (Date.now() - started) / 1000;
console.log(`Training done in ${clock(wallSeconds)} (${wallSeconds.toFixed(0)} s); best model in ${out}`);

if (!flags['skip-eval']) {
  // The report code is only needed here, at the very end.
  const { evaluateModelDir } = await import('./evaluate-lib.ts');
  await evaluateModelDir({ modelDir: out, dataDir: String(flags.data), cardDir: card, log: (m) => console.log(m) });
}

// ── ONNX export (issue 14): the app serves model.onnx; convert the model just saved and check it against TF.js. ──
if (!(await (await import('./export-onnx-lib.ts')).exportAndReport({ modelDir: out, ...(flags['skip-eval'] ? {} : { dataDir: String(flags.data) }), log: (m) => console.log(m) }))) process.exitCode = 1;
