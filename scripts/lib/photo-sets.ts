/** The photos the preprocessing is measured and checked on: the bench's 800×800 JPEG, casual and studio renders of test garments, and the app's examples. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { casualPhotoSet } from '../../training/casual-set.ts';
import { seededRandom, shuffledIndices } from '../../training/data.ts';
import type { IdxSplit } from '../../training/idx.ts';

/** One photo file and where it came from. */
export interface PhotoFile {
  name: string;
  bytes: Buffer;
}

/**
 * The 800×800 product-photo-like JPEG `npm run bench` sends (its `jpeg-mp-8` row): a dark
 * textured garment on a light background, smooth shading, JPEG quality 85 (~40 KiB).
 *
 * @example
 * const jpeg = await benchPhotoJpeg();
 */
export async function benchPhotoJpeg(): Promise<Buffer> {
  const w = 800;
  const rgb = Buffer.alloc(w * w * 3);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let y = 0; y < w; y++) {
    for (let x = 0; x < w; x++) {
      const dx = (x - 400) / 260;
      const dy = (y - 420) / 330;
      const inside = dx * dx + dy * dy < 1 || (y > 150 && y < 330 && x > 90 && x < 710);
      const base = inside ? 60 + 40 * Math.sin(x / 23) * Math.cos(y / 31) : 235 - (y / w) * 20;
      const i = (y * w + x) * 3;
      const n = (rand() - 0.5) * 16;
      rgb[i] = Math.max(0, Math.min(255, base + n + (inside ? 30 : 0)));
      rgb[i + 1] = Math.max(0, Math.min(255, base + n));
      rgb[i + 2] = Math.max(0, Math.min(255, base + n + (inside ? -10 : 0)));
    }
  }
  return sharp(rgb, { raw: { width: w, height: w, channels: 3 } }).blur(1.2).jpeg({ quality: 85 }).toBuffer();
}

/**
 * `count` casual phone photos (JPEG, WebP, PNG; 40–640 px; some EXIF-rotated) as `npm run bench:casual` renders them.
 *
 * @example
 * const photos = await casualPhotos(test, 100, 1);
 */
export async function casualPhotos(test: IdxSplit, count: number, seed: number): Promise<PhotoFile[]> {
  const set = await casualPhotoSet(test, count, seed);
  return set.map((p, k) => ({ name: `casual-${seed}-${k}.${p.file.format}`, bytes: p.bytes }));
}

/**
 * `count` studio product photos (300–900 px JPEG) as `npm run bench:domain-shift` renders them.
 *
 * @example
 * const photos = await studioPhotos(test, 100, 1);
 */
export async function studioPhotos(test: IdxSplit, count: number, seed: number): Promise<PhotoFile[]> {
  // Imported here: the domain-shift script's module pulls in the server and TF.js, which `npm run bench` does not need.
  const { randomPhotoStyle, renderProductPhoto } = await import('../bench-domain-shift.ts');
  const rand = seededRandom(seed);
  const picks = Array.from(shuffledIndices(test.count, rand).subarray(0, Math.min(count, test.count)));
  const styles = picks.map(() => randomPhotoStyle(rand));
  const out: PhotoFile[] = [];
  for (const [k, i] of picks.entries()) {
    out.push({ name: `studio-${seed}-${k}.jpg`, bytes: await renderProductPhoto(test.images.subarray(i * 784, (i + 1) * 784), styles[k]!) });
  }
  return out;
}

/**
 * The Fashion-MNIST app's example files (dataset images, photos, a cut-out).
 *
 * @example
 * const examples = exampleFiles();
 */
export function exampleFiles(): PhotoFile[] {
  const dir = fileURLToPath(new URL('../../apps/fashion-mnist/examples/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/.test(f))
    .sort()
    .map((name) => ({ name: `example-${name}`, bytes: readFileSync(dir + name) }));
}
