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
  const channels = planes.length;
  // The frame's pixels in raster order (whole rows at the top and bottom, `t` pixels at each end
  // of the rows between), each with its design-matrix row [1, x, y, x², xy, y²] at the pixel's
  // centre: the matrix is the same for every channel, so it is computed once.
  const n = w * h - Math.max(0, w - 2 * t) * Math.max(0, h - 2 * t);
  const rows = new Float64Array(n * TERMS);
  const values = new Float64Array(n * channels);
  let k = 0;
  for (let y = 0; y < h; y++) {
    const ny = (y + 0.5) / h - 0.5;
    const whole = y < t || y >= h - t || w <= 2 * t;
    // Whole rows at the top and bottom; `t` pixels at each end of the rows between.
    for (let x = 0; x < w; x = whole || x !== t - 1 ? x + 1 : w - t) {
      const nx = (x + 0.5) / w - 0.5;
      const o = k * TERMS;
      rows[o] = 1;
      rows[o + 1] = nx;
      rows[o + 2] = ny;
      rows[o + 3] = nx * nx;
      rows[o + 4] = nx * ny;
      rows[o + 5] = ny * ny;
      const i = y * w + x;
      for (let c = 0; c < channels; c++) values[k * channels + c] = planes[c]![i]!;
      k++;
    }
  }
  const inlier = new Uint8Array(n).fill(1);
  const res = new Float64Array(n);
  const scratch = new Float64Array(n);
  // Start from the border's median colour, not a fit to all of it: a garment that fills most of
  // the frame (a T-shirt enlarged edge to edge) would otherwise pull the first fit onto itself
  // (correlation with the dataset image 0.78 against 0.98 from the median).
  let coef: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    for (let k = 0; k < n; k++) scratch[k] = values[k * channels + c]!;
    const start = new Float64Array(TERMS);
    start[0] = select(scratch, rank(n, 0.5), 0, n - 1);
    coef.push(start);
  }
  let spread = 0;
  for (let round = 0; round < 3; round++) {
    residuals(coef, rows, values, channels, res);
    // The median alone is 0 on a two-tone weave (half the border fits exactly, half is off by the
    // weave's contrast); half the mean of the lower 80 % sees the weave without seeing a garment
    // that covers a fifth of the border.
    // Two order statistics of the residuals (the quantiles `quantile` would give), by selection
    // rather than sorting: the 80 % one first, then the median among the values below it.
    scratch.set(res);
    const q80 = select(scratch, rank(n, 0.8), 0, n - 1);
    const q50 = select(scratch, rank(n, 0.5), 0, rank(n, 0.8));
    let sum = 0;
    let count = 0;
    for (let k = 0; k < n; k++) {
      const r = res[k]!;
      if (r <= q80) {
        sum += r;
        count++;
      }
    }
    spread = Math.max(q50, count ? (0.5 * sum) / count : 0);
    const cut = Math.max(3 * spread, 4);
    for (let k = 0; k < n; k++) inlier[k] = res[k]! <= cut ? 1 : 0;
    coef = fitInliers(rows, values, channels, inlier);
  }
  const field = coef.map((k) => evaluateField(k, w, h));
  return { field: { planes: field, width: w, height: h }, spread };
}

/** A channel's quadratic field at every pixel centre (x and y from −0.5 to 0.5, as in the fit's design matrix). */
function evaluateField(k: Float64Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const k0 = k[0]!, k1 = k[1]!, k2 = k[2]!, k3 = k[3]!, k4 = k[4]!, k5 = k[5]!;
  for (let y = 0; y < h; y++) {
    const ny = (y + 0.5) / h - 0.5;
    const yy = ny * ny;
    for (let x = 0; x < w; x++) {
      const nx = (x + 0.5) / w - 0.5;
      out[y * w + x] = k0 + k1 * nx + k2 * ny + k3 * (nx * nx) + k4 * (nx * ny) + k5 * yy;
    }
  }
  return out;
}

/**
 * Least squares over the inlying frame pixels, per channel (normal equations, a small ridge).
 * Every sum adds its terms in frame order, as the first version of this fit did: the results are
 * the same to the bit (preprocess-equivalence.test.ts).
 */
function fitInliers(rows: Float64Array, values: Float64Array, channels: number, inlier: Uint8Array): Float64Array[] {
  const n = inlier.length;
  // The 21 distinct sums of AᵀA in locals (the matrix is symmetric).
  let a00 = 0, a01 = 0, a02 = 0, a03 = 0, a04 = 0, a05 = 0;
  let a11 = 0, a12 = 0, a13 = 0, a14 = 0, a15 = 0;
  let a22 = 0, a23 = 0, a24 = 0, a25 = 0;
  let a33 = 0, a34 = 0, a35 = 0;
  let a44 = 0, a45 = 0;
  let a55 = 0;
  const atb = new Float64Array(channels * TERMS);
  let used = 0;
  for (let k = 0; k < n; k++) {
    if (!inlier[k]) continue;
    used++;
    const o = k * TERMS;
    const t0 = rows[o]!, t1 = rows[o + 1]!, t2 = rows[o + 2]!, t3 = rows[o + 3]!, t4 = rows[o + 4]!, t5 = rows[o + 5]!;
    a00 += t0 * t0; a01 += t0 * t1; a02 += t0 * t2; a03 += t0 * t3; a04 += t0 * t4; a05 += t0 * t5;
    a11 += t1 * t1; a12 += t1 * t2; a13 += t1 * t3; a14 += t1 * t4; a15 += t1 * t5;
    a22 += t2 * t2; a23 += t2 * t3; a24 += t2 * t4; a25 += t2 * t5;
    a33 += t3 * t3; a34 += t3 * t4; a35 += t3 * t5;
    a44 += t4 * t4; a45 += t4 * t5;
    a55 += t5 * t5;
    const v = k * channels;
    for (let c = 0; c < channels; c++) {
      const value = values[v + c]!;
      const b = c * TERMS;
      atb[b] = atb[b]! + t0 * value;
      atb[b + 1] = atb[b + 1]! + t1 * value;
      atb[b + 2] = atb[b + 2]! + t2 * value;
      atb[b + 3] = atb[b + 3]! + t3 * value;
      atb[b + 4] = atb[b + 4]! + t4 * value;
      atb[b + 5] = atb[b + 5]! + t5 * value;
    }
  }
  // A little ridge keeps the quadratic terms tame when the frame is thin or mostly rejected.
  const ridge = 1e-3 * used;
  const ata = Float64Array.of(
    a00, a01, a02, a03, a04, a05,
    a01, a11 + ridge, a12, a13, a14, a15,
    a02, a12, a22 + ridge, a23, a24, a25,
    a03, a13, a23, a33 + ridge, a34, a35,
    a04, a14, a24, a34, a44 + ridge, a45,
    a05, a15, a25, a35, a45, a55 + ridge,
  );
  return Array.from({ length: channels }, (_, c) => solve(ata, atb.subarray(c * TERMS, (c + 1) * TERMS)));
}

/** Each frame pixel's RMS colour distance from the fitted field, into `out`. */
function residuals(coef: Float64Array[], rows: Float64Array, values: Float64Array, channels: number, out: Float64Array): void {
  if (channels === 3) {
    // The app's case, the coefficients in locals; the same sums in the same order.
    const [p, q, s] = coef as [Float64Array, Float64Array, Float64Array];
    const p0 = p[0]!, p1 = p[1]!, p2 = p[2]!, p3 = p[3]!, p4 = p[4]!, p5 = p[5]!;
    const q0 = q[0]!, q1 = q[1]!, q2 = q[2]!, q3 = q[3]!, q4 = q[4]!, q5 = q[5]!;
    const s0 = s[0]!, s1 = s[1]!, s2 = s[2]!, s3 = s[3]!, s4 = s[4]!, s5 = s[5]!;
    for (let k = 0; k < out.length; k++) {
      const o = k * TERMS;
      const t0 = rows[o]!, t1 = rows[o + 1]!, t2 = rows[o + 2]!, t3 = rows[o + 3]!, t4 = rows[o + 4]!, t5 = rows[o + 5]!;
      let a = 0;
      a += p0 * t0; a += p1 * t1; a += p2 * t2; a += p3 * t3; a += p4 * t4; a += p5 * t5;
      let b = 0;
      b += q0 * t0; b += q1 * t1; b += q2 * t2; b += q3 * t3; b += q4 * t4; b += q5 * t5;
      let c = 0;
      c += s0 * t0; c += s1 * t1; c += s2 * t2; c += s3 * t3; c += s4 * t4; c += s5 * t5;
      let d2 = 0;
      d2 += (values[k * 3]! - a) ** 2;
      d2 += (values[k * 3 + 1]! - b) ** 2;
      d2 += (values[k * 3 + 2]! - c) ** 2;
      out[k] = Math.sqrt(d2 / 3);
    }
    return;
  }
  for (let k = 0; k < out.length; k++) {
    let d2 = 0;
    for (let c = 0; c < channels; c++) {
      const q = coef[c]!;
      const o = k * TERMS;
      let f = 0;
      for (let r = 0; r < TERMS; r++) f += q[r]! * rows[o + r]!;
      d2 += (values[k * channels + c]! - f) ** 2;
    }
    out[k] = Math.sqrt(d2 / channels);
  }
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
  const channels = img.planes.length;
  if (channels === 3) {
    // The app's case (RGB) without the inner loop; the same sums in the same order.
    const [r, g, b] = img.planes as [Float32Array, Float32Array, Float32Array];
    const [fr, fg, fb] = field.planes as [Float32Array, Float32Array, Float32Array];
    for (let i = 0; i < n; i++) {
      let d2 = (r[i]! - fr[i]!) ** 2;
      d2 += (g[i]! - fg[i]!) ** 2;
      d2 += (b[i]! - fb[i]!) ** 2;
      out[i] = Math.sqrt(d2 / 3);
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let c = 0; c < channels; c++) d2 += (img.planes[c]![i]! - field.planes[c]![i]!) ** 2;
    out[i] = Math.sqrt(d2 / channels);
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
  for (let y = 0; y < h; y++) blurLine(a, tmp, y * w, 1, w, r, passes);
  for (let x = 0; x < w; x++) blurLine(a, tmp, x, w, h, r, passes);
}

/** `passes` running-sum box blurs of one row or column (`n` values `stride` apart), edges clamped. */
function blurLine(a: Float32Array, tmp: Float32Array, start: number, stride: number, n: number, r: number, passes: number): void {
  const last = n - 1;
  const width = 2 * r + 1;
  for (let pass = 0; pass < passes; pass++) {
    let sum = 0;
    for (let i = -r; i <= r; i++) sum += a[start + (i < 0 ? 0 : i > last ? last : i) * stride]!;
    for (let i = 0; i < n; i++) {
      tmp[i] = sum / width;
      const enter = i + r + 1 < last ? i + r + 1 : last;
      const leave = i - r > 0 ? i - r : 0;
      sum += a[start + enter * stride]! - a[start + leave * stride]!;
    }
    for (let i = 0; i < n; i++) a[start + i * stride] = tmp[i]!;
  }
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
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (max <= 0) return 0;
  const bins = 256;
  const hist = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) hist[Math.min(bins - 1, Math.floor((values[i]! / max) * bins))]! += 1;
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
  return sorted[rank(sorted.length, q)]!;
}

/** The index of the `q`-quantile (nearest rank) among `n` sorted values. */
function rank(n: number, q: number): number {
  return Math.min(n - 1, Math.floor(q * (n - 1)));
}

/**
 * The `k`-th smallest of `a[lo..hi]` (Wirth's selection; reorders that range so that every value
 * before index k is ≤ it and every value after is ≥): what sorting and indexing would give, in
 * linear time. For finite values (no NaN), as the background fit has.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  let l = lo;
  let r = hi;
  while (l < r) {
    const x = a[k]!;
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
  return a[k]!;
}
