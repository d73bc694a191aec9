/** The image module: wire → bytes → checked, decoded pixels, and pixels → PNG. The only place that decodes images (sharp in Node, the browser's decoders in a static build: `#image-codec`). */
export { DEFAULT_IMAGE_LIMITS } from './types.ts';
export type { DecodeOptions, ImageLimits, ImageMode, RawImage, ResizeFit, ResizeOptions } from './types.ts';
export { sniffImage, probeImage } from './sniff.ts';
export type { ImageFormat, ImageProbe } from './sniff.ts';
export { imageBytesFromWire, formatBytes } from './wire.ts';
export { checkHeader } from './header.ts';
export { decodeImage, encodePng, encodePngDataUrl, warmDecoder } from '#image-codec';
export { toMode } from './convert.ts';
export { planResize, type ResizePlan } from './resize-plan.ts';
