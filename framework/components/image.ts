/** Image: an picture in (decoded to raw pixels for the function) or out (sent as a PNG data URL). */
import { z } from 'zod';
import { checkNumber, checkOption, defineComponent, type CommonOptions, type FileBytes } from './base.ts';
import { singleFileCodec } from './file-codec.ts';
import {
  DEFAULT_IMAGE_LIMITS,
  type ImageFormat,
  decodeImage,
  encodePngDataUrl,
  imageBytesFromWire,
  warmDecoder,
  checkHeader,
  type ImageLimits,
  type RawImage,
} from '../image/index.ts';
import { VitrineError } from '../errors.ts';

export const IMAGE_MODES = ['L', 'RGB', 'RGBA'] as const;
export const IMAGE_FITS = ['contain', 'cover', 'fill', 'inside', 'outside'] as const;
export const IMAGE_SOURCES = ['upload', 'clipboard', 'webcam'] as const;

export interface ImageOptions extends CommonOptions {
  /** Resize to this width (and/or height) before the function sees the image. */
  width?: number;
  height?: number;
  /** Colour mode the function receives: 1, 3 or 4 channels (default RGB). */
  mode?: (typeof IMAGE_MODES)[number];
  /** How the image fits width × height, as in sharp (default contain). */
  fit?: (typeof IMAGE_FITS)[number];
  /** Only ever scale down: a picture already inside width × height keeps its size (as in sharp). */
  withoutEnlargement?: boolean;
  /** Where the page may take the image from (default all three). */
  sources?: ReadonlyArray<(typeof IMAGE_SOURCES)[number]>;
  /** Pixel and byte limits checked from the header before decoding. */
  limits?: Partial<ImageLimits>;
}

/** What crosses to the worker: the encoded bytes, already checked against the header limits. */
export interface ImageTransport {
  bytes: Uint8Array;
}

// A 1×1 grey PNG, the smallest valid example for the docs.
const EXAMPLE_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==';

/**
 * An image input or output. The function receives `{ data, width, height, channels }` (8-bit,
 * row-major, interleaved) in the requested mode and returns the same shape for an output.
 *
 * @example
 * inputs: Image({ mode: 'L' }) // fn gets a grey image of any size
 * inputs: Image({ width: 224, height: 224, mode: 'RGB', fit: 'cover' })
 */
export function Image(options: ImageOptions = {}) {
  const mode = checkOption('Image', 'mode', options.mode ?? 'RGB', IMAGE_MODES);
  const fit = checkOption('Image', 'fit', options.fit ?? 'contain', IMAGE_FITS);
  const width = options.width === undefined ? undefined : checkNumber('Image', 'width', options.width, { min: 1, max: 8192, integer: true });
  const height = options.height === undefined ? undefined : checkNumber('Image', 'height', options.height, { min: 1, max: 8192, integer: true });
  const sources = (options.sources ?? IMAGE_SOURCES).map((s) => checkOption('Image', 'sources', s, IMAGE_SOURCES));
  const limits: ImageLimits = { ...DEFAULT_IMAGE_LIMITS, ...options.limits };
  checkNumber('Image', 'limits.maxPixels', limits.maxPixels, { min: 1, integer: true });
  checkNumber('Image', 'limits.maxBytes', limits.maxBytes, { min: 1, integer: true });
  if (options.withoutEnlargement !== undefined && typeof options.withoutEnlargement !== 'boolean') {
    throw new TypeError(`Image(): option "withoutEnlargement" must be true or false; got ${JSON.stringify(options.withoutEnlargement)}`);
  }
  const withoutEnlargement = options.withoutEnlargement ?? false;
  const resize = width === undefined && height === undefined ? undefined : { width, height, fit, withoutEnlargement };

  return defineComponent<'image', string, ImageTransport, RawImage, RawImage, true>({
    kind: 'image',
    gradio: { name: 'Image', props: { type: 'filepath', image_mode: mode, width: width ?? null, height: height ?? null, sources, format: 'png' } },
    schema: z
      .string()
      .min(1, 'expected a base64 image or a data: URL, got an empty string')
      .describe('An image: base64-encoded bytes or a data: URL (PNG, JPEG, WebP, GIF, TIFF, AVIF)'),
    props: { width: width ?? null, height: height ?? null, mode, fit, sources },
    options,
    isFile: true,
    files: singleFileCodec((value, field) => readImageFile(imageBytesFromWire(value, field, limits.maxBytes), field, limits)),
    tooLarge: 'IMAGE_TOO_LARGE',
    maxFileBytes: limits.maxBytes,
    exampleWire: EXAMPLE_PNG,
    sample: 'image.png',
    exampleValue: { data: new Uint8Array([128, 128, 128]), width: 1, height: 1, channels: 3 },
    toTransport: function imageFromWire(wire, ctx) {
      return checkedTransport(imageBytesFromWire(wire, ctx.field), ctx.field, limits);
    },
    fromMultipart: (text) => text,
    fromFile: function imageFromFile(bytes, ctx) {
      return checkedTransport(bytes, ctx.field, limits);
    },
    preprocess: function decodeForFunction(t, ctx) {
      return decodeImage(t.bytes, { field: ctx.field, limits, mode, ...(resize ? { resize } : {}) });
    },
    postprocess: async function encodeForWire(img) {
      return encodePngDataUrl(img);
    },
    warm: warmDecoder,
  });
}

/** The formats a stored image keeps, with its extension and media type; other formats are not stored. */
const STORED_FORMATS: Partial<Record<ImageFormat, { extension: string; mimeType: string }>> = {
  png: { extension: 'png', mimeType: 'image/png' },
  jpeg: { extension: 'jpg', mimeType: 'image/jpeg' },
  gif: { extension: 'gif', mimeType: 'image/gif' },
  webp: { extension: 'webp', mimeType: 'image/webp' },
  tiff: { extension: 'tif', mimeType: 'image/tiff' },
  avif: { extension: 'avif', mimeType: 'image/avif' },
  heif: { extension: 'heic', mimeType: 'image/heif' },
};

/** An image file as flagging and Gradio's file store keep it: checked from its header, never an SVG or a bomb. */
function readImageFile(bytes: Uint8Array, field: string, limits: ImageLimits): FileBytes {
  const probe = checkHeader(bytes, field, limits);
  const stored = STORED_FORMATS[probe.format];
  if (stored === undefined) throw new VitrineError('UNSUPPORTED_IMAGE', { field, reason: `${probe.format} files are not stored` });
  return { bytes, ...stored };
}

/**
 * Refuses on the main thread, before queueing or decoding, what the header already shows is
 * wrong — text, SVG, a cut-off header, a bomb — with the same messages the decoder would give.
 */
function checkedTransport(bytes: Uint8Array, field: string, limits: ImageLimits): ImageTransport {
  checkHeader(bytes, field, limits);
  // A view into a shared pool (small Buffers) is copied so the worker can own its bytes outright.
  return { bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes) };
}
