/** Header-only probing: which image format some bytes are and the size they declare, without decoding pixels. */

/** The formats the probe recognises (not all of them decode: see `decodeImage`). */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'avif' | 'heif' | 'svg';

/** What the header says. `truncated` means the bytes stop before the size could be read. */
export interface ImageProbe {
  format: ImageFormat;
  /** Declared size in pixels; 0 when the header does not say (SVG without a size, HEIF without `ispe`). */
  width: number;
  height: number;
  truncated: boolean;
}

// PNG, RFC 2083 §3.1 / ISO 15948 §5.2: 8-byte signature, then IHDR (length, type, width, height).
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IHDR_END = 24;

/**
 * Reads the format and declared size of an image from its first bytes only: PNG IHDR, JPEG SOFn,
 * GIF logical screen, WebP VP8/VP8L/VP8X, BMP, TIFF IFD0, AVIF/HEIF `ispe`, SVG attributes.
 * Returns null for anything else, and for a header cut off before its size.
 *
 * @example
 * sniffImage(pngBytes); // { format: 'png', width: 28, height: 28 }
 * sniffImage(new TextEncoder().encode('hello')); // null
 */
export function sniffImage(bytes: Uint8Array): { format: string; width: number; height: number } | null {
  const probe = probeImage(bytes);
  if (probe === null || probe.truncated) return null;
  return { format: probe.format, width: probe.width, height: probe.height };
}

/**
 * Like `sniffImage`, but also reports a recognised format whose header is truncated, so the caller
 * can say "truncated PNG data" instead of "not an image".
 *
 * @example
 * probeImage(pngBytes.subarray(0, 12)); // { format: 'png', width: 0, height: 0, truncated: true }
 */
export function probeImage(bytes: Uint8Array): ImageProbe | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(bytes, PNG_SIGNATURE)) return probePng(bytes, view);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return probeJpeg(bytes, view);
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') {
    return sized('gif', bytes.length >= 10, () => [view.getUint16(6, true), view.getUint16(8, true)]);
  }
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return probeWebp(bytes, view);
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 14) return probeBmp(bytes, view);
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return probeTiff(bytes, view, 4);
  if (ascii(bytes, 0, 4) === 'II+\0' || ascii(bytes, 0, 4) === 'MM\0+') return probeTiff(bytes, view, 8);
  if (ascii(bytes, 4, 4) === 'ftyp') return probeHeif(bytes, view);
  return probeSvg(bytes);
}

function probePng(bytes: Uint8Array, view: DataView): ImageProbe {
  if (bytes.length < PNG_IHDR_END) return truncated('png');
  if (ascii(bytes, 12, 4) !== 'IHDR') return { format: 'png', width: 0, height: 0, truncated: false };
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), truncated: false };
}

// JPEG, ITU T.81 §B.1: markers are 0xFF + code; every segment except SOI/EOI/RSTn/TEM carries a
// 16-bit big-endian length. The frame size sits in the first SOFn (C0–CF except DHT C4, JPG C8, DAC CC).
function probeJpeg(bytes: Uint8Array, view: DataView): ImageProbe {
  let i = 2;
  while (i + 1 < bytes.length) {
    if (bytes[i] !== 0xff) return { format: 'jpeg', width: 0, height: 0, truncated: false };
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or start of scan before any frame header
    if (i + 4 > bytes.length) return truncated('jpeg');
    const length = view.getUint16(i + 2);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (i + 9 > bytes.length) return truncated('jpeg');
      return { format: 'jpeg', width: view.getUint16(i + 7), height: view.getUint16(i + 5), truncated: false };
    }
    i += 2 + length;
  }
  return i + 1 >= bytes.length ? truncated('jpeg') : { format: 'jpeg', width: 0, height: 0, truncated: false };
}

// WebP container (RFC 9649): RIFF header, then the first chunk says which bitstream follows.
function probeWebp(bytes: Uint8Array, view: DataView): ImageProbe {
  const chunk = ascii(bytes, 12, 4);
  if (chunk === 'VP8X') {
    // §2.7: 24-bit little-endian canvas width − 1 and height − 1 at payload offsets 4 and 7.
    return sized('webp', bytes.length >= 30, () => [uint24le(bytes, 24) + 1, uint24le(bytes, 27) + 1]);
  }
  if (chunk === 'VP8L') {
    // §3.2: signature byte 0x2F, then 14 bits width − 1 and 14 bits height − 1.
    return sized('webp', bytes.length >= 25, () => {
      const bits = view.getUint32(21, true);
      return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
    });
  }
  if (chunk === 'VP8 ') {
    // RFC 6386 §9.1: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
    return sized('webp', bytes.length >= 30, () => [view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff]);
  }
  return bytes.length < 16 ? truncated('webp') : { format: 'webp', width: 0, height: 0, truncated: false };
}

function probeBmp(bytes: Uint8Array, view: DataView): ImageProbe {
  if (bytes.length < 26) return truncated('bmp');
  // A 12-byte BITMAPCOREHEADER (OS/2) has 16-bit sizes; every later header has 32-bit signed ones.
  if (view.getUint32(14, true) === 12) {
    return { format: 'bmp', width: view.getUint16(18, true), height: view.getUint16(20, true), truncated: false };
  }
  return {
    format: 'bmp',
    width: Math.abs(view.getInt32(18, true)),
    height: Math.abs(view.getInt32(22, true)), // negative height = top-down rows
    truncated: false,
  };
}

// TIFF 6.0 §2 (and BigTIFF): byte order, version, offset of IFD0; tags 256/257 hold width/height.
function probeTiff(bytes: Uint8Array, view: DataView, offsetSize: 4 | 8): ImageProbe {
  const le = bytes[0] === 0x49;
  const big = offsetSize === 8;
  const headerEnd = big ? 16 : 8;
  if (bytes.length < headerEnd) return truncated('tiff');
  const ifd = big ? Number(view.getBigUint64(8, le)) : view.getUint32(4, le);
  const countSize = big ? 8 : 2;
  const entrySize = big ? 20 : 12;
  if (ifd + countSize > bytes.length) return truncated('tiff');
  const count = big ? Number(view.getBigUint64(ifd, le)) : view.getUint16(ifd, le);
  let width = 0;
  let height = 0;
  for (let k = 0; k < count; k += 1) {
    const at = ifd + countSize + k * entrySize;
    if (at + entrySize > bytes.length) return truncated('tiff');
    const tag = view.getUint16(at, le);
    if (tag !== 256 && tag !== 257) continue;
    const type = view.getUint16(at + 2, le);
    const valueAt = at + (big ? 12 : 8);
    const value = type === 3 ? view.getUint16(valueAt, le) : type === 4 ? view.getUint32(valueAt, le) : 0;
    if (tag === 256) width = value;
    else height = value;
  }
  return { format: 'tiff', width, height, truncated: false };
}

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2']);

// ISO/IEC 23008-12 (HEIF, and AVIF on top of it): an `ftyp` box, then `meta` with one `ispe`
// (image spatial extents) property per image item. A grid image has its own `ispe` holding the full
// size, and thumbnails are smaller, so the largest one found is the size the decoder will produce.
function probeHeif(bytes: Uint8Array, view: DataView): ImageProbe | null {
  if (bytes.length < 12) return null;
  const major = ascii(bytes, 8, 4);
  const boxEnd = Math.min(view.getUint32(0), bytes.length);
  const brands = [major];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(bytes, at, 4));
  const format: ImageFormat | null = brands.some((b) => AVIF_BRANDS.has(b))
    ? 'avif'
    : brands.some((b) => HEIF_BRANDS.has(b))
      ? 'heif'
      : null;
  if (format === null) return null; // an MP4/MOV or another ISO-BMFF file, not an image
  let width = 0;
  let height = 0;
  // `ispe` box: size(4) 'ispe' version+flags(4) width(4) height(4).
  for (let at = indexOfAscii(bytes, 'ispe', 0); at !== -1; at = indexOfAscii(bytes, 'ispe', at + 4)) {
    if (at + 16 > bytes.length) break;
    const w = view.getUint32(at + 8);
    const h = view.getUint32(at + 12);
    if (w * h > width * height) {
      width = w;
      height = h;
    }
  }
  return { format, width, height, truncated: false };
}

// SVG is text: an optional BOM, XML declaration, comments or doctype, then an <svg> root element.
function probeSvg(bytes: Uint8Array): ImageProbe | null {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (!/^\s*</.test(head)) return null;
  const tag = /<svg[\s>][^>]*>?/i.exec(head);
  if (tag === null) return null;
  const attr = (name: string): number => {
    const m = new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)\\s*(px)?\\s*["']`, 'i').exec(tag[0]);
    return m?.[1] === undefined ? 0 : Math.ceil(Number(m[1]));
  };
  let width = attr('width');
  let height = attr('height');
  if (width === 0 || height === 0) {
    const box = /\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)/i.exec(tag[0]);
    if (box !== null) {
      width = Math.ceil(Number(box[1]));
      height = Math.ceil(Number(box[2]));
    }
  }
  return { format: 'svg', width, height, truncated: false };
}

function sized(format: ImageFormat, complete: boolean, read: () => [number, number]): ImageProbe {
  if (!complete) return truncated(format);
  const [width, height] = read();
  return { format, width, height, truncated: false };
}

function truncated(format: ImageFormat): ImageProbe {
  return { format, width: 0, height: 0, truncated: true };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (at + length > bytes.length) return '';
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

function uint24le(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16);
}

/** The first position of an ASCII word in `bytes` from `from`, or -1 (Buffer#indexOf without Buffer, so it runs in a browser too). */
function indexOfAscii(bytes: Uint8Array, word: string, from: number): number {
  const first = word.charCodeAt(0);
  for (let at = bytes.indexOf(first, from); at !== -1 && at + word.length <= bytes.length; at = bytes.indexOf(first, at + 1)) {
    let i = 1;
    while (i < word.length && bytes[at + i] === word.charCodeAt(i)) i++;
    if (i === word.length) return at;
  }
  return -1;
}
