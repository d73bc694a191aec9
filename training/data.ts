/** Dataset plumbing for training: seeded shuffling, validation split, batches and augmentation. */
import { IMAGE_SIZE } from './idx.ts';
import type { IdxSplit } from './idx.ts';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** A set of 28×28 byte images and their labels (a view; nothing is copied). */
export interface Examples {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * A small seeded PRNG (mulberry32): reproducible shuffles and augmentation from `--seed`.
 *
 * @example
 * const rand = seededRandom(1); rand(); // 0.6270739405881613
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fisher–Yates shuffle of 0..n-1 driven by `rand`.
 *
 * @example
 * shuffledIndices(5, seededRandom(1)); // a permutation of [0, 1, 2, 3, 4]
 */
export function shuffledIndices(n: number, rand: () => number): Uint32Array {
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

/**
 * Splits a training set into train and validation parts (a seeded random `fraction` is held out).
 *
 * @example
 * const { train, validation } = splitValidation(trainSplit, 5000 / 60000, 1);
 */
export function splitValidation(data: IdxSplit | Examples, fraction: number, seed: number): { train: Examples; validation: Examples } {
  const order = shuffledIndices(data.count, seededRandom(seed ^ 0x5eed));
  const nVal = Math.round(data.count * fraction);
  const take = (from: number, to: number): Examples => {
    const count = to - from;
    const images = new Uint8Array(count * PIXELS);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const src = order[from + i]!;
      images.set(data.images.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
      labels[i] = data.labels[src]!;
    }
    return { images, labels, count };
  };
  return { validation: take(0, nVal), train: take(nVal, data.count) };
}

/** How to perturb training images; all default to off. */
export interface AugmentOptions {
  /** Maximum shift in pixels in each direction (uniform integer, zero-filled). */
  maxShift?: number;
  /** Probability of a horizontal flip (garments are mostly left/right symmetric). */
  flipProbability?: number;
}

/**
 * Writes `indices.length` images as floats in [0, 1] (the model's input contract) into `out`,
 * randomly shifted and flipped when `augment` asks for it; labels go to `labels`.
 *
 * @example
 * const x = new Float32Array(64 * 784), y = new Uint8Array(64);
 * fillBatch(train, order.subarray(0, 64), x, y, { maxShift: 2, flipProbability: 0.5 }, rand);
 */
export function fillBatch(
  data: Examples,
  indices: ArrayLike<number>,
  out: Float32Array,
  labels: Uint8Array,
  augment: AugmentOptions = {},
  rand: () => number = Math.random,
): void {
  const { maxShift = 0, flipProbability = 0 } = augment;
  const S = IMAGE_SIZE;
  for (let b = 0; b < indices.length; b++) {
    const src = indices[b]!;
    labels[b] = data.labels[src]!;
    const img = data.images.subarray(src * PIXELS, (src + 1) * PIXELS);
    const dst = b * PIXELS;
    const dx = maxShift ? Math.floor(rand() * (2 * maxShift + 1)) - maxShift : 0;
    const dy = maxShift ? Math.floor(rand() * (2 * maxShift + 1)) - maxShift : 0;
    const flip = flipProbability > 0 && rand() < flipProbability;
    for (let r = 0; r < S; r++) {
      const sr = r - dy;
      for (let c = 0; c < S; c++) {
        const sc0 = c - dx;
        const sc = flip ? S - 1 - sc0 : sc0;
        out[dst + r * S + c] = sr >= 0 && sr < S && sc >= 0 && sc < S ? img[sr * S + sc]! / 255 : 0;
      }
    }
  }
}
