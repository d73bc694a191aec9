/** One forward/backward pass on a batch: the loss, the count of correct answers and the gradients. */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from './idx.ts';

/** Gradients in the order of `model.trainableWeights`, plus the batch's loss and correct count. */
export interface BatchGradients {
  grads: tf.Tensor[];
  loss: number;
  correct: number;
  count: number;
}

/**
 * Cross-entropy on softmax outputs, clipped like Keras so log(0) never happens.
 *
 * @example
 * const loss = crossEntropy(oneHot, model.predict(x) as tf.Tensor); // scalar
 */
export function crossEntropy(yOneHot: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(yOneHot, tf.log(tf.clipByValue(probs, 1e-7, 1))), -1))) as tf.Scalar);
}

/**
 * Runs the model in training mode (batch norm on batch statistics, dropout on) on `count` images
 * and returns the gradients of the mean loss with respect to the trainable weights.
 * Batch-norm moving statistics are updated as a side effect, as in `model.fit`.
 *
 * @example
 * const g = batchGradients(model, x, labels, 64);
 * optimizer.applyGradients(...); tf.dispose(g.grads);
 */
export function batchGradients(model: tf.LayersModel, images: Float32Array, labels: Uint8Array, count: number): BatchGradients {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let predicted: tf.Tensor | undefined;
  const { value, grads } = tf.tidy(() => {
    const x = tf.tensor4d(images.subarray(0, count * IMAGE_SIZE * IMAGE_SIZE), [count, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const y = tf.oneHot(tf.tensor1d(labels.subarray(0, count), 'int32'), NUM_CLASSES);
    return tf.variableGrads(() => {
      const probs = model.apply(x, { training: true }) as tf.Tensor;
      predicted = tf.keep(tf.argMax(probs, -1));
      return crossEntropy(y, probs);
    }, vars);
  });
  const loss = value.dataSync()[0]!;
  value.dispose();
  const pred = predicted!.dataSync();
  predicted!.dispose();
  let correct = 0;
  for (let i = 0; i < count; i++) if (pred[i] === labels[i]) correct++;
  return { grads: vars.map((v) => grads[v.name]!), loss, correct, count };
}
