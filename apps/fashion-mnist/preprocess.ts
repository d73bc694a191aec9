/**
 * Turns any clothing picture into the model's input: a 28×28 grey garment, bright on black,
 * cropped and centred the way the Fashion-MNIST images were made — on any surface.
 */
import { toMode, type RawImage } from 'vitrine';
import { boxBlur, colourDistance, fitBackground, otsuThreshold, quantile, type Planes } from './background.ts';
import { growMask, largestBlobs } from './blobs.ts';
import { place, resample, SIDE, unsharp } from './resample.ts';

export { resample, SIDE };
const PIXELS = SIDE * SIDE;

/** Knobs of the pipeline; the defaults are what `npm run bench:casual -- --in-process` was tuned with (tuning seed, not the benchmark's). */
export interface PreprocessOptions {
  /** Pictures are first shrunk (area average) so their longest side is at most this. The app decodes at ≤ 112 px and training renders at that size; direct callers with larger pictures keep more detail (a staged photo at 112: correlation with the dataset image 0.896, at 224: see preprocess.test.ts). */
  workingSide: number;
  /** Width of the border frame the background is fitted to, as a fraction of the shorter side. */
  borderFraction: number;
  /** Radius of the blur that removes surface texture before thresholding, as a fraction of the shorter side. */
  blurFraction: number;
  /** Blobs at least this share of the largest one count as garment too (straps, handles). */
  minBlobShare: number;
  /** On a clean surface the garment grows from its blobs into connected pixels above this fraction of the threshold (faint straps and sleeves). */
  growFraction: number;
  /** Below this border spread (8-bit levels) the surface counts as clean (see step 2). */
  cleanSpread: number;
  /** Unsharp-mask amount applied to the 28 × 28 result (0 = off); the dataset's pipeline sharpened after resizing. */
  sharpen: number;
}

/** The tuned defaults. */
export const DEFAULT_PREPROCESS_OPTIONS: PreprocessOptions = Object.freeze({
  workingSide: 224,
  borderFraction: 0.05,
  blurFraction: 0.02,
  minBlobShare: 0.05,
  growFraction: 0.15,
  cleanSpread: 1.5,
  sharpen: 0.5,
});

/** What the pipeline decided about a picture, for tests, debugging and the page's "what the model saw". */
export interface PreprocessReport {
  /** True when the picture was already in the dataset's form and was used as it is. */
  passthrough: boolean;
  /** Mean background colour (0–255 per channel) and the spread of the border around the fitted field (texture, noise). */
  background: number[];
  spread: number;
  /** The threshold on the colour distance that separated garment from background. */
  threshold: number;
  /** The garment's bounding box in the working image, or null when nothing stands out. */
  box: { x: number; y: number; width: number; height: number } | null;
  /** Working-image pixels per input pixel (1 unless the input was larger than `workingSide`). */
  workingScale: number;
  /** The model input: 784 values in [0, 1]. */
  tensor: Float32Array;
}

/**
 * Prepares a picture for the Fashion-MNIST model: 784 floats in [0, 1], row-major 28 × 28, bright
 * garment on black — the IDX bytes / 255 contract the model was trained on.
 *
 * A picture already in the dataset's form (28 × 28, dark border) is used as is. Any other picture
 * is shrunk to ≤ 112 px; a colour field quadratic in x and y is fitted to its border (so a wooden
 * table, a gradient, vignetting or uneven light become "background"); every pixel's colour
 * distance from that field is the garment signal — the dataset is the negative of product photos
 * on white, i.e. each pixel's distance from white. Texture is blurred away before an Otsu
 * threshold picks the garment's pixels; the largest blobs give the crop, which is fitted so its
 * longest side is 28, centred with the dataset's margin rule, lightly sharpened and stretched so
 * its brightest pixel is 1 (the dataset's images all reach 254–255). Never throws on a valid
 * RawImage: a blank or 1×1 picture gives an all-zero tensor.
 *
 * @example
 * const x = preprocessForFashionMnist(await decodeImage(bytes, { field: 'image', mode: 'RGB' }));
 * model.predict(tf.tensor4d(x, [1, 28, 28, 1]));
 */
export function preprocessForFashionMnist(img: RawImage, options: Partial<PreprocessOptions> = {}): Float32Array {
  return analyseForFashionMnist(img, options).tensor;
}

/**
 * The same pipeline, also reporting what it decided (background, threshold, bounding box).
 *
 * @example
 * analyseForFashionMnist(photo).box; // { x: 20, y: 8, width: 60, height: 90 }
 */
export function analyseForFashionMnist(img: RawImage, options: Partial<PreprocessOptions> = {}): PreprocessReport {
  const opts = { ...DEFAULT_PREPROCESS_OPTIONS, ...options };
  // Already in the model's input form (28 × 28, dark border): used as is. Re-fitting would only
  // hurt — about 2 % of the test images have a garment narrower than 28 px or centred one pixel
  // off, 0.2 % fill most of the border, and the model has learned them that way (−0.09 points).
  if (img.width === SIDE && img.height === SIDE) {
    const grey = toMode(img, 'L').data;
    const border: number[] = [];
    for (let i = 0; i < SIDE; i++) border.push(grey[i]!, grey[(SIDE - 1) * SIDE + i]!, grey[i * SIDE]!, grey[i * SIDE + SIDE - 1]!);
    if (quantile(border, 0.5) <= 127) {
      return { passthrough: true, background: [0], spread: 0, threshold: 0, box: { x: 0, y: 0, width: SIDE, height: SIDE }, workingScale: 1, tensor: Float32Array.from(grey, (v) => v / 255) };
    }
  }
  const picture = workingPlanes(img, opts.workingSide);
  const { width: w, height: h } = picture;
  const short = Math.min(w, h);
  const workingScale = w / img.width;
  const empty = (background: number[], spread: number, threshold: number): PreprocessReport => ({
    passthrough: false,
    background,
    spread,
    threshold,
    box: null,
    workingScale,
    tensor: new Float32Array(PIXELS),
  });

  // 1. Background: a smooth colour field fitted to the border; the garment is what differs from it.
  const { field, spread } = fitBackground(picture, Math.max(1, Math.round(short * opts.borderFraction)));
  const background = field.planes.map(mean);
  const distance = colourDistance(picture, field);

  // 2. Texture and noise blurred away, then Otsu's threshold — never below the border's own spread,
  //    so a blank surface does not yield a garment made of wood grain.
  const radius = Math.max(1, Math.round(short * opts.blurFraction));
  const smooth = boxBlur(distance, w, h, radius);
  const threshold = Math.max(otsuThreshold(smooth), 2.5 * spread, 4);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < mask.length; i++) mask[i] = smooth[i]! > threshold ? 1 : 0;
  const blobs = largestBlobs(mask, w, h, opts.minBlobShare);
  if (blobs === null) return empty(background, spread, threshold);
  // On a clean surface (border spread under `cleanSpread` levels: studio photos, dataset-like
  // pictures) the garment grows freely down to a fraction of the threshold, recovering faint
  // edges; on texture or noise it only grows a few pixels and only above the threshold, or it
  // would spread along the grain (tuning seed 77: 62.3 % against 59.3 % with the clean rule).
  const clean = spread < opts.cleanSpread;
  const box = clean
    ? growMask(blobs.mask, distance, w, h, Math.max(opts.growFraction * threshold, 3 * spread, 4), Infinity)
    : growMask(blobs.mask, distance, w, h, threshold, radius + 1);

  // 3. The garment signal inside the crop: distance above the surface's own spread, kept only
  //    near the garment's blobs (the blur moved their edges by up to `radius`).
  const garment = new Float32Array(w * h);
  for (let i = 0; i < garment.length; i++) garment[i] = blobs.mask[i]!;
  const near = boxBlur(garment, w, h, radius);
  const crop = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const i = (box.y + y) * w + box.x + x;
      crop[y * box.width + x] = near[i]! > 0 ? Math.max(0, distance[i]! - spread) : 0;
    }
  }

  // 4. Longest side to 28 (aspect kept), centred with the dataset's whole-pixel margin rule
  //    (measured on the test set: a garment of width w starts at column ceil((28 − w) / 2)).
  const scale = SIDE / Math.max(box.width, box.height);
  const margin = (extent: number) => Math.ceil((SIDE - extent * scale) / 2 - 1e-6);
  let fitted = place(crop, box.width, box.height, scale, margin(box.width), margin(box.height));
  if (opts.sharpen > 0) fitted = unsharp(fitted, opts.sharpen);
  let max = 0;
  for (const v of fitted) if (v > max) max = v;
  if (max <= 0) return empty(background, spread, threshold);
  const tensor = Float32Array.from(fitted, (v) => Math.min(1, v / max));
  return { passthrough: false, background, spread, threshold, box, workingScale, tensor };
}

/**
 * The model's input as a picture (28×28 grey, 0–255), for showing what the model saw.
 *
 * @example
 * seenImage(preprocessForFashionMnist(photo)); // { width: 28, height: 28, channels: 1, data }
 */
export function seenImage(tensor: Float32Array): RawImage {
  return { data: Uint8Array.from(tensor, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255)), width: SIDE, height: SIDE, channels: 1 };
}

/** The mean of a plane, summed in order (as `reduce` did, without its call per value). */
function mean(plane: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < plane.length; i++) sum += plane[i]!;
  return sum / plane.length;
}

/** The picture as float RGB planes (alpha flattened on white, grey replicated), shrunk to at most `side` px. */
function workingPlanes(img: RawImage, side: number): Planes {
  const rgb = toMode(img, 'RGB');
  let width = rgb.width;
  let height = rgb.height;
  const n = width * height;
  const data = rgb.data;
  let planes: Float32Array[] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const [r, g, b] = planes as [Float32Array, Float32Array, Float32Array];
  for (let i = 0, s = 0; i < n; i++, s += 3) {
    r[i] = data[s]!;
    g[i] = data[s + 1]!;
    b[i] = data[s + 2]!;
  }
  const longest = Math.max(width, height);
  if (longest > side) {
    const s = side / longest;
    const w = Math.max(1, Math.round(width * s));
    const h = Math.max(1, Math.round(height * s));
    planes = planes.map((p) => resample(p, width, height, w, h));
    width = w;
    height = h;
  }
  return { planes, width, height };
}
