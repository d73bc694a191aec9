/** Pixel effects on raw RGB images, in plain TypeScript: small, dependency-free and thread-safe. */
import type { RawImage } from 'vitrine';

export const EFFECTS = ['blur', 'pixelate', 'sepia', 'grayscale', 'invert', 'posterize'] as const;
export type Effect = (typeof EFFECTS)[number];

/**
 * Applies `effect` at `strength` (0–1) to an RGB image and returns a new image.
 *
 * @example
 * const out = applyEffect({ data, width, height, channels: 3 }, 'sepia', 0.8);
 */
export function applyEffect(img: RawImage, effect: Effect, strength: number): RawImage {
  if (img.channels !== 3) throw new Error(`applyEffect expects RGB (3 channels), got ${img.channels}`);
  const s = Math.min(1, Math.max(0, strength));
  const out = new Uint8Array(img.data.length);
  switch (effect) {
    case 'blur':
      return { ...img, data: boxBlur(img, Math.round(s * Math.max(1, Math.min(img.width, img.height) / 40))) };
    case 'pixelate':
      return { ...img, data: pixelate(img, s === 0 ? 1 : Math.max(2, Math.round((s * Math.min(img.width, img.height)) / 16))) };
    case 'sepia':
    case 'grayscale':
    case 'invert':
    case 'posterize':
      for (let i = 0; i < img.data.length; i += 3) {
        const [r, g, b] = [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
        const [nr, ng, nb] = tone(effect, r, g, b, s);
        // Posterize expresses strength as its number of levels; the others blend with the original.
        const t = effect === 'posterize' ? 1 : s;
        out[i] = mix(r, nr, t);
        out[i + 1] = mix(g, ng, t);
        out[i + 2] = mix(b, nb, t);
      }
      return { ...img, data: out };
  }
}

function mix(a: number, b: number, t: number): number {
  return Math.round(a + (b - a) * t);
}

function tone(effect: 'sepia' | 'grayscale' | 'invert' | 'posterize', r: number, g: number, b: number, s: number): [number, number, number] {
  const grey = 0.299 * r + 0.587 * g + 0.114 * b;
  if (effect === 'grayscale') return [grey, grey, grey];
  if (effect === 'invert') return [255 - r, 255 - g, 255 - b];
  if (effect === 'posterize') {
    // Levels per channel fall from 256 (no change) to 2 as strength grows.
    const levels = Math.round(256 - s * 254);
    const q = (v: number) => Math.round((Math.round((v / 255) * (levels - 1)) / (levels - 1)) * 255);
    return [q(r), q(g), q(b)];
  }
  return [Math.min(255, 0.393 * r + 0.769 * g + 0.189 * b), Math.min(255, 0.349 * r + 0.686 * g + 0.168 * b), Math.min(255, 0.272 * r + 0.534 * g + 0.131 * b)];
}

/** Separable box blur: two passes of a running sum, O(pixels) whatever the radius. */
function boxBlur(img: RawImage, radius: number): Uint8Array {
  if (radius < 1) return img.data.slice();
  const { width: w, height: h } = img;
  const tmp = new Uint8Array(img.data.length);
  const out = new Uint8Array(img.data.length);
  const pass = (src: Uint8Array, dst: Uint8Array, lines: number, len: number, idx: (line: number, k: number) => number) => {
    for (let line = 0; line < lines; line++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let count = 0;
        for (let k = 0; k <= Math.min(radius, len - 1); k++) {
          sum += src[idx(line, k) + c]!;
          count++;
        }
        for (let k = 0; k < len; k++) {
          dst[idx(line, k) + c] = Math.round(sum / count);
          const add = k + radius + 1;
          const drop = k - radius;
          if (add < len) {
            sum += src[idx(line, add) + c]!;
            count++;
          }
          if (drop >= 0) {
            sum -= src[idx(line, drop) + c]!;
            count--;
          }
        }
      }
    }
  };
  pass(img.data, tmp, h, w, (y, x) => (y * w + x) * 3);
  pass(tmp, out, w, h, (x, y) => (y * w + x) * 3);
  return out;
}

function pixelate(img: RawImage, cell: number): Uint8Array {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let by = 0; by < h; by += cell) {
    for (let bx = 0; bx < w; bx += cell) {
      const sums = [0, 0, 0];
      let n = 0;
      for (let y = by; y < Math.min(h, by + cell); y++) {
        for (let x = bx; x < Math.min(w, bx + cell); x++, n++) for (let c = 0; c < 3; c++) sums[c]! += data[(y * w + x) * 3 + c]!;
      }
      for (let y = by; y < Math.min(h, by + cell); y++) {
        for (let x = bx; x < Math.min(w, bx + cell); x++) for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = Math.round(sums[c]! / n);
      }
    }
  }
  return out;
}
