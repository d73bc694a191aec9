/** The image codec in Node: sharp decodes (small PNGs take a fast path), fast-png or sharp encodes. `#image-codec` picks codec.browser.ts in a browser. */
import { loadSharp } from './sharp.ts';

export { decodeImage } from './decode.ts';
export { encodePng, encodePngDataUrl } from './encode.ts';

/**
 * Loads the decoder ahead of the first picture (sharp costs ~100 ms per thread to load).
 *
 * @example
 * await warmDecoder();
 */
export async function warmDecoder(): Promise<void> {
  await loadSharp();
}
