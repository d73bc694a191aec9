/**
 * The small-PNG fast path: a pure-JS decode (fast-png) that skips sharp's fixed per-call cost
 * (libvips pipeline set-up and a thread-pool hop), which dominates for 28 × 28 inputs.
 */
import { decode } from 'fast-png';
import type { RawImage } from './types.ts';

/**
 * Measured by `scripts/bench-image.ts`: on a 28 × 28 PNG sharp manages ~1,500 decodes/s against
 * ~5,400 for fast-png; the gap closes as the pixel work grows, so only small images take this path.
 */
export const FAST_PNG_MAX_PIXELS = 64 * 1024;

/**
 * Decodes a small PNG in JS to sharp's raw layout (8-bit RGB, or RGBA when the image has alpha),
 * or returns null when sharp must do it: anything malformed or truncated (so sharp's error
 * message is the one reported), an embedded ICC profile (sharp converts it to sRGB), an EXIF
 * orientation (`eXIf`, sharp rotates), or `tRNS` on a grey or RGB image.
 *
 * @example
 * const raw = decodeSmallPng(bytes); // { data, width: 28, height: 28, channels: 3 } or null
 */
export function decodeSmallPng(bytes: Uint8Array): RawImage | null {
  const info = walkChunks(bytes);
  if (info === null || info.needsSharp) return null;
  if (info.width * info.height > FAST_PNG_MAX_PIXELS) return null;
  let png;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch {
    return null;
  }
  const { width, height, depth } = png;
  const channels = png.channels;
  const n = width * height;
  if (png.palette !== undefined) return expandPalette(png.data, width, height, depth, png.palette, png.transparency);
  if (channels < 1 || channels > 4) return null;
  const samplesPerRow = width * channels;
  let samples: Uint8Array;
  if (depth === 16) {
    // libvips casts 16 → 8 bits by dropping the low byte (measured: 257 → 1, 65279 → 254).
    if (png.data.length < n * channels) return null;
    samples = new Uint8Array(n * channels);
    for (let i = 0; i < samples.length; i += 1) samples[i] = (png.data[i] ?? 0) >> 8;
  } else if (depth === 8) {
    if (png.data.length < n * channels) return null;
    samples = png.data instanceof Uint8Array ? png.data.subarray(0, n * channels) : Uint8Array.from(png.data);
  } else {
    // Grey at 1, 2 or 4 bits: rows are packed MSB first and padded to a byte; scale to 0–255.
    const packed = png.data;
    const rowBytes = Math.ceil((samplesPerRow * depth) / 8);
    if (packed.length < rowBytes * height) return null;
    const scale = 255 / ((1 << depth) - 1);
    samples = new Uint8Array(n * channels);
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < samplesPerRow; x += 1) {
        const bit = x * depth;
        const byte = packed[y * rowBytes + (bit >> 3)] ?? 0;
        const v = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
        samples[y * samplesPerRow + x] = v * scale;
      }
    }
  }
  if (channels >= 3) return { data: samples, width, height, channels: channels as 3 | 4 };
  // Grey (+ alpha) → RGB(A), as sharp's raw output replicates grey into three bands.
  const outChannels = channels === 2 ? 4 : 3;
  const out = new Uint8Array(n * outChannels);
  for (let p = 0; p < n; p += 1) {
    const v = samples[p * channels] ?? 0;
    const o = p * outChannels;
    out[o] = v;
    out[o + 1] = v;
    out[o + 2] = v;
    if (outChannels === 4) out[o + 3] = samples[p * channels + 1] ?? 0;
  }
  return { data: out, width, height, channels: outChannels };
}

function expandPalette(
  packed: ArrayLike<number>,
  width: number,
  height: number,
  depth: number,
  palette: number[][],
  transparency: Uint16Array | undefined,
): RawImage | null {
  // fast-png 8 folds tRNS into the palette as a fourth component; older versions report it apart.
  const hasAlpha = (transparency !== undefined && transparency.length > 0) || palette.some((c) => c.length === 4);
  const outChannels = hasAlpha ? 4 : 3;
  const out = new Uint8Array(width * height * outChannels);
  const rowBytes = Math.ceil((width * depth) / 8);
  if (packed.length < rowBytes * height) return null;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)] ?? 0;
      const index = depth === 8 ? byte : (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
      const colour = palette[index];
      if (colour === undefined) return null; // index past the palette: let sharp judge it
      const o = (y * width + x) * outChannels;
      out[o] = colour[0] ?? 0;
      out[o + 1] = colour[1] ?? 0;
      out[o + 2] = colour[2] ?? 0;
      // PNG §11.3.2.1: palette entries beyond the tRNS list are opaque.
      if (hasAlpha) out[o + 3] = colour[3] ?? transparency?.[index] ?? 255;
    }
  }
  return { data: out, width, height, channels: outChannels };
}

interface ChunkInfo {
  width: number;
  height: number;
  needsSharp: boolean;
}

// PNG chunk layout (ISO 15948 §5.3): length(4, ≤ 2^31−1) type(4) data(length) crc(4).
// Walking the headers is cheap and catches truncation before fast-png could read past the end.
function walkChunks(bytes: Uint8Array): ChunkInfo | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  let needsSharp = false;
  let sawEnd = false;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0);
    if (length > 0x7fffffff || at + 12 + length > bytes.length) return null;
    if (type === 'IHDR' && length >= 13) {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      colourType = bytes[at + 17] ?? -1;
    } else if (type === 'iCCP' || type === 'eXIf' || (type === 'tRNS' && colourType !== 3)) {
      needsSharp = true;
    } else if (type === 'IEND') {
      sawEnd = true;
      break;
    }
    at += 12 + length;
  }
  if (!sawEnd || width === 0 || height === 0) return null;
  return { width, height, needsSharp };
}
