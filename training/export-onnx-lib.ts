/** Exports the trained Fashion-MNIST model to ONNX and checks it against TF.js on every official test image. */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadOnnxModel } from '../framework/onnx/index.ts';
import { initTf } from '../framework/tf/backend.ts';
import { loadLayersModelFromDir } from '../framework/tf/model-io.ts';
import { MIRROR_AVERAGE_METADATA, mirrorImages } from '../apps/fashion-mnist/mirror.ts';
import { hashTfjsFiles, MODEL_FILES, SOURCE_HASH_METADATA } from '../apps/fashion-mnist/model-files.ts';
import { IMAGE_SIZE, NUM_CLASSES, readIdxSplit } from './idx.ts';
import { encodeOnnxModel } from './onnx-writer.ts';
import { layersModelToOnnx } from './tfjs-to-onnx.ts';

/** Largest probability difference between TF.js and ONNX Runtime that passes (float32 sums in another order). */
export const DEFAULT_TOLERANCE = 1e-4;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
const BATCH = 500;

/** Options of {@link exportOnnx}. */
export interface ExportOptions {
  /** Folder with model.json, weights.bin and labels.json; model.onnx is written there unless `out` says otherwise. */
  modelDir: string;
  out?: string;
  /** Folder with the Fashion-MNIST IDX files, for the check; no check without it. */
  dataDir?: string;
  tolerance?: number;
  log?: (message: string) => void;
}

/** How TF.js and ONNX Runtime compare on the test set, for one way of serving. */
export interface Agreement {
  images: number;
  sameTop1: number;
  maxProbDiff: number;
  /** Top-1 accuracy against the labels: TF.js, ONNX Runtime. */
  accuracy: [tfjs: number, onnx: number];
}

/** What {@link exportOnnx} did. */
export interface ExportReport {
  path: string;
  bytes: number;
  mirrorAveraged: boolean;
  /** The CNN alone, and (for a mirror-averaged model) the average of the picture and its mirror image. */
  check?: { single: Agreement; averaged?: Agreement; onnxMsPerImage: number; tolerance: number; passed: boolean };
}

/**
 * Converts the TF.js model in `modelDir` (batch norm already folded by the training pipeline) to
 * ONNX. A mirror-averaged model (training/tta.ts) is exported as its inner CNN with the metadata
 * `vitrine.mirror_average`, so the app keeps its adaptive mirror pass (apps/fashion-mnist/mirror.ts).
 * With `dataDir`, every test image then goes through both runtimes: `passed` is true when the
 * top-1 class agrees on all of them and no probability differs by more than `tolerance`.
 *
 * @example
 * const report = await exportOnnx({ modelDir: 'apps/fashion-mnist/model', dataDir: DEFAULT_DATA_DIR, log: console.log });
 * if (!report.check?.passed) process.exitCode = 1;
 */
export async function exportOnnx(opts: ExportOptions): Promise<ExportReport> {
  const log = opts.log ?? (() => {});
  const { tf } = await initTf({ log });
  const model = await loadLayersModelFromDir(opts.modelDir);
  const inner = model.layers.find((l) => l.getClassName() === 'Sequential') as LayersModel | undefined;
  const mirrorAveraged = model.getClassName() !== 'Sequential' && inner !== undefined && model.layers.some((l) => l.getClassName() === 'Average');
  if (model.getClassName() !== 'Sequential' && !mirrorAveraged) {
    throw new Error(`${opts.modelDir} holds a ${model.getClassName()} that is neither Sequential nor mirror-averaged (training/tta.ts)`);
  }
  const cnn = mirrorAveraged ? inner! : model;
  const labels = await readFile(join(opts.modelDir, MODEL_FILES.labels), 'utf8').catch(() => undefined);
  const metadata: Record<string, string> = {
    'vitrine.source': 'TF.js layers model (model.json), converted by training/tfjs-to-onnx.ts',
    [SOURCE_HASH_METADATA]: await hashTfjsFiles(opts.modelDir),
  };
  if (mirrorAveraged) metadata[MIRROR_AVERAGE_METADATA] = 'true';
  if (labels) metadata['vitrine.labels'] = JSON.stringify(JSON.parse(labels));
  const spec = layersModelToOnnx(cnn, {
    metadata,
    docString: 'Fashion-MNIST CNN: [batch, 28, 28, 1] grey levels in [0, 1], white garment on black (IDX bytes / 255) → 10 class probabilities.',
  });
  const bytes = encodeOnnxModel({ ...spec, producer: { name: 'vitrine', version: '0.1.0' } });
  const path = opts.out ?? join(opts.modelDir, MODEL_FILES.onnx);
  // Written aside and renamed: a server starting meanwhile never reads half a file.
  await writeFile(`${path}.tmp-${process.pid}`, bytes);
  await rename(`${path}.tmp-${process.pid}`, path);
  log(`wrote ${path} (${(bytes.byteLength / 1024).toFixed(0)} KB${mirrorAveraged ? '; the CNN of a mirror-averaged model' : ''})`);
  const report: ExportReport = { path, bytes: bytes.byteLength, mirrorAveraged };
  if (opts.dataDir === undefined) return report;

  const test = await readIdxSplit(opts.dataDir, 't10k');
  const onnx = await loadOnnxModel(path, { log });
  const run = async (x: Float32Array, n: number) => (await onnx.predict(x, [n, IMAGE_SIZE, IMAGE_SIZE, 1])).data as Float32Array;
  const tfRun = (m: LayersModel, x: Float32Array, n: number) =>
    tf.tidy(() => Float32Array.from((m.predict(tf.tensor4d(x, [n, IMAGE_SIZE, IMAGE_SIZE, 1])) as Tensor).dataSync()));
  const single = newTally();
  const averaged = mirrorAveraged ? newTally() : undefined;
  let onnxMs = 0;
  for (let start = 0; start < test.count; start += BATCH) {
    const n = Math.min(BATCH, test.count - start);
    const x = new Float32Array(n * PIXELS);
    for (let i = 0; i < x.length; i++) x[i] = test.images[start * PIXELS + i]! / 255;
    const labelsOf = test.labels.subarray(start, start + n);
    const t = performance.now();
    const ort = await run(x, n);
    onnxMs += performance.now() - t;
    tally(single, tfRun(cnn, x, n), ort, labelsOf);
    if (averaged) {
      const mirrored = await run(mirrorImages(x, Array.from({ length: n }, (_, i) => i)), n);
      tally(averaged, tfRun(model, x, n), ort.map((p, i) => (p + mirrored[i]!) / 2), labelsOf);
    }
  }
  await onnx.release();
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  const agreements = [single, averaged].filter((a): a is Agreement => a !== undefined);
  const passed = agreements.every((a) => a.sameTop1 === a.images && a.maxProbDiff <= tolerance);
  report.check = { single, ...(averaged ? { averaged } : {}), onnxMsPerImage: onnxMs / test.count, tolerance, passed };
  return report;
}

function newTally(): Agreement {
  return { images: 0, sameTop1: 0, maxProbDiff: 0, accuracy: [0, 0] };
}

/** Adds a batch's comparison to `a` (accuracy as a running fraction). */
function tally(a: Agreement, tfjs: Float32Array, onnx: Float32Array, labels: Uint8Array): void {
  const correct = [a.accuracy[0] * a.images, a.accuracy[1] * a.images];
  for (let i = 0; i < labels.length; i++) {
    const p = tfjs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    const q = onnx.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
    const top = [argmax(p), argmax(q)];
    if (top[0] === top[1]) a.sameTop1++;
    if (top[0] === labels[i]) correct[0]!++;
    if (top[1] === labels[i]) correct[1]!++;
    for (let c = 0; c < NUM_CLASSES; c++) a.maxProbDiff = Math.max(a.maxProbDiff, Math.abs(p[c]! - q[c]!));
  }
  a.images += labels.length;
  a.accuracy = [correct[0]! / a.images, correct[1]! / a.images];
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let c = 1; c < row.length; c++) if (row[c]! > row[best]!) best = c;
  return best;
}

/**
 * {@link exportOnnx}, then its check in the log, one line per way of serving; true unless the check
 * failed. What `npm run export:onnx` and the end of `npm run train` run.
 *
 * @example
 * if (!(await exportAndReport({ modelDir: out, dataDir, log: console.log }))) process.exitCode = 1;
 */
export async function exportAndReport(opts: ExportOptions): Promise<boolean> {
  const report = await exportOnnx(opts);
  for (const line of describeCheck(report)) opts.log?.(line);
  return report.check?.passed ?? true;
}

/**
 * One line per way of serving, for logs: agreement, largest difference, accuracies.
 *
 * @example
 * for (const line of describeCheck(report)) console.log(line);
 */
export function describeCheck(report: ExportReport): string[] {
  const check = report.check;
  if (!check) return ['not checked against TF.js (no data folder)'];
  const line = (what: string, a: Agreement) =>
    `${what}: same top-1 on ${a.sameTop1.toLocaleString('en')} / ${a.images.toLocaleString('en')} test images, ` +
    `largest probability difference ${a.maxProbDiff.toExponential(2)}; accuracy TF.js ${(a.accuracy[0] * 100).toFixed(2)} %, ONNX Runtime ${(a.accuracy[1] * 100).toFixed(2)} %`;
  return [
    line('CNN alone', check.single),
    ...(check.averaged ? [line('averaged with the mirror image', check.averaged)] : []),
    `ONNX Runtime: ${check.onnxMsPerImage.toFixed(3)} ms per image in batches of ${BATCH}`,
    check.passed ? `check passed (tolerance ${check.tolerance})` : `check FAILED: a top-1 class differs or a probability by more than ${check.tolerance}`,
  ];
}
