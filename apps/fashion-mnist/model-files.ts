/** The model folder's files and how model.onnx is tied to the TF.js files it was exported from. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What the app serves (ONNX Runtime) and what training writes and resumes from (TF.js). */
export const MODEL_FILES = { onnx: 'model.onnx', tfjsTopology: 'model.json', tfjsWeights: 'weights.bin', labels: 'labels.json' } as const;

/** ONNX metadata key holding {@link hashTfjsFiles} of the files the export was made from. */
export const SOURCE_HASH_METADATA = 'vitrine.source_sha256';

/**
 * SHA-256 of model.json and weights.bin together: a model.onnx whose recorded hash differs was
 * exported from other weights (the TF.js model was trained or folded again since), and the app
 * then serves the TF.js files rather than a stale model. ~3 ms for the shipped 1.2 MB.
 *
 * @example
 * const hash = await hashTfjsFiles('apps/fashion-mnist/model'); // '3f1c…'
 */
export async function hashTfjsFiles(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const name of [MODEL_FILES.tfjsTopology, MODEL_FILES.tfjsWeights]) hash.update(await readFile(join(dir, name)));
  return hash.digest('hex');
}
