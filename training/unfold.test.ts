/** unfoldInto: a folded, mirror-averaged model put back into the batch-norm layout computes the same function; checkpoints round-trip. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { foldBatchNorm } from './fold.ts';
import { createModel } from './model.ts';
import { withMirrorAveraging } from './tta.ts';
import { unfoldInto } from './unfold.ts';

const small = { width: 4, denseUnits: 8, dropout: 0 };

describe('unfoldInto', () => {
  it('gives the folded model back, in inference mode and (on the calibration batch) in training mode', () => {
    const trained = createModel({ ...small, seed: 3 });
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
    // Some training-mode passes so the batch-norm statistics are not the initial ones.
    for (let i = 0; i < 3; i++) tf.tidy(() => trained.apply(x, { training: true }) as tf.Tensor);
    const shipped = withMirrorAveraging(foldBatchNorm(trained));
    const target = createModel({ ...small, seed: 9 });
    unfoldInto(shipped, target, x);
    const folded = foldBatchNorm(trained).predict(x) as tf.Tensor;
    const unfolded = target.predict(x) as tf.Tensor;
    const inTraining = target.apply(x, { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(folded, unfolded))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(tf.sub(folded, inTraining))).dataSync()[0]).toBeLessThan(1e-3);
  });

  it('saves and loads a checkpoint: weights, optimizer state and progress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrine-checkpoint-'));
    try {
      const model = createModel({ ...small, architecture: 'mlp', seed: 1 });
      const optimizer = tf.train.adam(1e-3);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: tf.onesLike(v) })));
      await saveCheckpoint(join(dir, 'latest'), model, optimizer, { epoch: 2, best: 0.5, settings: { a: 1 }, history: [1, 2], wallSeconds: 10 });
      const cp = (await loadCheckpoint(join(dir, 'latest')))!;
      expect(cp.state).toMatchObject({ epoch: 2, best: 0.5, history: [1, 2], wallSeconds: 10 });
      expect(cp.optimizerWeights.length).toBe((await optimizer.getWeights()).length);
      cp.model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(model.getWeights()[i]!.dataSync())));
      expect(await loadCheckpoint(join(dir, 'missing'))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
