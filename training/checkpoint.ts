/** Per-epoch training checkpoints (model with batch norm, Adam's state, the history so far), so `npm run train -- --resume` continues an interrupted run. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromDir, saveLayersModelToDir } from '../framework/tf/model-io.ts';

const STATE = 'state.json';
const OPTIMIZER_BIN = 'optimizer.bin';

/** What a checkpoint records besides the weights. */
export interface CheckpointState {
  /** Epochs completed. */
  epoch: number;
  /** Best validation score so far (the saved model's). */
  best: number;
  /** The run's settings (a resumed run must use the same ones) and its history so far. */
  settings: Record<string, unknown>;
  history: unknown[];
  /** Wall seconds spent before this checkpoint, over all sessions of the run. */
  wallSeconds: number;
}

/**
 * Writes the model (batch norm kept), Adam's moments and `state` into `dir`, replacing the
 * previous checkpoint only once the new one is complete.
 *
 * @example
 * await saveCheckpoint('.checkpoints/vitrine', model, optimizer, { epoch: 3, best: 0.93, settings, history, wallSeconds: 600 });
 */
export async function saveCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: CheckpointState): Promise<void> {
  const next = `${dir}.next`;
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  await saveLayersModelToDir(model, next);
  const named = await optimizer.getWeights();
  const arrays = await Promise.all(named.map((n) => n.tensor.data() as Promise<Float32Array>));
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const bin = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    bin.set(a, offset);
    offset += a.length;
  }
  await writeFile(join(next, OPTIMIZER_BIN), Buffer.from(bin.buffer));
  const optimizerShapes = named.map((n) => n.tensor.shape);
  await writeFile(join(next, STATE), `${JSON.stringify({ ...state, optimizerShapes }, null, 2)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(next, dir);
}

/**
 * Reads a checkpoint: the model, Adam's weights (for `optimizer.setWeights`) and the state; null
 * when `dir` holds none.
 *
 * @example
 * const cp = await loadCheckpoint('.checkpoints/vitrine');
 */
export async function loadCheckpoint(dir: string): Promise<{ model: tf.LayersModel; optimizerWeights: { name: string; tensor: tf.Tensor }[]; state: CheckpointState } | null> {
  if (!existsSync(join(dir, STATE))) return null;
  const raw = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as CheckpointState & { optimizerShapes: number[][] };
  const model = await loadLayersModelFromDir(dir);
  const bytes = await readFile(join(dir, OPTIMIZER_BIN));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const optimizerWeights = raw.optimizerShapes.map((shape, i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const tensor = tf.tensor(all.subarray(offset, offset + size), shape);
    offset += size;
    // Adam matches its slots by position; the names only need to be unique.
    return { name: `w${i}`, tensor };
  });
  const { optimizerShapes: _shapes, ...state } = raw;
  return { model, optimizerWeights, state };
}
