/** Renders a 28×28 dataset garment as a casual photo (RGB pixels) under given conditions; pure JS, deterministic. */
import type { RawImage } from '../framework/image/index.ts';
import { boxBlurInPlace } from '../apps/fashion-mnist/background.ts';
import { seededRandom } from './data.ts';
import type { PhotoConditions } from './photo-conditions.ts';

const S = 28;
/** Dataset values above this are fully covered by the garment (see renderCasualPhoto). */
const EDGE = 64;
const FAINT = 40;

/**
 * Smooth value noise in [0, 1] over the canvas: a random lattice with `cells` cells across the
 * shorter side, interpolated with a smoothstep (written as plain loops: closures per pixel made
 * a 100 px render take 15 ms instead of 1–2 ms).
 */
function noiseField(rand: () => number, cells: number, w: number, h: number, short: number): Float32Array {
  const nx = Math.ceil((cells * w) / short) + 2;
  const ny = Math.ceil((cells * h) / short) + 2;
  const lattice = new Float32Array(nx * ny);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rand();
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = ((y + 0.5) * cells) / short;
    const iy = Math.floor(fy);
    const ty = fy - iy;
    const sy = ty * ty * (3 - 2 * ty);
    for (let x = 0; x < w; x++) {
      const fx = ((x + 0.5) * cells) / short;
      const ix = Math.floor(fx);
      const tx = fx - ix;
      const sx = tx * tx * (3 - 2 * tx);
      const o = iy * nx + ix;
      const top = lattice[o]! + (lattice[o + 1]! - lattice[o]!) * sx;
      const bottom = lattice[o + nx]! + (lattice[o + nx + 1]! - lattice[o + nx]!) * sx;
      out[y * w + x] = top + (bottom - top) * sy;
    }
  }
  return out;
}

/** Surface pattern per pixel: 0 = first colour, 1 = second (for plain surfaces: how much darker). */
function surfacePattern(c: PhotoConditions, rand: () => number, w: number, h: number): Float32Array {
  const short = Math.min(w, h);
  const cos = Math.cos(c.angle);
  const sin = Math.sin(c.angle);
  const out = new Float32Array(w * h);
  const fill = (f: (u: number, v: number, i: number) => number) => {
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = f((x + 0.5) / short, (y + 0.5) / short, y * w + x);
  };
  if (c.background === 'gradient') {
    fill((u, v) => Math.max(0, Math.min(1, 0.5 + (u - 0.5) * cos + (v - 0.5) * sin)));
  } else if (c.background === 'wood') {
    // Grain: rings along one axis, bent by low-frequency noise, with fine streaks.
    const warp = noiseField(rand, 3, w, h, short);
    const streak = noiseField(rand, 30, w, h, short);
    fill((u, v, i) => {
      const ring = 0.5 + 0.5 * Math.sin(2 * Math.PI * (c.frequency * (-u * sin + v * cos) + 1.5 * warp[i]!));
      return Math.max(0, Math.min(1, 0.75 * ring * ring * ring + 0.3 * streak[i]!));
    });
  } else if (c.background === 'fabric') {
    // Weave: a fine over/under grid, with a coarse stripe or check half the time.
    const stripes = rand() < 0.5 ? c.frequency / 6 : 0;
    const fibre = noiseField(rand, 24, w, h, short);
    const f = 2 * Math.PI * c.frequency;
    fill((u, v, i) => {
      const weave = 0.5 + 0.25 * Math.sin(f * u) * Math.sin(f * v);
      const stripe = stripes > 0 && Math.sin(2 * Math.PI * stripes * (u * cos + v * sin)) > 0 ? 0.35 : 0;
      return Math.max(0, Math.min(1, weave * 0.6 + stripe + 0.3 * fibre[i]! - 0.1));
    });
  } else {
    const mottle = noiseField(rand, 6, w, h, short);
    const depth = c.background === 'mid-tone' ? 0.15 : 0.08;
    for (let i = 0; i < out.length; i++) out[i] = depth * mottle[i]!;
  }
  return out;
}

/** Three box blurs of radius r ≈ a Gaussian of σ ≈ r·0.8 (in place, one channel). */
function boxBlur(a: Float32Array, w: number, h: number, sigma: number): void {
  boxBlurInPlace(a, w, h, Math.max(1, Math.round(sigma * 1.25)), 3);
}

/** Bilinear sample of the 28×28 garment at (x, y) in its pixel units, 0 outside. */
function sample(g: Uint8Array, x: number, y: number): number {
  if (x <= -0.5 || y <= -0.5 || x >= S + 0.5 || y >= S + 0.5) return 0;
  const x0 = Math.floor(x - 0.5);
  const y0 = Math.floor(y - 0.5);
  const tx = x - 0.5 - x0;
  const ty = y - 0.5 - y0;
  const inX0 = x0 >= 0;
  const inX1 = x0 + 1 < S;
  const r0 = y0 >= 0 ? y0 * S : -1;
  const r1 = y0 + 1 < S ? (y0 + 1) * S : -1;
  const p00 = r0 >= 0 && inX0 ? g[r0 + x0]! : 0;
  const p10 = r0 >= 0 && inX1 ? g[r0 + x0 + 1]! : 0;
  const p01 = r1 >= 0 && inX0 ? g[r1 + x0]! : 0;
  const p11 = r1 >= 0 && inX1 ? g[r1 + x0 + 1]! : 0;
  const top = p00 + (p10 - p00) * tx;
  return top + (p01 + (p11 - p01) * tx - top) * ty;
}

/** 3×3 maximum of a 28×28 image: the garment's darkness just inside its anti-aliased edge. */
function dilate(g: Uint8Array): Uint8Array {
  const out = new Uint8Array(S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      let m = 0;
      for (let j = Math.max(0, y - 1); j <= Math.min(S - 1, y + 1); j++) for (let i = Math.max(0, x - 1); i <= Math.min(S - 1, x + 1); i++) m = Math.max(m, g[j * S + i]!);
      out[y * S + x] = m;
    }
  }
  return out;
}

/**
 * Renders `garment` (784 bytes, bright garment on black, as in the IDX files) as a casual photo.
 * The dataset image is the negative of a product photo on white, so the garment's own look is
 * `garmentColour · (1 − depth · v/255)`; its silhouette (anti-aliased edges undone) is composited
 * over the surface, which is lit (light gradient, vignetting) and shadowed, then blurred,
 * squeezed in contrast and given sensor noise. Same conditions → same pixels.
 *
 * @example
 * const photo = renderCasualPhoto(test.images.subarray(0, 784), samplePhotoConditions(seededRandom(3)));
 * photo.channels; // 3
 */
export function renderCasualPhoto(garment: Uint8Array, c: PhotoConditions): RawImage {
  const { width: w, height: h } = c;
  const n = w * h;
  const rand = seededRandom(c.pixelSeed);
  const short = Math.min(w, h);
  const pattern = surfacePattern(c, rand, w, h);

  // Garment coverage and darkness on the canvas: the inverse of scale · stretch · rotation · flip,
  // evaluated only inside the garment's bounding box. The dataset's edge pixels are the garment
  // partly over white (anti-aliasing), so an edge pixel's own darkness is its 3×3 neighbourhood's
  // darkest, and its coverage is v over that: on white this gives back 255 − v, and on any other
  // surface no light halo is left round the garment.
  const solid = dilate(garment);
  const alpha = new Float32Array(n);
  const ink = new Float32Array(n);
  const side = c.scale * short;
  const sx = (side / S) * Math.sqrt(c.stretch);
  const sy = side / S / Math.sqrt(c.stretch);
  const theta = (c.rotation * Math.PI) / 180;
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const cx = c.centreX * w;
  const cy = c.centreY * h;
  const reach = (S / 2 + 1) * Math.max(sx, sy) * Math.SQRT2;
  const flip = c.flip ? -1 : 1;
  for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(h, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(w, Math.ceil(cx + reach)); x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const gx = (flip * (dx * cos + dy * sin)) / sx + S / 2;
      const gy = (-dx * sin + dy * cos) / sy + S / 2;
      const v = sample(garment, gx, gy);
      if (v <= 0) continue;
      const m = Math.max(v, sample(solid, gx, gy));
      // The floor keeps the dataset's faint isolated specks (v < ~20) from becoming solid dots.
      alpha[y * w + x] = Math.min(1, v / Math.max(FAINT, Math.min(m, EDGE)));
      ink[y * w + x] = (v >= EDGE ? v : m) / 255;
    }
  }
  let shadow: Float32Array | undefined;
  if (c.shadow > 0) {
    shadow = new Float32Array(n);
    const ox = Math.round(c.shadowDx * side);
    const oy = Math.round(c.shadowDy * side);
    for (let y = Math.max(0, oy); y < Math.min(h, h + oy); y++) {
      shadow.set(alpha.subarray((y - oy) * w + Math.max(0, -ox), (y - oy) * w + Math.min(w, w - ox)), y * w + Math.max(0, ox));
    }
    boxBlur(shadow, w, h, c.shadowBlur * side);
  }

  const rgb = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const [a, b] = c.colours;
  const lc = Math.cos(c.lightAngle);
  const ls = Math.sin(c.lightAngle);
  const blend = c.background !== 'plain' && c.background !== 'mid-tone';
  for (let k = 0; k < 3; k++) {
    const out = rgb[k]!;
    const ak = a[k]!;
    const bk = b[k]!;
    const gk = c.garmentColour[k]!;
    for (let y = 0; y < h; y++) {
      const py = (y + 0.5) / h - 0.5;
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const t = pattern[i]!;
        const px = (x + 0.5) / w - 0.5;
        const light = Math.max(0.05, 1 + c.lightGradient * (px * lc + py * ls) * 2 - c.vignette * 2 * (px * px + py * py));
        const dark = shadow === undefined ? 1 : 1 - c.shadow * Math.min(1, shadow[i]! * 1.5);
        const al = alpha[i]!;
        const ground = blend ? ak + (bk - ak) * t : ak * (1 - t);
        out[i] = ((1 - al) * ground * dark + al * gk * (1 - c.garmentDepth * ink[i]!)) * light;
      }
    }
  }
  if (c.blur > 0) for (const ch of rgb) boxBlur(ch, w, h, c.blur * short);
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) {
      let value = rgb[k]![i]!;
      if (c.contrast < 1) value = 128 + (value - 128) * c.contrast;
      // Sum of three uniforms: close enough to a Gaussian for noise, and 3× cheaper than Box–Muller.
      if (c.noise > 0) value += (rand() + rand() + rand() - 1.5) * 2 * c.noise;
      data[i * 3 + k] = Math.max(0, Math.min(255, Math.round(value)));
    }
  }
  return { data, width: w, height: h, channels: 3 };
}
