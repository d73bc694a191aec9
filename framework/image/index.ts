/** The image module: wire → bytes → checked, decoded pixels, and pixels → PNG. The only place that decodes images. */
export { DEFAULT_IMAGE_LIMITS } from './types.ts';
export type { ImageLimits, ImageMode, RawImage, ResizeFit, ResizeOptions } from './types.ts';
export { sniffImage, probeImage } from './sniff.ts';
export type { ImageFormat, ImageProbe } from './sniff.ts';
export { imageBytesFromWire, formatBytes } from './wire.ts';
export { decodeImage, checkHeader } from './decode.ts';
export type { DecodeOptions } from './decode.ts';
export { toMode } from './convert.ts';
export { encodePng, encodePngDataUrl } from './encode.ts';
export { loadSharp } from './sharp.ts';
