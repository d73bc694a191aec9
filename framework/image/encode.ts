/** Encoding pixels to PNG, for image outputs (`data:image/png;base64,…` on the wire). */
import { base64Encode } from '../files/base64.ts';
import { encodeSmallPng } from './png-encode.ts';
import { loadSharp } from './sharp.ts';
import type { RawImage } from './types.ts';

/**
 * Below this many pixels the small-PNG writer (png-encode.ts) is quicker than sharp's fixed
 * per-call cost (measured with fast-png, which it replaced, in `scripts/bench-image.ts`); above it
 * sharp's libpng/zlib-ng is faster and compresses better.
 */
export const FAST_ENCODE_MAX_PIXELS = 64 * 1024;

/**
 * Encodes 8-bit pixels as a PNG file.
 *
 * @example
 * const png = await encodePng({ data: new Uint8Array(28 * 28), width: 28, height: 28, channels: 1 });
 */
export async function encodePng(img: RawImage): Promise<Uint8Array> {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodePng: invalid size ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new RangeError(`encodePng: expected ${width * height * channels} bytes for ${width}×${height}×${channels}, got ${data.length}`);
  }
  if (width * height <= FAST_ENCODE_MAX_PIXELS) {
    return encodeSmallPng(img);
  }
  const sharp = await loadSharp();
  const png = await sharp(data, { raw: { width, height, channels } }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}

/**
 * Encodes pixels as a PNG `data:` URL, the wire form of an image output.
 *
 * @example
 * const url = await encodePngDataUrl(img); // 'data:image/png;base64,iVBORw0KGgo…'
 */
export async function encodePngDataUrl(img: RawImage): Promise<string> {
  const png = await encodePng(img);
  return `data:image/png;base64,${base64Encode(png)}`;
}
