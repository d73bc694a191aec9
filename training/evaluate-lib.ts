/** Evaluates a saved model on the official test set and writes the model card (JSON + SVG pictures). */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromDir, WEIGHTS_BIN } from '../framework/tf/model-io.ts';
import { readIdxSplit } from './idx.ts';
import { computeMetrics } from './metrics.ts';
import type { Metrics } from './metrics.ts';
import { CLASS_NAMES } from './model.ts';
import { confusionMatrixSvg, trainingCurvesSvg } from './svg.ts';
import type { CurvePoint } from './svg.ts';
import { predictProbabilities } from './trainer.ts';
import { MIRROR_LAYER } from './tta.ts';
import { adaptiveMirror } from '../apps/fashion-mnist/mirror-tfjs.ts';
import { preprocessForFashionMnist } from '../apps/fashion-mnist/preprocess.ts';
import { decodeImage } from '../framework/image/index.ts';
import { APP_DECODE, CASUAL_BENCH_SEED, casualAccuracy, casualPhotoSet, type CasualAccuracy } from './casual-set.ts';
import type { IdxSplit } from './idx.ts';
import { refreshModelCard, updateArchitecture } from './model-card.ts';

/** Options of {@link evaluateModelDir}. */
export interface EvaluateOptions {
  modelDir: string;
  dataDir: string;
  /** Where report.json, confusion-matrix.svg and training-curves.svg go (history.json is read from here). */
  cardDir: string;
  log?: (msg: string) => void;
  /** Casual photos to score (0 = skip). */
  casualCount?: number;
}

/** The content of report.json. */
export interface Report {
  dataset: string;
  split: string;
  model: {
    dir: string;
    parameters: number;
    weightBytes: number;
    inputShape: (number | null)[];
    classes: readonly string[];
    /** True when the model averages its answers for the image and its mirror image (training/tta.ts). */
    mirrorAveraged: boolean;
  };
  backend: string;
  evaluatedAt: string;
  evaluationSeconds: number;
  test: Metrics;
  /** Accuracy on the casual-photo set (held-out benchmark seed), through the app's decoding and preprocessing. */
  casual?: CasualAccuracy;
  /** Median milliseconds to classify one picture (batch of 1, as served: mirror pass when unsure). */
  msPerImage?: number;
  training?: unknown;
}

/**
 * Loads the model in `modelDir`, scores it on the t10k split and writes report.json,
 * confusion-matrix.svg and (when history.json exists) training-curves.svg into `cardDir`.
 *
 * @example
 * const report = await evaluateModelDir({ modelDir: 'apps/fashion-mnist/model', dataDir, cardDir: 'apps/fashion-mnist/model-card' });
 * report.test.accuracy; // 0.94…
 */
export async function evaluateModelDir(opts: EvaluateOptions): Promise<Report> {
  const { modelDir, dataDir, cardDir, log = () => {}, casualCount = 1000 } = opts;
  const t0 = performance.now();
  const model = await loadLayersModelFromDir(modelDir);
  const test = await readIdxSplit(dataDir, 't10k');
  const probs = predictProbabilities(model, test);
  const metrics = computeMetrics(probs, test.labels, CLASS_NAMES);
  const casual = casualCount > 0 ? await casualAccuracyOf(model, test, casualCount) : undefined;
  const msPerImage = latencyOf(model, test);
  const evaluationSeconds = (performance.now() - t0) / 1000;
  await mkdir(cardDir, { recursive: true });
  const historyPath = join(cardDir, 'history.json');
  let training: { history?: CurvePoint[] } | undefined;
  if (existsSync(historyPath)) training = JSON.parse(await readFile(historyPath, 'utf8')) as { history?: CurvePoint[] };
  const report: Report = {
    dataset: 'Fashion-MNIST',
    split: 't10k (official test set, 10,000 images)',
    model: {
      dir: modelDir,
      parameters: model.countParams(),
      weightBytes: (await stat(join(modelDir, WEIGHTS_BIN))).size,
      inputShape: model.inputs[0]!.shape,
      classes: CLASS_NAMES,
      mirrorAveraged: model.layers.some((l) => l.name === MIRROR_LAYER),
    },
    backend: tf.getBackend(),
    evaluatedAt: new Date().toISOString(),
    evaluationSeconds,
    test: metrics,
    ...(casual ? { casual } : {}),
    msPerImage,
    ...(training ? { training } : {}),
  };
  model.dispose();
  await writeFile(join(cardDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(cardDir, 'confusion-matrix.svg'), confusionMatrixSvg(metrics.confusion, CLASS_NAMES));
  if (training?.history?.length) {
    await writeFile(join(cardDir, 'training-curves.svg'), trainingCurvesSvg(training.history, metrics.accuracy));
  }
  await refreshModelCard(cardDir);
  log(`Test accuracy ${(metrics.accuracy * 100).toFixed(2)}% on ${metrics.count} images; ECE ${metrics.expectedCalibrationError.toFixed(4)}; log loss ${metrics.logLoss.toFixed(4)}`);
  if (casual) log(`Casual photos ${(casual.accuracy * 100).toFixed(2)}% on ${casual.count} (seed ${CASUAL_BENCH_SEED}); ${msPerImage.toFixed(2)} ms per image`);
  for (const c of metrics.perClass) log(`  ${c.label.padEnd(12)} accuracy ${(c.accuracy * 100).toFixed(1)}%  precision ${(c.precision * 100).toFixed(1)}%`);
  log(`Report written to ${cardDir}`);
  return report;
}

/**
 * Accuracy on the casual-photo set, the way the app sees the photos: decoded like its Image input,
 * preprocessed, classified as served.
 *
 * @example
 * const casual = await casualAccuracyOf(model, test, 1000);
 */
export async function casualAccuracyOf(model: tf.LayersModel, test: IdxSplit, count: number): Promise<CasualAccuracy> {
  const photos = await casualPhotoSet(test, count, CASUAL_BENCH_SEED);
  const input = new Float32Array(photos.length * 784);
  for (const [k, p] of photos.entries()) {
    input.set(preprocessForFashionMnist(await decodeImage(p.bytes, { field: 'image', ...APP_DECODE })), k * 784);
  }
  const predict = adaptiveMirror(tf, model);
  const predicted = new Uint8Array(photos.length);
  for (let start = 0; start < photos.length; start += 100) {
    const n = Math.min(100, photos.length - start);
    const probs = await predict(input.subarray(start * 784, (start + n) * 784), n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (probs[i * 10 + c]! > probs[i * 10 + best]!) best = c;
      predicted[start + i] = best;
    }
  }
  return casualAccuracy(photos, predicted);
}

/** Median ms to classify one test image at a time (200 images after a warm-up), as served. */
function latencyOf(model: tf.LayersModel, test: IdxSplit): number {
  const predict = adaptiveMirror(tf, model);
  const times: number[] = [];
  for (let i = 0; i < 220; i++) {
    const x = Float32Array.from(test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
    const t0 = performance.now();
    predict(x, 1);
    if (i >= 20) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Options of {@link evaluationStage}. */
export interface EvaluationStageOptions {
  modelDir: string;
  dataDir: string;
  cardDir: string;
  architecture: string;
  history: unknown[];
  settings: Record<string, unknown>;
  trainingSeconds: number;
  casualCount: number;
  log: (msg: string) => void;
}

/**
 * The last stage of `npm run train`: scores the serving model (test set, casual photos, latency).
 * The shipped CNN's run rewrites the model card (report, curves, confusion matrix); any
 * architecture's run updates its row of the card's architecture comparison.
 *
 * @example
 * await evaluationStage({ modelDir: 'apps/fashion-mnist/model', dataDir, cardDir, architecture: 'vitrine', history, settings, trainingSeconds, casualCount: 1000, log });
 */
export async function evaluationStage(o: EvaluationStageOptions): Promise<Report> {
  const shipped = o.architecture === 'vitrine';
  const ownCard = shipped ? o.cardDir : join(o.modelDir, '..', 'card');
  await mkdir(ownCard, { recursive: true });
  const history = { runs: [o.settings], history: o.history, wallSeconds: o.trainingSeconds };
  await writeFile(join(ownCard, 'history.json'), `${JSON.stringify(history, null, 2)}\n`);
  const report = await evaluateModelDir({ modelDir: o.modelDir, dataDir: o.dataDir, cardDir: ownCard, log: o.log, casualCount: o.casualCount });
  await updateArchitecture(o.cardDir, o.architecture, {
    parameters: report.model.parameters,
    testAccuracy: report.test.accuracy,
    casualAccuracy: report.casual?.accuracy ?? null,
    msPerImage: report.msPerImage ?? null,
    epochs: o.history.length,
    trainingMinutes: o.trainingSeconds / 60,
  });
  await refreshModelCard(o.cardDir);
  return report;
}
