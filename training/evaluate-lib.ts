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

/** Options of {@link evaluateModelDir}. */
export interface EvaluateOptions {
  modelDir: string;
  dataDir: string;
  /** Where report.json, confusion-matrix.svg and training-curves.svg go (history.json is read from here). */
  cardDir: string;
  log?: (msg: string) => void;
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
  const { modelDir, dataDir, cardDir, log = () => {} } = opts;
  const t0 = performance.now();
  const model = await loadLayersModelFromDir(modelDir);
  const test = await readIdxSplit(dataDir, 't10k');
  const probs = predictProbabilities(model, test);
  const metrics = computeMetrics(probs, test.labels, CLASS_NAMES);
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
    ...(training ? { training } : {}),
  };
  model.dispose();
  await writeFile(join(cardDir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(cardDir, 'confusion-matrix.svg'), confusionMatrixSvg(metrics.confusion, CLASS_NAMES));
  if (training?.history?.length) {
    await writeFile(join(cardDir, 'training-curves.svg'), trainingCurvesSvg(training.history, metrics.accuracy));
  }
  await writeFile(join(cardDir, 'README.md'), modelCardMarkdown(report, Boolean(training?.history?.length)));
  log(`Test accuracy ${(metrics.accuracy * 100).toFixed(2)}% on ${metrics.count} images; ECE ${metrics.expectedCalibrationError.toFixed(4)}; log loss ${metrics.logLoss.toFixed(4)}`);
  for (const c of metrics.perClass) log(`  ${c.label.padEnd(12)} accuracy ${(c.accuracy * 100).toFixed(1)}%  precision ${(c.precision * 100).toFixed(1)}%`);
  log(`Report written to ${cardDir}`);
  return report;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

/** A short human-readable model card, generated from the same numbers as report.json. */
function modelCardMarkdown(r: Report, hasCurves: boolean): string {
  const t = r.test;
  const training = r.training as
    | { runs?: Record<string, unknown>[]; history?: { epoch: number; valAccuracy: number | null; seconds: number }[]; wallSeconds?: number }
    | undefined;
  const lines = [
    '# Fashion-MNIST classifier — model card',
    '',
    `A TF.js layers model (${r.model.parameters.toLocaleString('en')} parameters, ${(r.model.weightBytes / 1024).toFixed(0)} KiB of weights) trained by \`npm run train\` and scored by \`npm run evaluate\` on the official test set (${t.count.toLocaleString('en')} images, backend ${r.backend}).`,
    '',
    ...(r.model.mirrorAveraged
      ? ['The served model averages the CNN\'s probabilities for the image and for its mirror image (test-time flip; `training/tta.ts`).', '']
      : []),
    'Input: float32 `[n, 28, 28, 1]`, values in [0, 1], white garment on black (IDX bytes / 255). Output: softmax probabilities `[n, 10]` in the label order of `../model/labels.json`.',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| test accuracy | **${pct(t.accuracy)}** |`,
    `| expected calibration error (15 bins) | ${t.expectedCalibrationError.toFixed(4)} |`,
    `| log loss | ${t.logLoss.toFixed(4)} |`,
    '',
    '| class | accuracy (recall) | precision |',
    '| --- | --- | --- |',
    ...t.perClass.map((c) => `| ${c.label} | ${pct(c.accuracy)} | ${pct(c.precision)} |`),
    '',
    '![Confusion matrix](confusion-matrix.svg)',
    '',
  ];
  if (hasCurves && training?.history) {
    const best = training.history.reduce((a, b) => ((b.valAccuracy ?? 0) > (a.valAccuracy ?? 0) ? b : a));
    lines.push(
      `Training: ${training.history.length} epochs${training.wallSeconds ? ` in ${(training.wallSeconds / 60).toFixed(1)} min of wall time` : ''}; the saved model is epoch ${best.epoch} (best validation accuracy${best.valAccuracy === null ? '' : `, ${pct(best.valAccuracy)}`}). Settings: ${(training.runs ?? []).map((run) => `\`${JSON.stringify(run)}\``).join(', then ')}.`,
      '',
      '![Training curves](training-curves.svg)',
      '',
    );
  }
  lines.push('All numbers: `report.json` (also the confusion matrix and the reliability bins).', '');
  return lines.join('\n');
}
