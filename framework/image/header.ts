/** The checks an upload passes before any pixel is decoded (size, format, SVG policy, pixel count), shared by every decoder. */
import { VitrineError } from '../errors.ts';
import { probeImage, type ImageFormat, type ImageProbe } from './sniff.ts';
import type { ImageLimits } from './types.ts';
import { formatBytes } from './wire.ts';

/** Display names of the formats, for messages. */
export const FORMAT_NAMES: Record<ImageFormat, string> = {
  png: 'PNG',
  jpeg: 'JPEG',
  gif: 'GIF',
  webp: 'WebP',
  bmp: 'BMP',
  tiff: 'TIFF',
  avif: 'AVIF',
  heif: 'HEIF',
  svg: 'SVG',
};

export const SUPPORTED = 'PNG, JPEG, WebP, GIF, TIFF, AVIF';
export const NOT_AN_IMAGE = `not a recognised image (${SUPPORTED})`;

/**
 * The checks that need only the header: empty, too many bytes, unknown or unsupported format,
 * SVG policy, too many pixels. Returns the probe for a format worth decoding.
 *
 * @example
 * checkHeader(bytes, 'image', DEFAULT_IMAGE_LIMITS); // { format: 'png', width: 28, height: 28, truncated: false }
 */
export function checkHeader(bytes: Uint8Array, field: string, limits: ImageLimits): ImageProbe {
  if (bytes.length === 0) throw invalid(field, 'the file is empty (0 bytes)');
  if (bytes.length > limits.maxBytes) {
    throw new VitrineError('IMAGE_TOO_LARGE', {
      field,
      reason: `the file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxBytes)}`,
    });
  }
  const probe = probeImage(bytes);
  if (probe === null) {
    throw invalid(field, looksLikeText(bytes) ? `${NOT_AN_IMAGE}; the data looks like text` : NOT_AN_IMAGE);
  }
  const name = FORMAT_NAMES[probe.format];
  if (probe.truncated) throw invalid(field, `truncated ${name} data (the header is cut off)`);
  if (probe.format === 'bmp') throw unsupported(field, `BMP is not supported; send ${SUPPORTED}`);
  if (probe.format === 'svg') {
    if (!limits.allowSvg) throw unsupported(field, `SVG is not accepted here; send ${SUPPORTED}`);
    checkSvgIsSelfContained(bytes, field);
  }
  const declaresSize = probe.width > 0 && probe.height > 0;
  const mayOmitSize = probe.format === 'svg' || probe.format === 'avif' || probe.format === 'heif';
  if (!declaresSize && !mayOmitSize) throw invalid(field, `corrupt ${name} header: it declares no image size`);
  if (declaresSize) checkPixels(probe.width, probe.height, field, limits);
  return probe;
}

/** Refuses an image of more pixels than the limit allows. */
export function checkPixels(width: number, height: number, field: string, limits: ImageLimits): void {
  const pixels = width * height;
  if (pixels > limits.maxPixels) {
    throw new VitrineError('IMAGE_TOO_LARGE', {
      field,
      reason: `it declares ${width}×${height} = ${pixels.toLocaleString('en')} pixels; the limit is ${limits.maxPixels.toLocaleString('en')}`,
    });
  }
}

// SVG can reference other files and URLs (<image href>, <use>, CSS @import, XML entities).
// librsvg does not fetch network URLs from a buffer, but local `file:` references and external
// entities are refused here too, so rendering never touches anything outside the upload.
function checkSvgIsSelfContained(bytes: Uint8Array, field: string): void {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (/<!ENTITY/i.test(text)) throw unsupported(field, 'SVG with XML entities is not accepted');
  if (/@import|url\(\s*['"]?(?!#|data:)/i.test(text)) {
    throw unsupported(field, 'SVG with external references is not accepted');
  }
  const refs = /(?:xlink:)?href\s*=\s*["']\s*([^"']*)["']/gi;
  for (let m = refs.exec(text); m !== null; m = refs.exec(text)) {
    const target = (m[1] ?? '').trim();
    if (!target.startsWith('#') && !/^data:/i.test(target)) {
      throw unsupported(field, 'SVG with external references is not accepted');
    }
  }
}

// Text (a CSV, JSON or HTML file renamed .png) is valid UTF-8 with no control characters.
function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 512);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    // A multi-byte character cut at the 512-byte boundary is still text; anything else is not.
    if (head.length < 512) return false;
    text = new TextDecoder('utf-8').decode(head.subarray(0, 508));
    if (text.includes('\uFFFD')) return false;
  }
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

/** An INVALID_IMAGE (400) for `field`. */
export function invalid(field: string, reason: string): VitrineError {
  return new VitrineError('INVALID_IMAGE', { field, reason });
}

/** An UNSUPPORTED_IMAGE (415) for `field`. */
export function unsupported(field: string, reason: string): VitrineError {
  return new VitrineError('UNSUPPORTED_IMAGE', { field, reason });
}
