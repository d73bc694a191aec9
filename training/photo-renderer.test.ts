/** The casual-photo renderer: deterministic per seed, every condition drawn, every surface rendered, files stored as phones do. */
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../framework/image/index.ts';
import { seededRandom } from './data.ts';
import { BACKGROUNDS, conditionTags, EVALUATION_SIZES, samplePhotoConditions } from './photo-conditions.ts';
import { encodePhotoFile, fileTags, sampleFileConditions } from './photo-file.ts';
import { renderCasualPhoto } from './photo-renderer.ts';

/** A 28×28 "garment": a bright block with a darker stripe, on black like the dataset. */
const GARMENT = Uint8Array.from({ length: 784 }, (_, i) => {
  const x = i % 28;
  const y = Math.floor(i / 28);
  if (x < 6 || x > 21 || y < 3 || y > 24) return 0;
  return y === 12 ? 90 : 220;
});

describe('renderCasualPhoto', () => {
  it('is deterministic: the same seed gives the same conditions and pixels, another seed others', () => {
    const a = renderCasualPhoto(GARMENT, samplePhotoConditions(seededRandom(5)));
    const b = renderCasualPhoto(GARMENT, samplePhotoConditions(seededRandom(5)));
    const c = renderCasualPhoto(GARMENT, samplePhotoConditions(seededRandom(6)));
    expect(b.width).toBe(a.width);
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    expect(c.width === a.width && Buffer.from(c.data).equals(Buffer.from(a.data))).toBe(false);
  });

  it('draws every condition within a few hundred photos', () => {
    const rand = seededRandom(11);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      for (const tag of conditionTags(samplePhotoConditions(rand, EVALUATION_SIZES))) seen.add(tag);
      for (const tag of fileTags(sampleFileConditions(rand))) seen.add(tag);
    }
    const expected = [
      ...BACKGROUNDS.map((b) => `background: ${b}`),
      'light garment on light surface',
      'drop shadow',
      'rotation > 12°',
      'stretch > 8 %',
      'small in frame',
      'touching the edge',
      'vignetting',
      'uneven light',
      'low contrast',
      'camera blur',
      'sensor noise',
      'low resolution',
      'low-quality JPEG/WebP',
      'EXIF-rotated',
    ];
    expect([...seen].sort()).toEqual(expected.sort());
  });

  it.each(BACKGROUNDS)('renders the garment on a %s surface: RGB of the drawn size, the garment differing from the surface', (background) => {
    const c = { ...samplePhotoConditions(seededRandom(3)), background, edge: false, centreX: 0.5, centreY: 0.5, scale: 0.7, contrast: 1, lightOnLight: false };
    c.garmentColour = c.colours[0].map((v) => (v > 127 ? 20 : 235)) as [number, number, number];
    const photo = renderCasualPhoto(GARMENT, c);
    expect(photo).toMatchObject({ width: c.width, height: c.height, channels: 3 });
    const at = (x: number, y: number) => Array.from(photo.data.subarray((y * c.width + x) * 3, (y * c.width + x) * 3 + 3));
    const centre = at(Math.floor(c.width / 2), Math.floor(c.height / 2) - Math.floor(c.height * 0.15));
    const corner = at(1, 1);
    const diff = Math.max(...centre.map((v, k) => Math.abs(v - corner[k]!)));
    expect(diff).toBeGreaterThan(40);
  });

  it('stores photos as JPEG, WebP or PNG; an EXIF-rotated file decodes upright at the original size', async () => {
    const photo = renderCasualPhoto(GARMENT, { ...samplePhotoConditions(seededRandom(9)), width: 90, height: 60 });
    for (const format of ['jpeg', 'webp', 'png'] as const) {
      for (const orientation of [1, 3, 6, 8] as const) {
        const bytes = await encodePhotoFile(photo, { format, quality: 30, orientation });
        const decoded = await decodeImage(bytes, { field: 'image', mode: 'RGB' });
        expect([decoded.width, decoded.height], `${format} orientation ${orientation}`).toEqual([90, 60]);
      }
    }
  });
});
