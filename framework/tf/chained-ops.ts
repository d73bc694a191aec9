/**
 * Tensor methods such as `x.argMax(-1)` or `x.reshape([2, 2])`. The `@tensorflow/tfjs` bundle adds
 * them; `@tensorflow/tfjs-core` alone, which {@link initTf} loads to save ~200 ms per worker, does
 * not, and its ESM sources that would cannot be imported by Node as published. Registered here
 * with the same meaning as TF.js 4.22's own chained ops (a test compares the two sets).
 */
import type * as Core from '@tensorflow/tfjs-core';
import { core } from './tfjs.ts';

/** Methods that call the op of the same name with the tensor as its first argument. */
const SAME_NAME = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan', 'atan2', 'atanh',
  'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue', 'conv1d', 'conv2d', 'cos', 'cosh',
  'cumprod', 'cumsum', 'depthToSpace', 'divNoNan', 'div', 'dot', 'elu', 'equal', 'erf', 'euclideanNorm', 'exp',
  'expandDims', 'expm1', 'fft', 'floor', 'floorDiv', 'gather', 'greaterEqual', 'greater', 'ifft', 'irfft',
  'isFinite', 'isInf', 'isNaN', 'leakyRelu', 'lessEqual', 'less', 'logSigmoid', 'logSoftmax', 'logSumExp', 'log',
  'log1p', 'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maximum', 'mean', 'min',
  'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike', 'pad', 'pool', 'pow',
  'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse', 'rfft', 'round', 'rsqrt', 'selu', 'sigmoid',
  'sign', 'sin', 'sinh', 'slice', 'softmax', 'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square',
  'squaredDifference', 'squeeze', 'step', 'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk', 'transpose',
  'unique', 'unstack', 'zerosLike', 'avgPool', 'conv2dTranspose', 'depthwiseConv2d', 'dilation2d',
  'localResponseNormalization', 'maxPool', 'separableConv2d', 'unsortedSegmentSum',
] as const;

type AnyTensor = Core.Tensor;
type Method = (this: AnyTensor, ...args: never[]) => unknown;

/** Methods whose meaning is not "the op of the same name". */
const OTHERS: Record<string, Method> = {
  asScalar(this: AnyTensor) {
    core.util.assert(this.size === 1, () => 'The array must have only 1 element.');
    return core.reshape(this, []);
  },
  asType(this: AnyTensor, dtype: Core.DataType) {
    return core.cast(this, dtype);
  },
  as1D(this: AnyTensor) {
    return core.reshape(this, [this.size]);
  },
  as2D(this: AnyTensor, ...shape: number[]) {
    return core.reshape(this, shape.slice(0, 2));
  },
  as3D(this: AnyTensor, ...shape: number[]) {
    return core.reshape(this, shape.slice(0, 3));
  },
  as4D(this: AnyTensor, ...shape: number[]) {
    return core.reshape(this, shape.slice(0, 4));
  },
  as5D(this: AnyTensor, ...shape: number[]) {
    return core.reshape(this, shape.slice(0, 5));
  },
  concat(this: AnyTensor, x: AnyTensor | AnyTensor[], axis?: number) {
    return core.concat([this, ...(x instanceof core.Tensor ? [x] : x)], axis);
  },
  flatten(this: AnyTensor) {
    return core.reshape(this, [this.size]);
  },
  reshapeAs(this: AnyTensor, x: AnyTensor) {
    return core.reshape(this, x.shape);
  },
  stack(this: AnyTensor, x: AnyTensor | AnyTensor[], axis?: number) {
    return core.stack([this, ...(x instanceof core.Tensor ? [x] : x)], axis);
  },
  toBool(this: AnyTensor) {
    return core.cast(this, 'bool');
  },
  toFloat(this: AnyTensor) {
    return core.cast(this, 'float32');
  },
  toInt(this: AnyTensor) {
    return core.cast(this, 'int32');
  },
  where(this: AnyTensor, condition: AnyTensor, x: AnyTensor) {
    return core.where(condition, this, x);
  },
  resizeBilinear(this: AnyTensor, ...args: never[]) {
    return (core.image.resizeBilinear as (...a: unknown[]) => unknown)(this, ...args);
  },
  resizeNearestNeighbor(this: AnyTensor, ...args: never[]) {
    return (core.image.resizeNearestNeighbor as (...a: unknown[]) => unknown)(this, ...args);
  },
};

/**
 * Adds the chained tensor methods that are missing (idempotent; methods already there, from the
 * full `@tensorflow/tfjs` bundle, are left alone).
 *
 * @example
 * registerChainedOps();
 * tf.tensor([1, 3, 2]).argMax().dataSync(); // Int32Array [1]
 */
export function registerChainedOps(): void {
  const proto = core.Tensor.prototype as unknown as Record<string, unknown>;
  for (const name of SAME_NAME) {
    if (typeof proto[name] === 'function') continue;
    const op = core[name] as (...args: unknown[]) => unknown;
    proto[name] = function chained(this: AnyTensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    };
  }
  for (const [name, method] of Object.entries(OTHERS)) {
    if (typeof proto[name] === 'function') continue;
    proto[name] = function chained(this: AnyTensor, ...args: never[]) {
      this.throwIfDisposed();
      return method.apply(this, args);
    };
  }
}
