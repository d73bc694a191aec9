/**
 * The small-PNG fast path: a decode in JS (Node's zlib for the inflate; fast-png for interlaced
 * files) that skips sharp's fixed per-call cost (libvips pipeline set-up and a thread-pool hop),
 * which dominates for 28 × 28 inputs.
 */
import { crc32, inflateSync } from 'node:zlib';
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
  let png: DecodedPng | null;
  try {
    png = decodePlainPng(bytes) ?? decode(bytes, { checkCrc: true });
  } catch {
    return null;
  }
  if (png === null) return null;
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

/** What the fast path needs from a decoded PNG (fast-png's shape, which {@link decodePlainPng} shares). */
interface DecodedPng {
  width: number;
  height: number;
  depth: number;
  channels: number;
  /** Samples, one per array element: bytes up to 8 bits (packed when below 8), 16-bit values at 16. */
  data: Uint8Array | Uint16Array | Uint8ClampedArray;
  palette?: number[][];
  transparency?: Uint16Array;
}

/** Channels per pixel by colour type (ISO 15948 §6.1); bit depths each allows. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

/**
 * Decodes a non-interlaced PNG with Node's zlib, or returns undefined for an interlaced one (left
 * to fast-png). Measured on a 511-byte 28 × 28 PNG: 60–87 µs in fast-png (most of it in its
 * inflate), 7–8 µs in zlib; ~5 % of a Fashion-MNIST worker's time at 8 connections
 * (`npm run bench -- --cpu-prof`). Throws on anything malformed: a bad CRC, a bad header, data
 * that does not inflate to the size the header implies.
 */
function decodePlainPng(bytes: Uint8Array): DecodedPng | null | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colourType: number; interlace: number } | undefined;
  let palette: number[][] | undefined;
  let alphas: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== view.getUint32(at + 8 + length)) throw new Error(`bad CRC in ${type}`);
    if (type === 'IHDR') {
      if (length < 13 || data[10] !== 0 || data[11] !== 0) throw new Error('bad IHDR');
      header = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), depth: data[8]!, colourType: data[9]!, interlace: data[12]! };
    } else if (type === 'PLTE') {
      palette = [];
      for (let i = 0; i + 2 < length; i += 3) palette.push([data[i]!, data[i + 1]!, data[i + 2]!]);
    } else if (type === 'tRNS') {
      alphas = data;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    at += 12 + length;
  }
  if (!header) throw new Error('no IHDR');
  if (header.interlace !== 0) return undefined;
  const { width, height, depth, colourType } = header;
  const kind = COLOUR_TYPES[colourType];
  if (!kind || !kind.depths.includes(depth) || (colourType === 3 && !palette)) throw new Error('bad colour type or depth');
  const { channels } = kind;
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const expected = height * (rowBytes + 1);
  // One output chunk of exactly the expected size (zlib allocates 16 KB per call by default: at
  // thousands of small PNGs a second that churn made the soak's RSS swing by ±11–13 %).
  const filtered = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat), { maxOutputLength: expected, chunkSize: Math.max(64, expected) });
  if (filtered.length !== expected) throw new Error('image data does not match the header');
  const rows = unfilter(filtered, height, rowBytes, Math.max(1, Math.ceil((channels * depth) / 8)));
  let data: Uint8Array | Uint16Array = rows;
  if (depth === 16) {
    data = new Uint16Array(rows.length / 2);
    for (let i = 0; i < data.length; i += 1) data[i] = (rows[2 * i]! << 8) | rows[2 * i + 1]!;
  }
  if (palette && alphas) palette = palette.map((c, i) => [...c, alphas![i] ?? 255]);
  return { width, height, depth, channels, data, ...(colourType === 3 ? { palette } : {}) };
}

/**
 * Reverses PNG's per-row filters (ISO 15948 §9.2) into packed rows without their filter bytes.
 * One loop per filter type: a branch on the type for every byte made this most of a 28 × 28
 * decode (~20 of 47 µs, measured with --cpu-prof on a loop of decodes).
 */
function unfilter(filtered: Uint8Array, height: number, rowBytes: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * rowBytes);
  for (let y = 0; y < height; y += 1) {
    const src = y * (rowBytes + 1) + 1;
    const type = filtered[src - 1]!;
    const row = y * rowBytes;
    const prev = row - rowBytes; // the row above; only read when y > 0
    const lead = Math.min(bpp, rowBytes); // bytes with no left neighbour
    if (type === 0) {
      out.set(filtered.subarray(src, src + rowBytes), row);
    } else if (type === 1) {
      for (let x = 0; x < lead; x += 1) out[row + x] = filtered[src + x]!;
      for (let x = lead; x < rowBytes; x += 1) out[row + x] = filtered[src + x]! + out[row + x - bpp]!;
    } else if (type === 2) {
      if (y === 0) out.set(filtered.subarray(src, src + rowBytes), row);
      else for (let x = 0; x < rowBytes; x += 1) out[row + x] = filtered[src + x]! + out[prev + x]!;
    } else if (type === 3) {
      for (let x = 0; x < lead; x += 1) out[row + x] = filtered[src + x]! + ((y > 0 ? out[prev + x]! : 0) >> 1);
      for (let x = lead; x < rowBytes; x += 1) out[row + x] = filtered[src + x]! + ((out[row + x - bpp]! + (y > 0 ? out[prev + x]! : 0)) >> 1);
    } else if (type === 4) {
      // Paeth: with no row above (b = c = 0) it picks the left byte; with no left byte (a = c = 0), the one above.
      if (y === 0) {
        for (let x = 0; x < lead; x += 1) out[row + x] = filtered[src + x]!;
        for (let x = lead; x < rowBytes; x += 1) out[row + x] = filtered[src + x]! + out[row + x - bpp]!;
      } else {
        for (let x = 0; x < lead; x += 1) out[row + x] = filtered[src + x]! + out[prev + x]!;
        for (let x = lead; x < rowBytes; x += 1) {
          const a = out[row + x - bpp]!;
          const b = out[prev + x]!;
          const c = out[prev + x - bpp]!;
          const pa = Math.abs(b - c); // |p − a| with p = a + b − c
          const pb = Math.abs(a - c); // |p − b|
          const pc = Math.abs(a + b - 2 * c); // |p − c|
          out[row + x] = filtered[src + x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
        }
      }
    } else throw new Error(`unknown filter type ${type}`);
  }
  return out;
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
