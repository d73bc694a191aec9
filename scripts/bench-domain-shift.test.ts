/** The product-photo renderer of bench:domain-shift, on a synthetic garment (CI has no dataset). */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../training/data.ts';
import { naiveTensor, randomPhotoStyle, renderProductPhoto } from './bench-domain-shift.ts';

// A 28×28 "garment" in dataset form: a bright 20×12 block on black, centred.
const garment = new Uint8Array(784);
for (let y = 8; y < 20; y += 1) for (let x = 4; x < 24; x += 1) garment[y * 28 + x] = 230;

describe('randomPhotoStyle', () => {
  it('is reproducible from its seed and keeps the garment inside the canvas', () => {
    expect(randomPhotoStyle(seededRandom(5))).toEqual(randomPhotoStyle(seededRandom(5)));
    const rand = seededRandom(9);
    for (let i = 0; i < 500; i += 1) {
      const s = randomPhotoStyle(rand);
      expect(s.width).toBeGreaterThanOrEqual(300);
      expect(s.width).toBeLessThanOrEqual(900);
      expect(s.height).toBeGreaterThanOrEqual(300);
      expect(s.height).toBeLessThanOrEqual(900);
      expect(s.left).toBeGreaterThanOrEqual(0);
      expect(s.top).toBeGreaterThanOrEqual(0);
      expect(s.left + s.garmentSide).toBeLessThanOrEqual(s.width);
      expect(s.top + s.garmentSide).toBeLessThanOrEqual(s.height);
      expect(s.quality).toBeGreaterThanOrEqual(70);
      expect(s.quality).toBeLessThanOrEqual(95);
      for (const c of s.background) expect(c).toBeGreaterThanOrEqual(200);
    }
  });
});

describe('renderProductPhoto', () => {
  it('draws a dark garment where the style puts it, on a light background, as a JPEG', async () => {
    const style = { ...randomPhotoStyle(seededRandom(3)), width: 600, height: 400, garmentSide: 280, left: 250, top: 60, background: [250, 248, 240] as [number, number, number], blur: 0 };
    const jpeg = await renderProductPhoto(garment, style);
    const meta = await sharp(jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 600, 400]);
    const { data } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => data[y * 600 + x] ?? 0;
    // Background corners are light; the garment's centre (the block's middle) is dark.
    for (const [x, y] of [[5, 5], [594, 5], [5, 394], [594, 394]] as const) expect(at(x, y)).toBeGreaterThan(200);
    expect(at(250 + 140, 60 + 140)).toBeLessThan(150);
  });

  it('the naive pipeline sees a mostly light picture, unlike the dataset', async () => {
    const jpeg = await renderProductPhoto(garment, randomPhotoStyle(seededRandom(4)));
    const x = await naiveTensor(jpeg);
    expect(x.length).toBe(784);
    expect(x[0]).toBeGreaterThan(0.7);
  });
});
