/** Fast gradient kernels for the WASM backend, written as compositions of its fast forward kernels. */
import type * as tf from '@tensorflow/tfjs-core';
import { core } from './tfjs.ts';

// Why this module exists (TF.js 4.22, Node 20, measured on a 2-core machine, batch 128):
// - the WASM backend has no Conv2DBackpropFilter at all, so convolutions cannot train;
// - its Conv2DBackpropInput is a scalar loop (~600 ms for a 14×14×32→64 layer, ~60 ms as a conv);
// - its MaxPoolGrad and transposed BatchMatMul are slow single-threaded loops.
// Each kernel below rewrites the gradient as XNNPACK-backed forward ops (Conv2D, matmul,
// element-wise ops). Kernels run with the tape off, so the ops used inside are not recorded.

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

const BACKEND = 'wasm';
let registered = false;

/**
 * Registers the fast gradient kernels on the `wasm` backend (idempotent). Call after the backend
 * is registered; {@link initTf} does it for you.
 *
 * @example
 * await tf.setBackend('wasm');
 * registerWasmGradients();
 * const grads = tf.grads((x) => tf.conv2d(x, w, 2, 'same').sum())([x]);
 */
export function registerWasmGradients(): void {
  if (registered) return;
  replaceKernel('Conv2DBackpropFilter', conv2DBackpropFilter);
  replaceKernel('Conv2DBackpropInput', conv2DBackpropInput);
  const maxPoolGradFallback = core.getKernel('MaxPoolGrad', BACKEND)?.kernelFunc;
  replaceKernel('MaxPoolGrad', (args) => maxPoolGrad(args, maxPoolGradFallback));
  const matMul = core.getKernel('BatchMatMul', BACKEND)?.kernelFunc;
  if (!matMul) throw new Error('The wasm backend has no BatchMatMul kernel');
  replaceKernel('BatchMatMul', (args) => batchMatMul(args, matMul));
  overrideBatchNormGradient();
  registered = true;
}

/**
 * The stock FusedBatchNorm gradient materialises `tile(1/σ, [N,H,W,1])`, and WASM's Tile is a
 * scalar loop (~450 ms of a 1.3 s training step in a 5-BN CNN at batch 128). This version
 * broadcasts instead and shares the two per-channel sums. Registered for every backend (gradients
 * are global in TF.js) but only used on wasm; other backends keep the stock gradient.
 */
function overrideBatchNormGradient(): void {
  const stock = core.getGradient('FusedBatchNorm');
  if (!stock) return;
  core.registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
      if (core.getBackend() !== BACKEND || mean.rank !== 1 || Array.isArray(dy)) return stock.gradFunc(dy, saved, attrs);
      const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const inv = core.rsqrt(core.add(variance, eps));
      const invScale = scale == null ? inv : core.mul(inv, scale);
      // Computed here, not in the thunks: the engine runs each thunk in its own tidy, so a
      // tensor cached by one thunk would be disposed before the next one reads it.
      const sumDy = core.sum(dy, axes);
      const sumDyXc = core.sum(core.mul(dy, core.sub(x, mean)), axes);
      return {
        x: () => core.mul(dy, invScale),
        mean: () => core.mul(sumDy, core.neg(invScale)),
        variance: () => core.mul(sumDyXc, core.mul(core.mul(core.mul(inv, inv), invScale), -0.5)),
        scale: () => core.mul(sumDyXc, inv),
        offset: () => core.clone(sumDy),
      };
    },
  });
}

function replaceKernel(kernelName: string, kernelFunc: tf.KernelFunc): void {
  if (core.getKernel(kernelName, BACKEND)) core.unregisterKernel(kernelName, BACKEND);
  core.registerKernel({ kernelName, backendName: BACKEND, kernelFunc });
}

function asTensor4D(info: unknown): tf.Tensor4D {
  if (!(info instanceof core.Tensor)) throw new Error('Expected a tensor input');
  return info as tf.Tensor4D;
}

/** Pads (positive) or crops (negative) one axis of a 4-D tensor at both ends. */
function padOrCrop(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number): tf.Tensor4D {
  return padOrCropWith(x, axis, before, after, 0);
}

function padOrCropWith(x: tf.Tensor4D, axis: 1 | 2, before: number, after: number, value: number): tf.Tensor4D {
  let out = x;
  if (before < 0 || after < 0) {
    const begin = [0, 0, 0, 0];
    const size = [...x.shape];
    const b = Math.max(0, -before);
    begin[axis] = b;
    size[axis] = x.shape[axis] - b - Math.max(0, -after);
    out = core.slice(out, begin, size);
  }
  if (before > 0 || after > 0) {
    const pads: Pad4 = [[0, 0], [0, 0], [0, 0], [0, 0]];
    pads[axis] = [Math.max(0, before), Math.max(0, after)];
    out = core.pad(out, pads, value);
  }
  return out;
}

/** Inserts `s - 1` zeros after every row/column (the transposed conv's input), trailing ones kept. */
function dilate(x: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape;
  const six = core.reshape(x, [n, h, 1, w, 1, c]);
  const padded = core.pad(six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return core.reshape(padded, [n, h * sh, w * sw, c]);
}

function convInfoFor(
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: KernelArgs['attrs'],
) {
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (a.dataFormat && a.dataFormat !== 'NHWC') throw new Error('Only NHWC is supported on wasm');
  return core.backend_util.computeConv2DInfo(xShape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
}

/**
 * dW[kh,kw,ci,co] = Σ x[n, oh·s+kh−pt, ow·s+kw−pl, ci] · dy[n,oh,ow,co]: a forward convolution
 * of x (channels as batch, batch as channels) with dy as a filter dilated by the stride.
 */
function conv2DBackpropFilter({ inputs, attrs }: KernelArgs): tf.Tensor {
  const x = asTensor4D(inputs.x);
  const dy = asTensor4D(inputs.dy);
  const filterShape = (attrs as unknown as tf.Conv2DBackpropFilterAttrs).filterShape;
  const info = convInfoFor(x.shape, filterShape, attrs);
  const { top, left } = info.padInfo;
  const { strideHeight: sh, strideWidth: sw, outHeight: ho, outWidth: wo } = info;
  const [kh, kw] = filterShape;
  return core.tidy(() => {
    // Padding after is whatever makes the output exactly kh×kw; negative means rows x never reaches.
    const bottom = kh - x.shape[1] - top + (ho - 1) * sh;
    const right = kw - x.shape[2] - left + (wo - 1) * sw;
    let xt = core.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D; // [ci, H, W, n]
    if (bottom < 0) xt = padOrCrop(xt, 1, 0, bottom);
    if (right < 0) xt = padOrCrop(xt, 2, 0, right);
    const dyt = core.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D; // [ho, wo, n, co]
    const pad: Pad4 = [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]];
    const dw = core.conv2d(xt, dyt, 1, pad, 'NHWC', [sh, sw]); // [ci, kh, kw, co]
    return core.transpose(dw, [1, 2, 0, 3]);
  });
}

/**
 * dx = the transposed convolution of dy: dy dilated by the stride, padded by (k − 1 − pad), then
 * convolved (stride 1) with the filter flipped spatially and its in/out channels swapped.
 */
function conv2DBackpropInput({ inputs, attrs }: KernelArgs): tf.Tensor {
  const dy = asTensor4D(inputs.dy);
  const filter = asTensor4D(inputs.filter);
  const inputShape = (attrs as unknown as tf.Conv2DBackpropInputAttrs).inputShape;
  const info = convInfoFor(inputShape, filter.shape, attrs);
  const { top, left } = info.padInfo;
  const { strideHeight: sh, strideWidth: sw } = info;
  const [kh, kw] = filter.shape;
  const [, h, w] = inputShape;
  return core.tidy(() => {
    let d = dilate(dy, sh, sw);
    const padTop = kh - 1 - top;
    const padLeft = kw - 1 - left;
    const padBottom = h + kh - 1 - padTop - d.shape[1];
    const padRight = w + kw - 1 - padLeft - d.shape[2];
    // Negative pads crop; the rest is explicit conv padding (cheaper than materialising a pad).
    if (padTop < 0 || padBottom < 0) d = padOrCrop(d, 1, Math.min(0, padTop), Math.min(0, padBottom));
    if (padLeft < 0 || padRight < 0) d = padOrCrop(d, 2, Math.min(0, padLeft), Math.min(0, padRight));
    const flipped = core.transpose(core.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const pad: Pad4 = [
      [0, 0],
      [Math.max(0, padTop), Math.max(0, padBottom)],
      [Math.max(0, padLeft), Math.max(0, padRight)],
      [0, 0],
    ];
    return core.conv2d(d, flipped, 1, pad);
  });
}

/**
 * Max-pool gradient for non-overlapping windows (pool size = stride): route dy to the cells equal
 * to their window's max. Cells outside the input (padding) are filled with −∞ so they never match.
 * Exact except on ties, which (after a ReLU) only happen at 0, where the ReLU's gradient is 0
 * anyway. Overlapping windows use the backend's own kernel.
 */
function maxPoolGrad({ inputs, attrs, backend }: KernelArgs, fallback?: tf.KernelFunc): tf.TensorInfo {
  const dy = asTensor4D(inputs.dy);
  const x = asTensor4D(inputs.input);
  const y = asTensor4D(inputs.output);
  const a = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = core.backend_util.computePool2DInfo(x.shape, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, outHeight: ho, outWidth: wo } = info;
  const { top, left } = info.padInfo;
  const [n, h, w, c] = x.shape;
  if (fh !== sh || fw !== sw) {
    if (!fallback) throw new Error('MaxPoolGrad: overlapping windows are not supported on wasm');
    return fallback({ inputs, attrs, backend }) as tf.TensorInfo;
  }
  return core.tidy(() => {
    // The windows tile rows [−top, ho·sh − top) exactly; pad with −∞ or crop x to that range.
    const bottom = ho * sh - h - top;
    const right = wo * sw - w - left;
    const covered = padOrCropWith(padOrCropWith(x, 1, top, bottom, -Infinity), 2, left, right, -Infinity);
    const ones = core.ones([1, 1, sh, 1, sw, 1]);
    const up = (t: tf.Tensor4D) => core.reshape(core.mul(core.reshape(t, [n, ho, 1, wo, 1, c]), ones), [n, ho * sh, wo * sw, c]);
    const mask = core.cast(core.equal(covered, up(y)), 'float32');
    const dx = core.mul(mask, up(dy)) as tf.Tensor4D;
    return padOrCropWith(padOrCropWith(dx, 1, -top, -bottom, 0), 2, -left, -right, 0);
  });
}

/** Transposed matmuls run as an explicit transpose + the fast non-transposed kernel. */
function batchMatMul({ inputs, attrs, backend }: KernelArgs, matMul: tf.KernelFunc): tf.TensorInfo {
  const a0 = inputs.a as tf.Tensor;
  const b0 = inputs.b as tf.Tensor;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  if (!transposeA && !transposeB) return matMul({ inputs, attrs, backend }) as tf.TensorInfo;
  const swapLast = (t: tf.Tensor) => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    [perm[r - 2], perm[r - 1]] = [r - 1, r - 2];
    return core.transpose(t, perm);
  };
  const a = transposeA ? swapLast(a0) : a0;
  const b = transposeB ? swapLast(b0) : b0;
  try {
    return matMul({ inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend }) as tf.TensorInfo;
  } finally {
    if (a !== a0) a.dispose();
    if (b !== b0) b.dispose();
  }
}
