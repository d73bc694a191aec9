/** Resampling for the preprocessing: area-average shrinking, and drawing a crop into the 28 × 28 frame. */

/** The dataset's side length; the model takes 28 × 28 = 784 values. */
export const SIDE = 28;
const PIXELS = SIDE * SIDE;

/**
 * Draws a w × h image into a 28 × 28 canvas, scaled by `scale` with its top-left corner at
 * (`left`, `top`) in canvas pixels (fractions allowed): area coverage when shrinking, linear
 * interpolation when growing; canvas pixels the image only partly covers get that fraction.
 *
 * @example
 * const fitted = place(crop, 40, 80, 28 / 80, 7, 0);
 */
export function place(src: Float32Array, w: number, h: number, scale: number, left: number, top: number): Float32Array {
  const rows = new Float32Array(SIDE * h);
  for (let y = 0; y < h; y += 1) placeLine(src, y * w, 1, w, rows, y * SIDE, 1, scale, left);
  const out = new Float32Array(PIXELS);
  for (let x = 0; x < SIDE; x += 1) placeLine(rows, x, SIDE, h, out, x, SIDE, scale, top);
  return out;
}

function placeLine(
  src: Float32Array,
  srcStart: number,
  srcStride: number,
  n: number,
  dst: Float32Array,
  dstStart: number,
  dstStride: number,
  scale: number,
  offset: number,
): void {
  for (let j = 0; j < SIDE; j += 1) {
    // Canvas pixel j covers source interval [a, b).
    const a = (j - offset) / scale;
    const b = (j + 1 - offset) / scale;
    if (b <= 0 || a >= n) continue;
    let v = 0;
    if (scale <= 1) {
      for (let i = Math.max(0, Math.floor(a)); i < Math.min(n, Math.ceil(b)); i += 1) {
        v += (Math.min(b, i + 1) - Math.max(a, i)) * (src[srcStart + i * srcStride] ?? 0);
      }
      v *= scale;
    } else {
      const coverage = Math.min(b, n) - Math.max(a, 0);
      const pos = Math.min(n - 1, Math.max(0, (a + b) / 2 - 0.5));
      const i = Math.floor(pos);
      const t = pos - i;
      const p = src[srcStart + i * srcStride] ?? 0;
      const q = src[srcStart + Math.min(n - 1, i + 1) * srcStride] ?? 0;
      v = (p + (q - p) * t) * Math.min(1, coverage * scale);
    }
    dst[dstStart + j * dstStride] = v;
  }
}

/**
 * Unsharp mask of a 28 × 28 image: v + amount · (v − 3×3 box blur of v), clamped at 0.
 *
 * @example
 * const crisp = unsharp(fitted, 0.5);
 */
export function unsharp(src: Float32Array, amount: number): Float32Array {
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < SIDE; y += 1) {
    for (let x = 0; x < SIDE; x += 1) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy += 1) {
        for (let dx = -1; dx <= 1; dx += 1) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || xx < 0 || yy >= SIDE || xx >= SIDE) continue;
          sum += src[yy * SIDE + xx] ?? 0;
          n += 1;
        }
      }
      const v = src[y * SIDE + x] ?? 0;
      out[y * SIDE + x] = Math.max(0, v + amount * (v - sum / n));
    }
  }
  return out;
}

/**
 * Separable resampling of a grey image: area averaging on an axis that shrinks (every source
 * pixel contributes by its overlap, so nothing aliases), linear interpolation on one that grows,
 * and an exact copy on one that keeps its size.
 *
 * @example
 * resample(new Float32Array([0, 255, 0, 255]), 4, 1, 2, 1); // Float32Array [127.5, 127.5]
 */
export function resample(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const horizontal = new Float32Array(dw * sh);
  for (let y = 0; y < sh; y += 1) {
    resampleLine(src, y * sw, 1, sw, horizontal, y * dw, 1, dw);
  }
  const out = new Float32Array(dw * dh);
  for (let x = 0; x < dw; x += 1) {
    resampleLine(horizontal, x, dw, sh, out, x, dw, dh);
  }
  return out;
}

function resampleLine(
  src: Float32Array,
  srcStart: number,
  srcStride: number,
  n: number,
  dst: Float32Array,
  dstStart: number,
  dstStride: number,
  m: number,
): void {
  if (n === m) {
    for (let i = 0; i < n; i += 1) dst[dstStart + i * dstStride] = src[srcStart + i * srcStride] ?? 0;
    return;
  }
  if (m < n) {
    // Destination pixel j covers source interval [j·n/m, (j+1)·n/m).
    const ratio = n / m;
    for (let j = 0; j < m; j += 1) {
      const a = j * ratio;
      const b = a + ratio;
      let sum = 0;
      for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i += 1) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        sum += overlap * (src[srcStart + i * srcStride] ?? 0);
      }
      dst[dstStart + j * dstStride] = sum / ratio;
    }
    return;
  }
  // Growing: pixel centres aligned (as sharp and PIL do), clamped at the edges.
  const ratio = n / m;
  for (let j = 0; j < m; j += 1) {
    const pos = Math.min(n - 1, Math.max(0, (j + 0.5) * ratio - 0.5));
    const i = Math.floor(pos);
    const t = pos - i;
    const a = src[srcStart + i * srcStride] ?? 0;
    const b = src[srcStart + Math.min(n - 1, i + 1) * srcStride] ?? 0;
    dst[dstStart + j * dstStride] = a + (b - a) * t;
  }
}
