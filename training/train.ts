/** CLI: `npm run train` — every stage from the IDX files to the shipped model and its model card, in one command. */
import { join } from 'node:path';
import { initTf } from 'vitrine/tf';
import { clock, numberFlag, parseFlags } from './cli.ts';
import { DEFAULT_DATA_DIR, IdxError } from './idx.ts';
import { ARCHITECTURES, type Architecture } from './model.ts';
import { foldStage, loadTrainingData, trainStage } from './pipeline.ts';

const flags = parseFlags('train', {
  architecture: { type: 'string', default: 'vitrine', help: 'vitrine (the shipped CNN), mlp (fully connected, for comparison) or reference (conv32-pool-conv64-pool-dense128)' },
  data: { type: 'string', default: DEFAULT_DATA_DIR, help: 'folder with the Fashion-MNIST IDX files (.gz or plain)' },
  out: { type: 'string', default: '', help: 'folder the serving model is saved to (default: apps/fashion-mnist/model for vitrine, .checkpoints/<architecture>/serving otherwise)' },
  card: { type: 'string', default: 'apps/fashion-mnist/model-card', help: 'model card folder (report, pictures, the architecture comparison)' },
  checkpoints: { type: 'string', default: '.checkpoints', help: 'folder for per-epoch checkpoints (one subfolder per architecture)' },
  resume: { type: 'boolean', default: false, help: 'continue an interrupted run from its last checkpoint (same flags)' },
  'init-from': { type: 'string', default: '', help: 'start from the weights of a saved model (e.g. the shipped one, to fine-tune) instead of a fresh initialisation' },
  epochs: { type: 'string', default: '16', help: 'passes over the training set' },
  'batch-size': { type: 'string', default: '128', help: 'images per optimisation step (split across workers)' },
  lr: { type: 'string', default: '0.002', help: 'peak Adam learning rate (linear warm-up, then cosine decay)' },
  'warmup-epochs': { type: 'string', default: '1', help: 'epochs of linear learning-rate warm-up' },
  'photo-share': { type: 'string', default: '0.5', help: 'share of each batch rendered as casual photos and preprocessed like the app (domain randomisation)' },
  seed: { type: 'string', default: '1', help: 'seed for initialisation, shuffling, augmentation, photos and the validation split' },
  'validation-split': { type: 'string', default: '0.05', help: 'fraction of the training set held out to pick the best epoch' },
  workers: { type: 'string', default: '2', help: 'threads computing gradients and rendering photos in parallel (1 = this thread only)' },
  backend: { type: 'string', default: 'wasm', help: 'TF.js backend: auto, tensorflow, wasm or cpu' },
  width: { type: 'string', default: '24', help: 'channels of the first conv block (later blocks double it)' },
  'dense-units': { type: 'string', default: '256', help: 'units of the hidden dense layer (the MLP: first layer; the second has half)' },
  dropout: { type: 'string', default: '0.3', help: 'dropout rate before the classifier' },
  'max-shift': { type: 'string', default: '2', help: 'augmentation of clean images: random shift in pixels (0 = off)' },
  flip: { type: 'string', default: '0.5', help: 'augmentation: probability of a horizontal flip' },
  limit: { type: 'string', default: '0', help: 'use only the first N training images (0 = all; for quick runs)' },
  'max-steps': { type: 'string', default: '0', help: 'stop each epoch after N steps (0 = full epochs; for quick runs)' },
  'interpolate-with': { type: 'string', default: '', help: 'a serving model of the same layout (e.g. the one --init-from started from) to interpolate the weights with (WiSE-FT)' },
  alpha: { type: 'string', default: '1', help: 'with --interpolate-with: share of the trained weights (1 = trained model as is)' },
  'casual-count': { type: 'string', default: '1000', help: 'casual photos (held-out benchmark seed) in the evaluation' },
  'skip-eval': { type: 'boolean', default: false, help: 'stop after saving the serving model' },
});

const architecture = flags.architecture as Architecture;
if (!ARCHITECTURES.includes(architecture)) {
  console.error(`--architecture must be one of ${ARCHITECTURES.join(', ')}; got "${architecture}"`);
  process.exit(2);
}
const seed = numberFlag('seed', flags.seed, { integer: true });
const epochs = numberFlag('epochs', flags.epochs, { min: 1, integer: true });
const batchSize = numberFlag('batch-size', flags['batch-size'], { min: 1, integer: true });
const maxSteps = numberFlag('max-steps', flags['max-steps'], { min: 0, integer: true });
const modelOptions = {
  architecture,
  width: numberFlag('width', flags.width, { min: 1, integer: true }),
  denseUnits: numberFlag('dense-units', flags['dense-units'], { min: 2, integer: true }),
  dropout: numberFlag('dropout', flags.dropout, { min: 0 }),
};
const out = String(flags.out || (architecture === 'vitrine' ? 'apps/fashion-mnist/model' : join(String(flags.checkpoints), architecture, 'serving')));
const log = (message: string) => console.log(message);
const started = Date.now();
const stageTimes: Record<string, number> = {};
async function stage<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await run();
  stageTimes[name] = (Date.now() - t0) / 1000;
  log(`— ${name}: ${clock(stageTimes[name])}`);
  return result;
}

try {
  const { backend } = await initTf({ backend: flags.backend as 'wasm', log });
  const data = await stage('data (read, split, render validation photos)', () =>
    loadTrainingData({ dataDir: String(flags.data), limit: numberFlag('limit', flags.limit, { min: 0, integer: true }), validationSplit: numberFlag('validation-split', flags['validation-split'], { min: 0 }), seed }),
  );
  const workers = numberFlag('workers', flags.workers, { min: 1, integer: true });
  const photoShare = numberFlag('photo-share', flags['photo-share'], { min: 0 });
  const settings = { architecture, modelOptions, epochs, batchSize, seed, workers, backend, photoShare, initFrom: flags['init-from'] || null, interpolateWith: flags['interpolate-with'] || null, alpha: Number(flags.alpha), trainCount: data.train.count, validationCount: data.validation.count };
  log(`Training ${architecture} on ${data.train.count} images (${Math.round(photoShare * 100)} % of each batch as casual photos), validating on ${data.cleanValidation} clean + ${data.validation.count - data.cleanValidation} photos; ${epochs} epochs, batch ${batchSize}, ${workers} thread(s) on ${backend}`);
  const trained = await stage('training', () =>
    trainStage({
      data,
      epochs,
      batchSize,
      modelOptions,
      learningRate: numberFlag('lr', flags.lr, { min: 0 }),
      warmupEpochs: numberFlag('warmup-epochs', flags['warmup-epochs'], { min: 0 }),
      augment: { maxShift: numberFlag('max-shift', flags['max-shift'], { min: 0, integer: true }), flipProbability: numberFlag('flip', flags.flip, { min: 0 }) },
      photoShare,
      seed,
      workers,
      backend,
      ...(maxSteps > 0 ? { maxStepsPerEpoch: maxSteps } : {}),
      checkpointDir: join(String(flags.checkpoints), architecture),
      resume: Boolean(flags.resume),
      ...(flags['init-from'] ? { initFrom: String(flags['init-from']) } : {}),
      settings,
      log,
    }),
  );
  const interpolate = flags['interpolate-with'] ? { dir: String(flags['interpolate-with']), alpha: numberFlag('alpha', flags.alpha, { min: 0 }) } : undefined;
  await stage('batch-norm folding + mirror averaging', () => foldStage(trained.bestDir, out, interpolate));
  // The app serves model.onnx: convert the model just saved and check it against TF.js on the test set.
  const exported = await stage('ONNX export + check', async () =>
    (await import('./export-onnx-lib.ts')).exportAndReport({ modelDir: out, ...(flags['skip-eval'] ? {} : { dataDir: String(flags.data) }), log }),
  );
  if (!exported) process.exitCode = 1;
  if (!flags['skip-eval']) {
    const { evaluationStage } = await import('./evaluate-lib.ts');
    await stage('evaluation + model card', () =>
      evaluationStage({ modelDir: out, dataDir: String(flags.data), cardDir: String(flags.card), architecture, history: trained.history, settings, trainingSeconds: trained.wallSeconds, casualCount: numberFlag('casual-count', flags['casual-count'], { min: 0, integer: true }), log }),
    );
  }
  const wall = (Date.now() - started) / 1000;
  log(`Done in ${clock(wall)} (${wall.toFixed(0)} s wall): ${Object.entries(stageTimes).map(([k, v]) => `${k} ${clock(v)}`).join(', ')}; serving model in ${out}`);
} catch (err) {
  if (err instanceof IdxError) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
