/**
 * Shrinking 8-bit pixels as libvips does for sharp's resize, in plain JavaScript: the browser
 * decoder uses it so the function sees (nearly) the picture the server's sharp would give it.
 * libvips' `vips_resize` (kernel lanczos3, gap 2): a box shrink by the integer part
 * `floor(1 / (2 · scale))`, then a Lanczos-3 reduce by what is left; sharp first lets libjpeg and
 * libwebp decode JPEG and WebP at 1/2, 1/4 or 1/8 ("shrink-on-load"), approximated here by a box
 * average of the full decode.
 */
import type { RawImage } from './types.ts';

/**
 * Resizes `img` to `width` × `height` (any channel count; alpha, if any, is treated like the
 * other channels: callers pass opaque or premultiplied pixels). `preShrink` first averages
 * boxes of that side (shrink-on-load; resize-plan.ts decides it), the size rounded down as libvips does.
 *
 * @example
 * const small = resizeLikeVips(photo, 112, 84, 4);
 */
export function resizeLikeVips(img: RawImage, width: number, height: number, preShrink = 1): RawImage {
  let out = img;
  if (preShrink > 1) out = boxShrink(out, preShrink, preShrink, Math.max(1, Math.floor(out.width / preShrink)), Math.max(1, Math.floor(out.height / preShrink)));
  if (out.width === width && out.height === height) return out;
  const hscale = width / out.width;
  const vscale = height / out.height;
  const hint = hscale >= 1 ? 1 : Math.max(1, Math.floor(1 / (hscale * 2)));
  const vint = vscale >= 1 ? 1 : Math.max(1, Math.floor(1 / (vscale * 2)));
  if (hint > 1 || vint > 1) out = boxShrink(out, hint, vint, Math.max(1, Math.round(out.width / hint)), Math.max(1, Math.round(out.height / vint)));
  out = reduce(out, width, true);
  out = reduce(out, height, false);
  return out;
}

/** Averages `fx` × `fy` boxes (clipped at the edges), rounding to nearest. */
function boxShrink(img: RawImage, fx: number, fy: number, w: number, h: number): RawImage {
  const { width, height, channels: c, data } = img;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    const y0 = y * fy;
    const y1 = Math.min(height, y0 + fy);
    for (let x = 0; x < w; x++) {
      const x0 = x * fx;
      const x1 = Math.min(width, x0 + fx);
      const n = Math.max(1, (y1 - y0) * (x1 - x0));
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += data[(yy * width + xx) * c + k]!;
        out[(y * w + x) * c + k] = Math.round(sum / n);
      }
    }
  }
  return { data: out, width: w, height: h, channels: c };
}

function lanczos3(x: number): number {
  if (x === 0) return 1;
  if (x <= -3 || x >= 3) return 0;
  const px = Math.PI * x;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

/** One axis of a Lanczos-3 resample to `size` (a reduce widens the kernel by the factor). */
function reduce(img: RawImage, size: number, horizontal: boolean): RawImage {
  const { width, height, channels: c, data } = img;
  const from = horizontal ? width : height;
  if (from === size) return img;
  const factor = from / size;
  const spread = Math.max(1, factor);
  const support = 3 * spread;
  const w = horizontal ? size : width;
  const h = horizontal ? height : size;
  const out = new Uint8Array(w * h * c);
  const other = horizontal ? height : width;
  for (let i = 0; i < size; i++) {
    const centre = (i + 0.5) * factor - 0.5;
    const first = Math.max(0, Math.ceil(centre - support));
    const last = Math.min(from - 1, Math.floor(centre + support));
    const weights: number[] = [];
    let total = 0;
    for (let j = first; j <= last; j++) {
      const wgt = lanczos3((j - centre) / spread);
      weights.push(wgt);
      total += wgt;
    }
    for (let o = 0; o < other; o++) {
      for (let k = 0; k < c; k++) {
        let sum = 0;
        for (let j = first; j <= last; j++) {
          const at = horizontal ? (o * width + j) * c + k : (j * width + o) * c + k;
          sum += data[at]! * weights[j - first]!;
        }
        const v = Math.round(sum / total);
        const to = horizontal ? (o * w + i) * c + k : (i * w + o) * c + k;
        out[to] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { data: out, width: w, height: h, channels: c };
}
