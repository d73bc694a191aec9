/** The image codec in a browser (the static build's Web Worker): createImageBitmap decodes, OffscreenCanvas resizes by sharp's fit rules, fast-png encodes. */
import { encode } from 'fast-png';
import { base64Encode } from '../files/base64.ts';
import { toMode } from './convert.ts';
import { checkHeader, FORMAT_NAMES, invalid, SUPPORTED, unsupported } from './header.ts';
import { planResize } from './resize-plan.ts';
import { DEFAULT_IMAGE_LIMITS, type DecodeOptions, type ImageLimits, type RawImage } from './types.ts';

/** Formats browsers decode natively; a TIFF or HEIF upload is refused by name rather than failing obscurely. */
const BROWSER_FORMATS = new Set(['png', 'jpeg', 'gif', 'webp', 'avif', 'svg']);

/**
 * Decodes an upload into the same RawImage the server's sharp decoder gives: the same header
 * checks first (size, format, pixel limit, SVG policy), the EXIF orientation applied, colours
 * left as the file stores them (no colour-space conversion, no premultiplied alpha), resized to
 * the component's box with sharp's fit rules (resize-plan.ts) and the browser's high-quality
 * filter, then converted to `mode` by the shared toMode.
 *
 * @example
 * const img = await decodeImage(bytes, { field: 'image', mode: 'RGB', resize: { width: 112, height: 112, fit: 'inside' } });
 */
export async function decodeImage(bytes: Uint8Array, opts: DecodeOptions): Promise<RawImage> {
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, ...opts.limits };
  const { field, mode } = opts;
  const probe = checkHeader(bytes, field, limits);
  const name = FORMAT_NAMES[probe.format];
  if (!BROWSER_FORMATS.has(probe.format)) throw unsupported(field, `${name} cannot be decoded in this browser; send PNG, JPEG, WebP or GIF`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'from-image' });
  } catch {
    throw invalid(field, `corrupt or truncated ${name} data (${SUPPORTED})`);
  }
  try {
    const plan = planResize(bitmap.width, bitmap.height, opts.resize);
    const { scaled, crop, at } = plan;
    const canvas = new OffscreenCanvas(plan.width, plan.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    // Padding matches the mode, as on the server: transparent where alpha is kept, white where it is flattened.
    if (mode !== 'RGBA' && (crop.width !== plan.width || crop.height !== plan.height)) {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, plan.width, plan.height);
    }
    const same = scaled.width === bitmap.width && scaled.height === bitmap.height;
    const resized = same ? bitmap : await createImageBitmap(bitmap, { resizeWidth: scaled.width, resizeHeight: scaled.height, resizeQuality: 'high', premultiplyAlpha: 'none' });
    ctx.drawImage(resized, crop.x, crop.y, crop.width, crop.height, at.x, at.y, crop.width, crop.height);
    if (resized !== bitmap) resized.close();
    const rgba = ctx.getImageData(0, 0, plan.width, plan.height).data;
    return toMode({ data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), width: plan.width, height: plan.height, channels: 4 }, mode ?? (hasTransparency(rgba) ? 'RGBA' : 'RGB'));
  } finally {
    bitmap.close();
  }
}

/** True when any pixel is not opaque (sharp reports no alpha channel for an opaque file; a canvas always has one). */
function hasTransparency(rgba: Uint8ClampedArray): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return true;
  return false;
}

/**
 * Encodes 8-bit pixels as a PNG file (fast-png: pure JavaScript, the same encoder the server uses
 * for small pictures).
 *
 * @example
 * const png = await encodePng({ data: new Uint8Array(28 * 28), width: 28, height: 28, channels: 1 });
 */
export async function encodePng(img: RawImage): Promise<Uint8Array> {
  const { width, height, channels, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`encodePng: invalid size ${width}×${height}`);
  if (data.length !== width * height * channels) throw new RangeError(`encodePng: expected ${width * height * channels} bytes for ${width}×${height}×${channels}, got ${data.length}`);
  return encode({ width, height, data, depth: 8, channels });
}

/**
 * Encodes pixels as a PNG `data:` URL, the wire form of an image output.
 *
 * @example
 * const url = await encodePngDataUrl(img); // 'data:image/png;base64,iVBORw0KGgo…'
 */
export async function encodePngDataUrl(img: RawImage): Promise<string> {
  return `data:image/png;base64,${base64Encode(await encodePng(img))}`;
}

/** Nothing to load ahead: the browser's decoders are built in. */
export async function warmDecoder(): Promise<void> {}
