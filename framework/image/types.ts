/** The image module's shared types and the default limits every decode is checked against. */

/** Decoded pixels: 8 bits per channel, interleaved, row-major, no padding. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

/** What an uploaded image may cost before it is decoded. */
export interface ImageLimits {
  /** Largest width × height accepted, checked against the header before any pixel is decoded. */
  maxPixels: number;
  /** Largest encoded file accepted, in bytes. */
  maxBytes: number;
  /** SVG is a document format (scripts, external references); off unless an app asks for it. */
  allowSvg: boolean;
}

/**
 * 25 megapixels covers any phone photo (a 12 MP camera is 4032 × 3024) while keeping one decode
 * under ~100 MB of RGBA; sharp's own default (268 MP, about 1 GB) is meant for batch jobs, not a
 * public demo. 10 MiB is larger than any sane JPEG of 25 MP.
 */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = Object.freeze({
  maxPixels: 25_000_000,
  maxBytes: 10 * 1024 * 1024,
  allowSvg: false,
});

/** The colour layouts a decode can be asked for. */
export type ImageMode = 'L' | 'RGB' | 'RGBA';

/** How a resize fits the image into the requested box (sharp's names). */
export type ResizeFit = 'contain' | 'cover' | 'fill' | 'inside' | 'outside';

/** A requested output size; a missing side follows the aspect ratio. */
export interface ResizeOptions {
  width?: number;
  height?: number;
  /** Defaults to `cover`, as in sharp. */
  fit?: ResizeFit;
  /** Never scale up: an image already inside the box keeps its size (sharp's option of that name). */
  withoutEnlargement?: boolean;
}

/** Options of `decodeImage`. */
export interface DecodeOptions {
  /** The input name, for error messages. */
  field: string;
  limits?: Partial<ImageLimits>;
  /** Output colour mode; see `toMode` for how alpha and grey are handled. Omitted: RGB or RGBA. */
  mode?: ImageMode;
  resize?: ResizeOptions;
  /**
   * In Node, `auto` (default) lets small PNGs skip sharp; `sharp` always uses sharp (a browser has one decoder). Both give the same
   * pixels (tested); the switch exists for those tests and for `scripts/bench-image.ts`.
   */
  decoder?: 'auto' | 'sharp';
}
