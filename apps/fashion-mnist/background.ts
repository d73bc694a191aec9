/**
 * Finding the garment on any surface: a smooth colour field fitted to the picture's border, each
 * pixel's colour distance from it, and an Otsu threshold (the blobs it leaves: blobs.ts).
 */

/** A picture as float planes (one per channel), row-major. */
export interface Planes {
  planes: Float32Array[];
  width: number;
  height: number;
}

/** Number of terms of the background field: 1, x, y, x², xy, y². */
const TERMS = 6;

function terms(x: number, y: number, out: Float64Array): void {
  out[0] = 1;
  out[1] = x;
  out[2] = y;
  out[3] = x * x;
  out[4] = x * y;
  out[5] = y * y;
}

/** Solves the 6 × 6 system `a · x = b` (Gaussian elimination with partial pivoting); singular → zeros. */
function solve(a: Float64Array, b: Float64Array): Float64Array {
  const n = TERMS;
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (Math.abs(m[pivot * n + col]!) < 1e-12) continue;
    for (let k = 0; k < n; k++) [m[col * n + k], m[pivot * n + k]] = [m[pivot * n + k]!, m[col * n + k]!];
    [x[col], x[pivot]] = [x[pivot]!, x[col]!];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r * n + col]! / m[col * n + col]!;
      if (f === 0) continue;
      for (let k = col; k < n; k++) m[r * n + k] = m[r * n + k]! - f * m[col * n + k]!;
      x[r] = x[r]! - f * x[col]!;
    }
  }
  for (let r = 0; r < n; r++) x[r] = Math.abs(m[r * n + r]!) < 1e-12 ? 0 : x[r]! / m[r * n + r]!;
  return x;
}

/**
 * Fits, per channel, a colour field quadratic in x and y to the pixels of a frame `thickness`
 * wide, robustly: border pixels far from the first fit (a garment touching the edge, its shadow)
 * are dropped and the field is fitted again. Quadratic rather than a plane so gradients and
 * vignetting are modelled: on the casual set, 56 % against 43 % with a plane.
 * Returns the field evaluated everywhere, and the typical distance of the inlying border pixels
 * from it (texture and noise).
 *
 * @example
 * const { field, spread } = fitBackground(picture, 3);
 */
export function fitBackground(img: Planes, thickness: number): { field: Planes; spread: number } {
  const { width: w, height: h, planes } = img;
  const t = Math.max(1, Math.min(thickness, Math.floor(Math.min(w, h) / 3)));
  const border: number[] = [];
  for (let y = 0; y < h; y++) {
    const edgeRow = y < t || y >= h - t;
    for (let x = 0; x < w; x++) if (edgeRow || x < t || x >= w - t) border.push(y * w + x);
  }
  const n = border.length;
  const channels = planes.length;
  // The design matrix is the same for every channel: its rows are computed once (plain loops —
  // closures per pixel made this fit cost 16 ms of a 20 ms preprocessing).
  const rows = new Float64Array(n * TERMS);
  const values = new Float64Array(n * channels);
  const row = new Float64Array(TERMS);
  for (let k = 0; k < n; k++) {
    const i = border[k]!;
    terms((i % w + 0.5) / w - 0.5, (Math.floor(i / w) + 0.5) / h - 0.5, row);
    rows.set(row, k * TERMS);
    for (let c = 0; c < channels; c++) values[k * channels + c] = planes[c]![i]!;
  }
  const inlier = new Uint8Array(n).fill(1);
  const fit = (): Float64Array[] => {
    const ata = new Float64Array(TERMS * TERMS);
    const atb = Array.from({ length: channels }, () => new Float64Array(TERMS));
    let used = 0;
    for (let k = 0; k < n; k++) {
      if (!inlier[k]) continue;
      used++;
      const o = k * TERMS;
      for (let r = 0; r < TERMS; r++) {
        const tr = rows[o + r]!;
        for (let c = r; c < TERMS; c++) ata[r * TERMS + c] = ata[r * TERMS + c]! + tr * rows[o + c]!;
        for (let c = 0; c < channels; c++) atb[c]![r] = atb[c]![r]! + tr * values[k * channels + c]!;
      }
    }
    for (let r = 0; r < TERMS; r++) for (let c = 0; c < r; c++) ata[r * TERMS + c] = ata[c * TERMS + r]!;
    // A little ridge keeps the quadratic terms tame when the frame is thin or mostly rejected.
    for (let r = 1; r < TERMS; r++) ata[r * TERMS + r] = ata[r * TERMS + r]! + 1e-3 * used;
    return atb.map((b) => solve(ata, b));
  };
  const residuals = (coef: Float64Array[]) => {
    const res = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let d2 = 0;
      for (let c = 0; c < channels; c++) {
        let f = 0;
        for (let r = 0; r < TERMS; r++) f += coef[c]![r]! * rows[k * TERMS + r]!;
        d2 += (values[k * channels + c]! - f) ** 2;
      }
      res[k] = Math.sqrt(d2 / channels);
    }
    return res;
  };
  // Start from the border's median colour, not a fit to all of it: a garment that fills most of
  // the frame (a T-shirt enlarged edge to edge) would otherwise pull the first fit onto itself
  // (correlation with the dataset image 0.78 against 0.98 from the median).
  let coef: Float64Array[] = Array.from({ length: channels }, (_, c) => {
    const start = new Float64Array(TERMS);
    start[0] = quantile(Array.from({ length: n }, (_, k) => values[k * channels + c]!), 0.5);
    return start;
  });
  let spread = 0;
  for (let round = 0; round < 3; round++) {
    const res = residuals(coef);
    // The median alone is 0 on a two-tone weave (half the border fits exactly, half is off by the
    // weave's contrast); half the mean of the lower 80 % sees the weave without seeing a garment
    // that covers a fifth of the border.
    const q80 = quantile(res, 0.8);
    let sum = 0;
    let count = 0;
    for (const r of res) {
      if (r <= q80) {
        sum += r;
        count++;
      }
    }
    spread = Math.max(quantile(res, 0.5), count ? (0.5 * sum) / count : 0);
    const cut = Math.max(3 * spread, 4);
    for (let k = 0; k < n; k++) inlier[k] = res[k]! <= cut ? 1 : 0;
    coef = fit();
  }
  const field = Array.from({ length: channels }, () => new Float32Array(w * h));
  for (let y = 0; y < h; y++) {
    const ny = (y + 0.5) / h - 0.5;
    for (let x = 0; x < w; x++) {
      terms((x + 0.5) / w - 0.5, ny, row);
      for (let c = 0; c < channels; c++) {
        const k = coef[c]!;
        field[c]![y * w + x] = k[0]! + k[1]! * row[1]! + k[2]! * row[2]! + k[3]! * row[3]! + k[4]! * row[4]! + k[5]! * row[5]!;
      }
    }
  }
  return { field: { planes: field, width: w, height: h }, spread };
}

/**
 * Euclidean colour distance of every pixel from the background field.
 *
 * @example
 * const d = colourDistance(picture, field); // Float32Array, one value per pixel
 */
export function colourDistance(img: Planes, field: Planes): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let c = 0; c < img.planes.length; c++) d2 += (img.planes[c]![i]! - field.planes[c]![i]!) ** 2;
    out[i] = Math.sqrt(d2 / img.planes.length);
  }
  return out;
}

/**
 * Box blur of radius `r` (two passes ≈ a tent), edges clamped; returns a new plane.
 *
 * @example
 * const smooth = boxBlur(plane, 112, 84, 2);
 */
export function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const a = Float32Array.from(src);
  if (r >= 1) boxBlurInPlace(a, w, h, r, 2);
  return a;
}

/**
 * `passes` box blurs of radius `r` over one channel, in place (rows, then columns; edges clamped):
 * two approach a tent, three a Gaussian of σ ≈ 0.8·r. The photo renderer uses it too.
 *
 * @example
 * boxBlurInPlace(plane, 112, 112, 3, 3);
 */
export function boxBlurInPlace(a: Float32Array, w: number, h: number, r: number, passes: number): void {
  const tmp = new Float32Array(Math.max(w, h));
  const line = (start: number, stride: number, n: number) => {
    for (let pass = 0; pass < passes; pass++) {
      let sum = 0;
      for (let i = -r; i <= r; i++) sum += a[start + Math.max(0, Math.min(n - 1, i)) * stride]!;
      for (let i = 0; i < n; i++) {
        tmp[i] = sum / (2 * r + 1);
        sum += a[start + Math.min(n - 1, i + r + 1) * stride]! - a[start + Math.max(0, i - r) * stride]!;
      }
      for (let i = 0; i < n; i++) a[start + i * stride] = tmp[i]!;
    }
  };
  for (let y = 0; y < h; y++) line(y * w, 1, w);
  for (let x = 0; x < w; x++) line(x, w, h);
}

/**
 * Otsu's threshold of non-negative values: the level that best splits them into two classes
 * (maximum between-class variance), over a 256-bin histogram from 0 to the maximum.
 *
 * @example
 * otsuThreshold(Float32Array.from([1, 2, 1, 90, 95])); // between 2 and 90
 */
export function otsuThreshold(values: Float32Array): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  if (max <= 0) return 0;
  const bins = 256;
  const hist = new Float64Array(bins);
  for (const v of values) hist[Math.min(bins - 1, Math.floor((v / max) * bins))]! += 1;
  let total = 0;
  let sumAll = 0;
  for (let b = 0; b < bins; b++) {
    total += hist[b]!;
    sumAll += b * hist[b]!;
  }
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let bestVar = -1;
  for (let b = 0; b < bins; b++) {
    w0 += hist[b]!;
    sum0 += b * hist[b]!;
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const between = w0 * w1 * (sum0 / w0 - (sumAll - sum0) / w1) ** 2;
    if (between > bestVar) {
      bestVar = between;
      best = b;
    }
  }
  return ((best + 1) / bins) * max;
}

/**
 * The `q`-quantile of some numbers (nearest rank).
 *
 * @example
 * quantile([3, 1, 2], 0.5); // 2
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))]!;
}
