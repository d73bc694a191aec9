/** Decoding untrusted image bytes: limits from the header first, then sharp (or the small-PNG fast path). */
import type { Metadata, SharpOptions } from 'sharp';
import { VitrineError } from '../errors.ts';
import { toMode } from './convert.ts';
import { decodeSmallPng } from './png-fast.ts';
import { loadSharp } from './sharp.ts';
import { checkHeader, checkPixels, FORMAT_NAMES, invalid, NOT_AN_IMAGE, SUPPORTED, unsupported } from './header.ts';
import type { ImageFormat, ImageProbe } from './sniff.ts';
import { DEFAULT_IMAGE_LIMITS, type DecodeOptions, type ImageLimits, type RawImage, type ResizeOptions } from './types.ts';
/**
 * Decodes an uploaded image into 8-bit pixels. Checks, in order and before any pixel is decoded:
 * empty input, byte size, format (from the magic bytes, so a text file named `.png` is caught),
 * SVG policy, and the declared width × height against `maxPixels` (a decompression bomb is
 * refused from its header in microseconds). Then decodes the first frame/page only, applies the
 * EXIF orientation, converts 16-bit to 8-bit and CMYK to sRGB, resizes if asked (sharp's
 * shrink-on-load makes a large JPEG → 28 × 28 cheap), and converts to `mode`.
 * Every failure is a VitrineError: INVALID_IMAGE (400), IMAGE_TOO_LARGE (413) or
 * UNSUPPORTED_IMAGE (415); never a raw decoder error.
 *
 * @example
 * const img = await decodeImage(bytes, { field: 'image', mode: 'L', resize: { width: 28, height: 28 } });
 * img.channels; // 1
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions): Promise<RawImage> {
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, ...opts.limits };
  const { field } = opts;
  const probe = checkHeader(bytes, field, limits);
  const sized = probe.width > 0 && probe.height > 0 ? probe : await measureWithSharp(bytes, probe, field, limits);
  const fastPathApplies = opts.decoder !== 'sharp' && probe.format === 'png';
  if (fastPathApplies && isIdentityResize(opts.resize, sized.width, sized.height)) {
    const fast = decodeSmallPng(bytes);
    if (fast !== null) return toMode(fast, opts.mode);
  }
  return decodeWithSharp(bytes, probe.format, opts, limits);
}

// SVG without a size in its root element, or a HEIF container without `ispe`: ask sharp for the
// header (metadata() parses without decoding pixels) and apply the same pixel limit.
async function measureWithSharp(
  bytes: Uint8Array,
  probe: ImageProbe,
  field: string,
  limits: ImageLimits,
): Promise<ImageProbe> {
  const sharp = await loadSharp();
  let meta: Metadata;
  try {
    meta = await sharp(bytes, sharpInputOptions(limits)).metadata();
  } catch (err) {
    throw translateSharpError(err, probe.format, field);
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width === 0 || height === 0) throw invalid(field, `corrupt ${FORMAT_NAMES[probe.format]} header: no image size`);
  checkPixels(width, height, field, limits);
  return { ...probe, width, height };
}

// True when sharp's resize would leave the image at its own size, so the fast path may skip it.
function isIdentityResize(resize: ResizeOptions | undefined, width: number, height: number): boolean {
  if (resize === undefined || (resize.width === undefined && resize.height === undefined)) return true;
  const W = resize.width;
  const H = resize.height;
  const grow = resize.withoutEnlargement !== true;
  if (W === undefined || H === undefined) {
    const scale = W !== undefined ? W / width : (H ?? height) / height;
    if (scale >= 1 && !grow) return true;
    return Math.round(width * scale) === width && Math.round(height * scale) === height;
  }
  if (W === width && H === height) return true;
  const fit = resize.fit ?? 'cover';
  // Measured: without enlargement, cover and fill keep a smaller image as is; contain still pads.
  if (!grow && fit !== 'contain' && width <= W && height <= H) return true;
  if (fit !== 'inside' && fit !== 'outside') return false;
  const scale = fit === 'inside' ? Math.min(W / width, H / height) : Math.max(W / width, H / height);
  if (scale >= 1 && !grow) return true;
  return Math.round(width * scale) === width && Math.round(height * scale) === height;
}

function sharpInputOptions(limits: ImageLimits): SharpOptions {
  return {
    // 'error' also fails on truncated data ('truncated' ⊂ 'error'); 'warning' would also refuse
    // camera JPEGs with harmless quirks such as extraneous bytes before a marker.
    failOn: 'error',
    limitInputPixels: limits.maxPixels,
    sequentialRead: true,
    pages: 1,
    autoOrient: true,
  };
}

async function decodeWithSharp(
  bytes: Uint8Array,
  format: ImageFormat,
  opts: DecodeOptions,
  limits: ImageLimits,
): Promise<RawImage> {
  const { field, mode, resize } = opts;
  const sharp = await loadSharp();
  try {
    let pipeline = sharp(bytes, sharpInputOptions(limits));
    if (resize !== undefined && (resize.width !== undefined || resize.height !== undefined)) {
      pipeline = pipeline.resize({
        width: resize.width,
        height: resize.height,
        fit: resize.fit ?? 'cover',
        withoutEnlargement: resize.withoutEnlargement ?? false,
        // Padding matches the mode: transparent where alpha is kept, white where it is flattened.
        background: mode === 'RGBA' ? { r: 0, g: 0, b: 0, alpha: 0 } : { r: 255, g: 255, b: 255, alpha: 1 },
      });
    }
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const raw: RawImage = {
      data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      width: info.width,
      height: info.height,
      channels: info.channels as RawImage['channels'],
    };
    return toMode(raw, mode);
  } catch (err) {
    throw translateSharpError(err, format, field);
  }
}

/**
 * Maps a sharp/libvips failure to a client error with a message that says what is wrong without
 * echoing decoder internals.
 *
 * @example
 * translateSharpError(new Error('VipsJpeg: premature end of JPEG image'), 'jpeg', 'image').message;
 * // 'Invalid image for "image": truncated JPEG data'
 */
export function translateSharpError(err: unknown, format: ImageFormat, field: string): VitrineError {
  if (err instanceof VitrineError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const name = FORMAT_NAMES[format];
  if (/pixel limit/i.test(message)) {
    return new VitrineError('IMAGE_TOO_LARGE', { field, reason: 'it has more pixels than the limit' });
  }
  if (/compression format has not been built|unsupported (codec|compression)|no decoder|plugin/i.test(message)) {
    return unsupported(field, `this ${name} variant cannot be decoded here (for example HEIC/HEVC); send ${SUPPORTED}`);
  }
  if (/premature end|truncat|end of (file|input|stream|data)|unexpected end|not enough data|read error/i.test(message)) {
    return invalid(field, `truncated ${name} data`);
  }
  if (/unsupported image format/i.test(message)) return invalid(field, NOT_AN_IMAGE);
  return invalid(field, `corrupt ${name} data`);
}
