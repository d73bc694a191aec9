/** Starting a training run from a shipped (folded, maybe mirror-averaged) model: batch norm put back so training mode computes the same function. */
import * as tf from '@tensorflow/tfjs';

/** The CNN inside a mirror-averaging wrapper (training/tta.ts), or the model itself. */
function innerNetwork(model: tf.LayersModel): tf.LayersModel {
  return (model.layers.find((l) => l.getClassName() === 'Sequential') as tf.LayersModel | undefined) ?? model;
}

/**
 * Copies a saved model's weights into `target`. A folded one's, a fresh model with batch norm after its
 * bias-free conv/dense layers (createModel's layout): folding turned conv·BN into conv + bias b;
 * here each BN gets moving mean μ and variance σ² measured on `calibration` images (the conv's
 * outputs), γ = √(σ² + ε) and β = b + μ: then both inference (moving statistics) and training
 * (batch statistics ≈ μ, σ²) compute the folded model's function, so fine-tuning starts where the
 * shipped model is instead of from a shock.
 *
 * @example
 * const model = createModel({ seed: 1 });
 * unfoldInto(await loadLayersModelFromDir('apps/fashion-mnist/model'), model, calibrationImages);
 */
export function unfoldInto(shipped: tf.LayersModel, target: tf.LayersModel, calibration: tf.Tensor4D): void {
  const inner = innerNetwork(shipped);
  // A checkpoint (batch norm kept) already has the target's layout: its weights are copied as they are.
  const same = inner.weights.length === target.weights.length && inner.weights.every((w, i) => w.shape.join() === target.weights[i]!.shape.join());
  if (same) {
    target.setWeights(inner.getWeights());
    return;
  }
  const source = inner.layers.filter((l) => l.getWeights().length > 0);
  const layers = target.layers;
  let s = 0;
  // Phase 1: kernels and biases, with BN set to the identity plus the folded bias.
  const bnPlans: { bn: tf.layers.Layer; preceding: tf.layers.Layer; bias: tf.Tensor }[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const cls = layer.getClassName();
    if (cls !== 'Conv2D' && cls !== 'Dense') continue;
    const from = source[s++];
    if (!from) throw new Error(`the shipped model has fewer weighted layers than ${target.name}`);
    const [kernel, bias] = from.getWeights();
    if (!kernel || kernel.shape.join() !== layer.getWeights()[0]!.shape.join()) {
      throw new Error(`layer ${layer.name}: kernel shape ${String(kernel?.shape)} does not match ${String(layer.getWeights()[0]!.shape)}`);
    }
    const next = layers[i + 1];
    if (next?.getClassName() === 'BatchNormalization') {
      layer.setWeights([kernel]);
      bnPlans.push({ bn: next, preceding: layer, bias: bias ?? tf.zeros([kernel.shape[kernel.shape.length - 1]!]) });
    } else {
      layer.setWeights(bias ? [kernel, bias] : [kernel]);
    }
  }
  if (s !== source.length) throw new Error(`the shipped model has ${source.length} weighted layers; ${target.name} takes ${s}`);
  for (const { bn, bias } of bnPlans) {
    const eps = Number(bn.getConfig().epsilon ?? 1e-3);
    const c = bias.shape[0]!;
    bn.setWeights([tf.ones([c]), bias, tf.zeros([c]), tf.fill([c], 1 - eps)]);
  }
  // Phase 2: measure each bias-free layer's output statistics (the model now computes the
  // shipped function in inference mode) and move them into the BN.
  const probe = tf.model({ inputs: target.inputs, outputs: bnPlans.map((p) => p.preceding.output as tf.SymbolicTensor) });
  const outputs = probe.predict(calibration) as tf.Tensor | tf.Tensor[];
  const list = Array.isArray(outputs) ? outputs : [outputs];
  bnPlans.forEach(({ bn, bias }, k) => {
    const eps = Number(bn.getConfig().epsilon ?? 1e-3);
    const z = list[k]!;
    const axes = z.shape.slice(0, -1).map((_, a) => a);
    const { mean, variance } = tf.moments(z, axes);
    bn.setWeights([tf.sqrt(tf.add(variance, eps)), tf.add(bias, mean), mean, variance]);
  });
  tf.dispose(list);
}
