/** Where a resized picture lands in its output, by sharp's own rules: the browser decoder draws with it so both places give the function the same size. */
import type { ResizeOptions } from './types.ts';

/**
 * A resize as drawing steps: shrink the decoded picture by `preShrink` (what sharp's JPEG
 * shrink-on-load does), scale that to `scaled`, cut `crop` out of it, draw it at `at` in an output
 * of `width` × `height` (padding around it).
 */
export interface ResizePlan {
  preShrink: number;
  width: number;
  height: number;
  scaled: { width: number; height: number };
  crop: { x: number; y: number; width: number; height: number };
  at: { x: number; y: number };
}

/**
 * Plans a resize of a `w` × `h` picture as sharp 0.3x does it (its `ResolveShrink`, then the
 * centred embed or crop of `pipeline.cc`): the shrink factors per axis from the box and the fit
 * (`cover`/`outside` take the smaller, `contain`/`inside` the larger, `fill` each its own; one
 * side given: the other follows, except under `fill`), never below 1 with `withoutEnlargement`,
 * never past one pixel; then `contain` pads to the box and `cover` crops the centre. A JPEG shrunk
 * by more than 2 is first decoded at 1/2, 1/4 or 1/8 (the largest below the integral shrink; the
 * size rounded down, as libvips does) and the shrink worked out again on that size, which can
 * change the output by a pixel (checked against sharp 0.35 on JPEG sizes in resize-plan.test.ts;
 * WebP keeps the direct size).
 *
 * @example
 * planResize(800, 600, { width: 112, height: 112, fit: 'inside' }).scaled; // { width: 112, height: 84 }
 */
export function planResize(width: number, height: number, resize: ResizeOptions | undefined, format?: string): ResizePlan {
  const first = shrinks(width, height, resize);
  // Measured: sharp leaves part of the shrink to the resize, taking a factor below the integral shrink.
  const preShrink = format === 'jpeg' ? shrinkOnLoad(Math.min(Math.floor(first.hs), Math.floor(first.vs)) - 1) : 1;
  const w = preShrink > 1 ? Math.floor(width / preShrink) : width;
  const h = preShrink > 1 ? Math.floor(height / preShrink) : height;
  const { hs, vs } = preShrink > 1 ? shrinks(w, h, resize) : first;
  const fit = resize?.fit ?? 'cover';
  const W = resize?.width ?? 0;
  const H = resize?.height ?? 0;
  const scaled = { width: Math.max(1, Math.round(w / hs)), height: Math.max(1, Math.round(h / vs)) };
  const whole = { x: 0, y: 0, ...scaled };
  if (fit === 'contain') {
    const outW = Math.max(scaled.width, W);
    const outH = Math.max(scaled.height, H);
    return { preShrink, width: outW, height: outH, scaled, crop: whole, at: { x: Math.floor((outW - scaled.width) / 2), y: Math.floor((outH - scaled.height) / 2) } };
  }
  if (fit === 'cover') {
    const outW = W > 0 ? Math.min(scaled.width, W) : scaled.width;
    const outH = H > 0 ? Math.min(scaled.height, H) : scaled.height;
    const crop = { x: Math.floor((scaled.width - outW + 1) / 2), y: Math.floor((scaled.height - outH + 1) / 2), width: outW, height: outH };
    return { preShrink, width: outW, height: outH, scaled, crop, at: { x: 0, y: 0 } };
  }
  return { preShrink, ...scaled, scaled, crop: whole, at: { x: 0, y: 0 } };
}

/** sharp's shrink-on-load factor for an integral shrink: the largest of 8, 4, 2 not above it. */
function shrinkOnLoad(shrink: number): number {
  return shrink >= 8 ? 8 : shrink >= 4 ? 4 : shrink >= 2 ? 2 : 1;
}

/** sharp's `ResolveShrink`: the shrink factor per axis. */
function shrinks(w: number, h: number, resize: ResizeOptions | undefined): { hs: number; vs: number } {
  const W = resize?.width ?? 0;
  const H = resize?.height ?? 0;
  const fit = resize?.fit ?? 'cover';
  let hs = 1;
  let vs = 1;
  if (W > 0 && H > 0) {
    hs = w / W;
    vs = h / H;
    if (fit === 'cover' || fit === 'outside') hs = vs = Math.min(hs, vs);
    else if (fit === 'contain' || fit === 'inside') hs = vs = Math.max(hs, vs);
  } else if (W > 0) {
    hs = w / W;
    if (fit !== 'fill') vs = hs;
  } else if (H > 0) {
    vs = h / H;
    if (fit !== 'fill') hs = vs;
  }
  if (resize?.withoutEnlargement === true) {
    hs = Math.max(1, hs);
    vs = Math.max(1, vs);
  }
  hs = Math.min(hs, w);
  vs = Math.min(vs, h);
  return { hs, vs };
}
