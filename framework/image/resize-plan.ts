/** Where a resized picture lands in its output, by sharp's own rules: the browser decoder draws with it so both places give the function the same size. */
import type { ResizeOptions } from './types.ts';

/** A resize as drawing steps: scale the whole picture to `scaled`, cut `crop` out of that, draw it at `at` in an output of `width` × `height` (padding around it). */
export interface ResizePlan {
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
 * never past one pixel; then `contain` pads to the box and `cover` crops the centre.
 *
 * @example
 * planResize(800, 600, { width: 112, height: 112, fit: 'inside' }).scaled; // { width: 112, height: 84 }
 */
export function planResize(w: number, h: number, resize: ResizeOptions | undefined): ResizePlan {
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
  const scaled = { width: Math.max(1, Math.round(w / hs)), height: Math.max(1, Math.round(h / vs)) };
  const whole = { x: 0, y: 0, ...scaled };
  if (fit === 'contain') {
    const width = Math.max(scaled.width, W);
    const height = Math.max(scaled.height, H);
    return { width, height, scaled, crop: whole, at: { x: Math.floor((width - scaled.width) / 2), y: Math.floor((height - scaled.height) / 2) } };
  }
  if (fit === 'cover') {
    const width = W > 0 ? Math.min(scaled.width, W) : scaled.width;
    const height = H > 0 ? Math.min(scaled.height, H) : scaled.height;
    const crop = { x: Math.floor((scaled.width - width + 1) / 2), y: Math.floor((scaled.height - height + 1) / 2), width, height };
    return { width, height, scaled, crop, at: { x: 0, y: 0 } };
  }
  return { ...scaled, scaled, crop: whole, at: { x: 0, y: 0 } };
}
