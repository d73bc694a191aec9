/** The model card's README, written from report.json and the architecture comparison (architectures.json), so the numbers are never typed twice. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from './evaluate-lib.ts';

/** One row of the architecture comparison. */
export interface ArchitectureSummary {
  parameters: number;
  testAccuracy: number;
  casualAccuracy: number | null;
  msPerImage: number | null;
  epochs: number;
  trainingMinutes: number;
}

const ARCHITECTURES_JSON = 'architectures.json';
const NAMES: Record<string, string> = { vitrine: 'CNN (shipped)', mlp: 'MLP (fully connected)', reference: 'reference CNN' };

/**
 * Records one architecture's figures in the card folder's comparison, keeping the others'.
 *
 * @example
 * await updateArchitecture('apps/fashion-mnist/model-card', 'mlp', { parameters: 235_000, testAccuracy: 0.89, … });
 */
export async function updateArchitecture(cardDir: string, architecture: string, summary: ArchitectureSummary): Promise<void> {
  const all = await readArchitectures(cardDir);
  all[architecture] = summary;
  await writeFile(join(cardDir, ARCHITECTURES_JSON), `${JSON.stringify(all, null, 2)}\n`);
}

/**
 * The comparison recorded so far (empty when none).
 *
 * @example
 * (await readArchitectures(cardDir)).mlp?.testAccuracy;
 */
export async function readArchitectures(cardDir: string): Promise<Record<string, ArchitectureSummary>> {
  const path = join(cardDir, ARCHITECTURES_JSON);
  return existsSync(path) ? (JSON.parse(await readFile(path, 'utf8')) as Record<string, ArchitectureSummary>) : {};
}

/**
 * Rewrites README.md in `cardDir` from its report.json and architectures.json.
 *
 * @example
 * await refreshModelCard('apps/fashion-mnist/model-card');
 */
export async function refreshModelCard(cardDir: string): Promise<void> {
  const reportPath = join(cardDir, 'report.json');
  if (!existsSync(reportPath)) return;
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Report;
  const hasCurves = existsSync(join(cardDir, 'training-curves.svg'));
  await writeFile(join(cardDir, 'README.md'), modelCardMarkdown(report, hasCurves, await readArchitectures(cardDir)));
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;

/**
 * The model card in Markdown: what the model is, its test and casual-photo accuracy, per class
 * and per photo condition, the training, and the CNN/MLP comparison in words a learner follows.
 *
 * @example
 * const md = modelCardMarkdown(report, true, { vitrine: {…}, mlp: {…} });
 */
export function modelCardMarkdown(r: Report, hasCurves: boolean, architectures: Record<string, ArchitectureSummary>): string {
  const t = r.test;
  const training = r.training as
    | { runs?: Record<string, unknown>[]; history?: { epoch: number; valAccuracy: number | null }[]; wallSeconds?: number; fineTuning?: { step: string; command?: string; alpha?: number }[]; fineTuningSeconds?: number }
    | undefined;
  const lines = [
    '# Fashion-MNIST classifier — model card',
    '',
    `A TF.js layers model (${r.model.parameters.toLocaleString('en')} parameters, ${(r.model.weightBytes / 1024).toFixed(0)} KiB of weights) trained by \`npm run train\` on the official training set, part of every batch rendered as casual phone photos (training/photo-*.ts) and passed through the app's preprocessing. Scored on the official test set (${t.count.toLocaleString('en')} images, backend ${r.backend}).`,
    '',
    ...(r.model.mirrorAveraged ? ["The served model averages the CNN's probabilities for the image and for its mirror image when it is unsure (`training/tta.ts`, `apps/fashion-mnist/mirror.ts`).", ''] : []),
    'Input: float32 `[n, 28, 28, 1]`, values in [0, 1], white garment on black (IDX bytes / 255); any other picture goes through `apps/fashion-mnist/preprocess.ts` first. Output: softmax probabilities `[n, 10]` in the label order of `../model/labels.json`.',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| test accuracy (official test set) | **${pct(t.accuracy)}** |`,
    ...(r.casual ? [`| casual photos (${r.casual.count} test garments, held-out seed; \`npm run bench:casual\`) | **${pct(r.casual.accuracy)}** |`] : []),
    `| expected calibration error (15 bins) | ${t.expectedCalibrationError.toFixed(4)} |`,
    `| log loss | ${t.logLoss.toFixed(4)} |`,
    ...(r.msPerImage === undefined ? [] : [`| latency, one picture at a time (model only) | ${r.msPerImage.toFixed(2)} ms |`]),
    '',
    '| class | accuracy (recall) | precision |',
    '| --- | --- | --- |',
    ...t.perClass.map((c) => `| ${c.label} | ${pct(c.accuracy)} | ${pct(c.precision)} |`),
    '',
    '![Confusion matrix](confusion-matrix.svg)',
    '',
  ];
  if (r.casual) {
    lines.push(
      '## Casual photos, per condition',
      '',
      'Each photo has several conditions at once (a wooden table *and* a shadow *and* a low-quality JPEG), so the rows overlap.',
      '',
      '| condition | photos | accuracy |',
      '| --- | --- | --- |',
      ...r.casual.perCondition.map((c) => `| ${c.condition} | ${c.count} | ${pct(c.accuracy)} |`),
      '',
    );
  }
  const cnn = architectures.vitrine;
  const mlp = architectures.mlp;
  if (Object.keys(architectures).length > 0) {
    lines.push('## A fully connected network against the CNN', '', '| network | parameters | test accuracy | casual photos | ms per image | training |', '| --- | --- | --- | --- | --- | --- |');
    for (const [name, a] of Object.entries(architectures)) {
      lines.push(`| ${NAMES[name] ?? name} | ${a.parameters.toLocaleString('en')} | ${pct(a.testAccuracy)} | ${a.casualAccuracy === null ? '—' : pct(a.casualAccuracy)} | ${a.msPerImage === null ? '—' : a.msPerImage.toFixed(2)} | ${a.epochs.toFixed(Number.isInteger(a.epochs) ? 0 : 1)} epochs, ${a.trainingMinutes.toFixed(0)} min |`);
    }
    lines.push('');
    if (cnn && mlp) {
      lines.push(
        `With a similar number of weights, the CNN is right ${pct(cnn.testAccuracy)} of the time on the test set and the MLP ${pct(mlp.testAccuracy)}` +
          (cnn.casualAccuracy !== null && mlp.casualAccuracy !== null ? `; on casual photos the gap is ${pct(cnn.casualAccuracy)} against ${pct(mlp.casualAccuracy)}` : '') +
          '. The MLP connects every pixel to every unit, so a collar or a heel must be learned separately at each position it can appear; the CNN slides the same small filters over the whole picture and pools them, so it recognises a pattern wherever it is — which is what a garment shifted, turned or cropped in a photo needs.',
        'Compare the training budgets in the last column before reading more into the casual-photo column: a short MLP run against a long CNN run is not a fair race.',
        '`npm run train -- --architecture mlp` trains the MLP on the same data and updates its row.',
        '',
      );
    }
  }
  if (hasCurves && training?.history?.length) {
    const best = training.history.reduce((a, b) => ((b.valAccuracy ?? 0) > (a.valAccuracy ?? 0) ? b : a));
    lines.push(
      '## Training',
      '',
      `${training.history.length} epochs${training.wallSeconds ? ` in ${(training.wallSeconds / 60).toFixed(1)} min of training wall time` : ''}; the saved model is epoch ${best.epoch} (best validation accuracy on held-out clean images and photos${best.valAccuracy === null ? '' : `, ${pct(best.valAccuracy)}`}). Settings: ${(training.runs ?? []).map((run) => `\`${JSON.stringify(run)}\``).join(', then ')}.`,
      '',
      '![Training curves](training-curves.svg)',
      '',
    );
  }
  if (training?.fineTuning?.length) {
    lines.push(
      `Then fine-tuned on casual photos (${((training.fineTuningSeconds ?? 0) / 60).toFixed(0)} min; the curves above are the first training only):`,
      '',
      ...training.fineTuning.map((f) => `- ${f.step}${f.command ? `: \`${f.command}\`` : ''}${f.alpha === undefined ? '' : `: α = ${f.alpha} (weights = α · fine-tuned + (1 − α) · previous)`}`),
      '',
    );
  }
  lines.push('All numbers: `report.json` (also the confusion matrix and the reliability bins) and `architectures.json`.', '');
  return lines.join('\n');
}
