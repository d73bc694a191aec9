/** Turns a rendered casual photo into the file a phone would send: low-quality JPEG or WebP (or PNG), sometimes EXIF-rotated. */
import sharp from 'sharp';
import type { RawImage } from '../framework/image/index.ts';

/** How a photo is stored. */
export interface FileConditions {
  format: 'jpeg' | 'webp' | 'png';
  quality: number;
  /** EXIF orientation tag (1 = upright; 3, 6, 8 = pixels stored turned, the viewer turns them back). */
  orientation: 1 | 3 | 6 | 8;
}

/**
 * Draws how a photo is stored: JPEG 55 %, WebP 30 %, PNG 15 %; quality 20–75; EXIF-rotated 20 %.
 *
 * @example
 * sampleFileConditions(seededRandom(1)); // { format: 'jpeg', quality: 41, orientation: 1 }
 */
export function sampleFileConditions(rand: () => number): FileConditions {
  const f = rand();
  const format = f < 0.55 ? 'jpeg' : f < 0.85 ? 'webp' : 'png';
  const quality = Math.round(20 + 55 * rand());
  const orientations = [3, 6, 8] as const;
  const orientation = rand() < 0.2 ? orientations[Math.floor(rand() * 3)]! : 1;
  return { format, quality, orientation };
}

// The stored pixels are the upright picture turned the other way, so that a viewer applying the
// tag shows it upright: orientation 6 means "turn 90° clockwise to view".
const STORED_TURN: Record<FileConditions['orientation'], number> = { 1: 0, 3: 180, 6: 270, 8: 90 };

/**
 * Encodes RGB pixels as a file under `file`'s conditions.
 *
 * @example
 * const bytes = await encodePhotoFile(photo, { format: 'webp', quality: 30, orientation: 6 });
 */
export async function encodePhotoFile(photo: RawImage, file: FileConditions): Promise<Buffer> {
  let s = sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: photo.channels } });
  const turn = STORED_TURN[file.orientation];
  if (turn !== 0) s = sharp(await s.rotate(turn).png().toBuffer()).withMetadata({ orientation: file.orientation });
  if (file.format === 'jpeg') return s.jpeg({ quality: file.quality }).toBuffer();
  if (file.format === 'webp') return s.webp({ quality: file.quality }).toBuffer();
  return s.png().toBuffer();
}

/**
 * Named conditions of the file, for per-condition accuracy tables.
 *
 * @example
 * fileTags({ format: 'jpeg', quality: 30, orientation: 6 }); // ['low-quality JPEG/WebP', 'EXIF-rotated']
 */
export function fileTags(file: FileConditions): string[] {
  const tags: string[] = [];
  if (file.format !== 'png' && file.quality <= 45) tags.push('low-quality JPEG/WebP');
  if (file.orientation !== 1) tags.push('EXIF-rotated');
  return tags;
}
