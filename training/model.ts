/** The Fashion-MNIST network definitions: the shipped CNN, the reference CNN used for benchmarks, and a fully connected network for comparison. */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from './idx.ts';

/** Which network to build. */
export type Architecture = 'vitrine' | 'reference' | 'mlp';

/** Every architecture `createModel` builds. */
export const ARCHITECTURES: readonly Architecture[] = ['vitrine', 'reference', 'mlp'];

/** Options of {@link createModel}. */
export interface ModelOptions {
  /** `'vitrine'` (shipped: conv blocks with batch norm) or `'reference'` (the benchmark CNN). */
  architecture?: Architecture;
  /** Channels of the first conv block; later blocks double it. */
  width?: number;
  /** Units of the hidden dense layer. */
  denseUnits?: number;
  /** Dropout before the classifier. */
  dropout?: number;
  /** Seed of the weight initialisers, for reproducible runs. */
  seed?: number;
}

/** The input contract: [n, 28, 28, 1] floats in [0, 1], white garment on black (IDX bytes / 255). */
export const INPUT_SHAPE: [number, number, number] = [IMAGE_SIZE, IMAGE_SIZE, 1];

/** Class names in the official label order: declared once, by the app that serves the model. */
export { CLASS_NAMES } from '../apps/fashion-mnist/app.ts';

/**
 * Builds an uncompiled layers model mapping [n, 28, 28, 1] images to softmax probabilities [n, 10].
 *
 * The shipped `'vitrine'` network: conv(w)·ReLU → pool → conv(2w)·BN·ReLU → conv(2w)·BN·ReLU →
 * pool → conv(4w)·BN·ReLU → pool → dense·BN·ReLU → dropout → dense(10). The first block has a
 * single conv because 28×28 convolutions with many input channels dominate the cost; depth goes
 * where the maps are small. Batch norm + ReLU are separate layers so the layer list stays plain
 * Keras (loadable anywhere).
 *
 * @example
 * const model = createModel({ architecture: 'vitrine', seed: 1 });
 * model.predict(tf.zeros([2, 28, 28, 1])); // shape [2, 10]
 */
export function createModel(opts: ModelOptions = {}): tf.LayersModel {
  const { architecture = 'vitrine', seed = 1 } = opts;
  let s = seed;
  const init = () => tf.initializers.heNormal({ seed: s++ });
  const glorot = () => tf.initializers.glorotUniform({ seed: s++ });
  const names: Record<Architecture, string> = { vitrine: 'vitrine_fashion_cnn', reference: 'reference_cnn', mlp: 'fashion_mlp' };
  const model = tf.sequential({ name: names[architecture] });
  if (architecture === 'reference') {
    model.add(tf.layers.conv2d({ inputShape: INPUT_SHAPE, filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: glorot() }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: glorot() }));
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: glorot() }));
    model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: glorot() }));
    return model;
  }
  const { width = 24, denseUnits = 256, dropout = 0.3 } = opts;
  if (architecture === 'mlp') {
    // Fully connected: every pixel feeds every unit, with no notion of neighbouring pixels — the
    // teaching contrast to the CNN. Sized to about the CNN's parameter count (≈ 240 k vs 298 k).
    model.add(tf.layers.flatten({ inputShape: INPUT_SHAPE }));
    for (const units of [denseUnits, denseUnits / 2]) {
      model.add(tf.layers.dense({ units, useBias: false, kernelInitializer: init() }));
      model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
      model.add(tf.layers.reLU());
    }
    model.add(tf.layers.dropout({ rate: dropout, seed: s++ }));
    model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: glorot() }));
    return model;
  }
  const convBn = (filters: number) => {
    model.add(
      tf.layers.conv2d({
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false, // the batch norm's offset plays the bias
        kernelInitializer: init(),
      }),
    );
    model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
    model.add(tf.layers.reLU());
  };
  // First layer without batch norm: at 28×28 its normalisation costs more than the layer itself
  // (moments and their gradients over n×28×28×w values), and one channel in needs no rescaling.
  model.add(tf.layers.conv2d({ inputShape: INPUT_SHAPE, filters: width, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 14×14
  convBn(width * 2);
  convBn(width * 2);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 7×7
  convBn(width * 4);
  model.add(tf.layers.maxPooling2d({ poolSize: 2 })); // 3×3 (valid: the last row/column is dropped)
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: denseUnits, useBias: false, kernelInitializer: init() }));
  model.add(tf.layers.batchNormalization({ momentum: 0.9 }));
  model.add(tf.layers.reLU());
  model.add(tf.layers.dropout({ rate: dropout, seed: s++ }));
  model.add(tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax', kernelInitializer: glorot() }));
  return model;
}
