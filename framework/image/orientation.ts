/**
 * EXIF orientation, read and applied here rather than left to the browser: Chromium turns JPEGs
 * by their tag but not WebPs (measured: every EXIF-rotated WebP of the casual photo set came out
 * unturned), while sharp turns both. The browser decoder blanks the tag of a JPEG or WebP, decodes,
 * and turns the pixels itself, so every browser gives the server's picture.
 */
import type { RawImage } from './types.ts';

/** Where a file's orientation tag is: its value (1–8) and the byte offset of its 16-bit value. */
export interface OrientationTag {
  orientation: number;
  offset: number;
  littleEndian: boolean;
}

const EXIF_HEADER = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0"
const ORIENTATION = 0x0112;

/**
 * Finds the orientation tag of a JPEG (APP1 Exif) or WebP (RIFF `EXIF` chunk); null when there is
 * none or the EXIF block is malformed (then nothing is turned, as sharp does).
 *
 * @example
 * findOrientation(jpegBytes, 'jpeg'); // { orientation: 6, offset: 48, littleEndian: false }
 */
export function findOrientation(bytes: Uint8Array, format: string): OrientationTag | null {
  const tiff = format === 'jpeg' ? jpegExif(bytes) : format === 'webp' ? webpExif(bytes) : -1;
  return tiff < 0 ? null : tiffOrientation(bytes, tiff);
}

/** A copy of `bytes` whose orientation tag says 1 (upright), so a decoder leaves the pixels as stored. */
export function withoutOrientation(bytes: Uint8Array, tag: OrientationTag): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setUint16(tag.offset, 1, tag.littleEndian);
  return copy;
}

/**
 * Turns and flips pixels as EXIF `orientation` says the stored picture is to be shown (2: mirror,
 * 3: half turn, 6: quarter turn clockwise, 8: anticlockwise, 5 and 7: the mirrored quarter turns).
 *
 * @example
 * orient(img, 6); // width and height swapped, turned clockwise
 */
export function orient(img: RawImage, orientation: number): RawImage {
  if (orientation < 2 || orientation > 8) return img;
  const { width: w, height: h, channels: c, data } = img;
  const swap = orientation >= 5;
  const W = swap ? h : w;
  const H = swap ? w : h;
  const out = new Uint8Array(data.length);
  for (let oy = 0; oy < H; oy++) {
    for (let ox = 0; ox < W; ox++) {
      const [sx, sy] = source(orientation, ox, oy, w, h);
      out.set(data.subarray((sy * w + sx) * c, (sy * w + sx + 1) * c), (oy * W + ox) * c);
    }
  }
  return { data: out, width: W, height: H, channels: c };
}

function source(o: number, ox: number, oy: number, w: number, h: number): [number, number] {
  switch (o) {
    case 2: return [w - 1 - ox, oy];
    case 3: return [w - 1 - ox, h - 1 - oy];
    case 4: return [ox, h - 1 - oy];
    case 5: return [oy, ox];
    case 6: return [oy, h - 1 - ox];
    case 7: return [w - 1 - oy, h - 1 - ox];
    default: return [w - 1 - oy, ox];
  }
}

/** The offset of the TIFF header inside a JPEG's APP1 Exif segment, or -1. */
function jpegExif(b: Uint8Array): number {
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // start of scan, end of image
    const length = (b[at + 2]! << 8) | b[at + 3]!;
    if (marker === 0xe1 && EXIF_HEADER.every((v, i) => b[at + 4 + i] === v)) return at + 10;
    at += 2 + length;
  }
  return -1;
}

/** The offset of the TIFF header inside a WebP's `EXIF` chunk (with or without the "Exif\0\0" prefix), or -1. */
function webpExif(b: Uint8Array): number {
  for (let at = 12; at + 8 <= b.length; ) {
    const id = String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
    const size = b[at + 4]! | (b[at + 5]! << 8) | (b[at + 6]! << 16) | (b[at + 7]! << 24);
    if (id === 'EXIF') return EXIF_HEADER.every((v, i) => b[at + 8 + i] === v) ? at + 14 : at + 8;
    at += 8 + size + (size & 1);
  }
  return -1;
}

function tiffOrientation(b: Uint8Array, tiff: number): OrientationTag | null {
  if (tiff + 8 > b.length) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const littleEndian = b[tiff] === 0x49;
  if (!littleEndian && b[tiff] !== 0x4d) return null;
  const ifd = tiff + view.getUint32(tiff + 4, littleEndian);
  if (ifd + 2 > b.length) return null;
  const entries = view.getUint16(ifd, littleEndian);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > b.length) return null;
    if (view.getUint16(entry, littleEndian) !== ORIENTATION) continue;
    const orientation = view.getUint16(entry + 8, littleEndian);
    return orientation >= 1 && orientation <= 8 ? { orientation, offset: entry + 8, littleEndian } : null;
  }
  return null;
}
