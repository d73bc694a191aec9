/**
 * The adaptive mirror pass for a TF.js model (the fallback runtime). Apart from mirror.ts because
 * `vitrine/tf` loads TF.js when imported: every thread that imports the app (the server's main
 * thread, each worker) paid ~30 MB and its start-up time for it while serving on ONNX Runtime
 * (scripts/worker-memory.ts); runtime.ts imports this module only when it falls back to TF.js.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { directPredictor, type Tf } from 'vitrine/tf';
import { adaptiveMirrorOf, MIRROR_BELOW, SIZE, type Pass, type Predict } from './mirror.ts';

/**
 * A predictor for a TF.js `model`: when it is the mirror-averaged wrapper (one inner CNN and an
 * Average layer), the inner CNN runs adaptively (`adaptiveMirrorOf`); any other model runs as it is.
 *
 * @example
 * const predict = adaptiveMirror(tf, model);
 * const probs = await predict(pixels, 8); // 8 × 10 probabilities
 */
export function adaptiveMirror(tf: Tf, model: LayersModel, below: number = MIRROR_BELOW): Predict {
  // Straight through the ops where the layers allow it (framework/tf/direct-predict.ts).
  const passOf = (m: LayersModel): Pass => {
    const run = directPredictor(tf, m) ?? ((x: Tensor) => m.predict(x) as Tensor);
    return (input, count) => tf.tidy(() => run(tf.tensor4d(input, [count, SIZE, SIZE, 1])).dataSync() as Float32Array);
  };
  const inner = model.layers.find((l) => l.getClassName() === 'Sequential') as LayersModel | undefined;
  const averages = model.layers.some((l) => l.getClassName() === 'Average');
  if (!inner || !averages) {
    const whole = passOf(model);
    return async (input, count) => whole(input, count);
  }
  const classes = (inner.outputs[0]!.shape[1] as number | null) ?? 10;
  return adaptiveMirrorOf(passOf(inner), classes, below);
}
