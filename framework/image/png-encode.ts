/** A PNG writer for small pictures: the filtered rows deflated by Node's native zlib, in the fewest chunks a PNG needs. */
import { crc32, deflateSync } from 'node:zlib';
import type { RawImage } from './types.ts';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
/** PNG colour types by channel count: grey, grey + alpha, RGB, RGBA (PNG specification, 11.2.2). */
const COLOUR_TYPE = { 1: 0, 2: 4, 3: 2, 4: 6 } as const;
/** Filter type 2, "Up": each byte minus the one above it. Photos compress ~13 % smaller than unfiltered rows at the same speed (measured on the Fashion-MNIST app's 112 px pictures). */
const FILTER_UP = 2;
/**
 * zlib level 3, fast-png's default, which this writer replaced: on the app's 112 px photos,
 * filtered rows deflate to ~7.0 KB against fast-png's ~8.1 KB, in a quarter of its instructions
 * (scripts/callgrind-photo.sh, stage `found`).
 */
const LEVEL = 3;

/**
 * Encodes 8-bit pixels (1–4 channels) as a PNG: signature, IHDR, one IDAT, IEND. Decoders give
 * back exactly `img.data`.
 *
 * @example
 * const png = encodeSmallPng({ data: new Uint8Array(28 * 28), width: 28, height: 28, channels: 1 });
 */
export function encodeSmallPng(img: RawImage): Uint8Array {
  const { width, height, channels, data } = img;
  const stride = width * channels;
  const rows = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const from = y * stride;
    rows[o] = FILTER_UP;
    if (y === 0) {
      rows.set(data.subarray(0, stride), 1);
      continue;
    }
    // Bytes wrap modulo 256 when stored in a Uint8Array.
    for (let x = 0; x < stride; x++) rows[o + 1 + x] = data[from + x]! - data[from - stride + x]!;
  }
  const idat = deflateSync(rows, { level: LEVEL });
  const out = new Uint8Array(SIGNATURE.length + (12 + 13) + (12 + idat.length) + 12);
  const view = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  let at = SIGNATURE.length;
  const chunk = (type: string, body: (start: number) => void, length: number) => {
    view.setUint32(at, length);
    for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i);
    body(at + 8);
    view.setUint32(at + 8 + length, crc32(out.subarray(at + 4, at + 8 + length)));
    at += 12 + length;
  };
  chunk('IHDR', (s) => {
    view.setUint32(s, width);
    view.setUint32(s + 4, height);
    out[s + 8] = 8; // bit depth
    out[s + 9] = COLOUR_TYPE[channels];
    // compression 0 (deflate), filter method 0, no interlace: already zero.
  }, 13);
  chunk('IDAT', (s) => out.set(idat, s), idat.length);
  chunk('IEND', () => {}, 0);
  return out;
}
