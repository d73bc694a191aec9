/** sharp, loaded on first use: most threads never decode a large image (see {@link loadSharp}). */
import type SharpModule from 'sharp';

let loading: Promise<typeof SharpModule> | undefined;

/**
 * Imports sharp once per thread. Loading it costs ~100 ms and ~20 MB per thread, which the
 * server's main thread (it never decodes when apps run in workers) and a worker that only ever
 * sees small PNGs (fast-png decodes those) never need to pay. Workers call it after they are
 * ready, so the first large image is not slower than the rest.
 *
 * @example
 * const sharp = await loadSharp();
 * const { width } = await sharp(bytes).metadata();
 */
export function loadSharp(): Promise<typeof SharpModule> {
  loading ??= import('sharp').then((m) => {
    // libvips' operation cache (50 MB, 100 operations, process-wide) never hits for uploads:
    // every request decodes a new buffer. Off, RSS after 1,085 photo decodes in one thread is
    // 10–21 MB lower (scripts/profile-photo.ts --stage decode --repeat 5 --sharp-cache on|off:
    // 178, 177, 167 MB against 168, 165, 146 MB), for the same pixels.
    m.default.cache(false);
    return m.default;
  });
  return loading;
}
