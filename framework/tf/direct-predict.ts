/**
 * Runs a plain sequential layers model as a chain of TF.js ops, without tfjs-layers' per-call
 * machinery (symbolic tensor maps, shape checks, name scopes for every layer).
 *
 * Why: in a Fashion-MNIST worker at 8 connections, tfjs-layers and tfjs-core's bookkeeping took
 * ~17 % of the thread's time against ~55 % for the WASM kernels (`npm run bench -- --cpu-prof`);
 * one picture ran in 0.67–0.75 ms this way against 0.78–0.88 ms through `model.predict`.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Tf } from './backend.ts';

/** One layer's forward pass at inference. */
type Step = (x: Tensor) => Tensor;
/** Activations TF.js fuses into a convolution or a matrix product. */
type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

const FUSED = new Set(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

/**
 * A function computing what `model.predict(x)` computes, when every layer of `model` is one it
 * knows (Conv2D, Dense, max and average pooling, Flatten, BatchNormalization, ReLU, Activation,
 * Dropout, all channels-last); undefined otherwise, and the caller keeps `model.predict`. Call it
 * inside `tf.tidy`. The weights are read once: build it again after training or loading.
 *
 * @example
 * const predict = directPredictor(tf, model) ?? ((x) => model.predict(x) as Tensor);
 * const probs = tf.tidy(() => predict(tf.zeros([1, 28, 28, 1])).dataSync());
 */
export function directPredictor(tf: Tf, model: LayersModel): Step | undefined {
  if (model.getClassName() !== 'Sequential' || model.inputs.length !== 1 || model.outputs.length !== 1) return undefined;
  const steps: Step[] = [];
  for (const layer of model.layers) {
    const step = stepFor(tf, layer.getClassName(), layer.getConfig(), layer.getWeights());
    if (step === undefined) return undefined;
    if (step !== null) steps.push(step);
  }
  return (x) => steps.reduce((h, step) => step(h), x);
}

/** The step for one layer; null for a layer that does nothing at inference; undefined when unknown. */
function stepFor(tf: Tf, className: string, config: Record<string, unknown>, weights: Tensor[]): Step | null | undefined {
  const channelsLast = (config.dataFormat ?? 'channelsLast') === 'channelsLast';
  switch (className) {
    case 'InputLayer':
    case 'Dropout':
      return null;
    case 'Flatten':
      return channelsLast ? (x) => tf.reshape(x, [x.shape[0]!, -1]) : undefined;
    case 'Conv2D': {
      const dilation = pair(config.dilationRate ?? 1);
      if (!channelsLast || dilation[0] !== 1 || dilation[1] !== 1) return undefined;
      const [filter, bias] = useBias(config) ? weights : [weights[0]];
      const strides = pair(config.strides ?? 1);
      const pad = config.padding as 'same' | 'valid';
      if (pad !== 'same' && pad !== 'valid') return undefined;
      return withActivation(tf, String(config.activation ?? 'linear'), (activation) => (x) =>
        tf.fused.conv2d({ x: x as never, filter: filter as never, bias, strides, pad, activation }),
      );
    }
    case 'Dense': {
      const [kernel, bias] = useBias(config) ? weights : [weights[0]];
      return withActivation(tf, String(config.activation ?? 'linear'), (activation) => (x) => {
        const flat = x.rank === 2 ? x : tf.reshape(x, [-1, x.shape[x.rank - 1]!]);
        const y = tf.fused.matMul({ a: flat as never, b: kernel as never, bias, activation });
        return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), kernel!.shape[1]!]);
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      if (!channelsLast) return undefined;
      const size = pair(config.poolSize ?? 2);
      const strides = pair(config.strides ?? size);
      const pad = config.padding as 'same' | 'valid';
      if (pad !== 'same' && pad !== 'valid') return undefined;
      const pool = className === 'MaxPooling2D' ? tf.maxPool : tf.avgPool;
      return (x) => pool(x as never, size, strides, pad);
    }
    case 'BatchNormalization': {
      if (config.axis !== -1 && config.axis !== undefined) return undefined;
      const list = [...weights];
      const gamma = config.scale === false ? undefined : list.shift();
      const beta = config.center === false ? undefined : list.shift();
      const [mean, variance] = list;
      const epsilon = Number(config.epsilon ?? 1e-3);
      return (x) => tf.batchNorm(x, mean!, variance!, beta, gamma, epsilon);
    }
    case 'ReLU': {
      const max = config.maxValue;
      return max === null || max === undefined ? (x) => tf.relu(x) : (x) => tf.clipByValue(tf.relu(x), 0, Number(max));
    }
    case 'Activation':
      return activationStep(tf, String(config.activation));
    default:
      return undefined;
  }
}

/** A fused op when TF.js can fuse the activation; else the op, then the activation on its own. */
function withActivation(tf: Tf, name: string, op: (activation: FusedActivation) => Step): Step | undefined {
  if (FUSED.has(name)) return op(name as FusedActivation);
  const after = activationStep(tf, name);
  if (!after) return undefined;
  const linear = op('linear');
  return (x) => after(linear(x));
}

function activationStep(tf: Tf, name: string): Step | undefined {
  switch (name) {
    case 'linear':
      return (x) => x;
    case 'relu':
      return (x) => tf.relu(x);
    case 'relu6':
      return (x) => tf.relu6(x);
    case 'elu':
      return (x) => tf.elu(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'softmax':
      return (x) => tf.softmax(x);
    default:
      return undefined;
  }
}

function useBias(config: Record<string, unknown>): boolean {
  return config.useBias !== false;
}

function pair(v: unknown): [number, number] {
  return Array.isArray(v) ? [Number(v[0]), Number(v[1] ?? v[0])] : [Number(v), Number(v)];
}
