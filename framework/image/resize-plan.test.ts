/** planResize gives the output size sharp gives, for every fit, with and without enlargement (the browser decoder relies on it). */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { IMAGE_FITS } from '../components/image.ts';
import { base64Decode, base64Encode } from '../files/base64.ts';
import { planResize } from './resize-plan.ts';

const SIZES: Array<[number, number]> = [[800, 600], [600, 800], [28, 28], [100, 40], [113, 111], [3, 500]];
const BOXES: Array<{ width?: number; height?: number }> = [{ width: 112, height: 112 }, { width: 28, height: 28 }, { width: 64, height: 48 }, { width: 50 }, { height: 30 }];

describe('planResize', () => {
  for (const [w, h] of SIZES) {
    it(`sizes a ${w}×${h} picture as sharp does`, async () => {
      const input = await sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } }).png().toBuffer();
      for (const box of BOXES) {
        for (const fit of IMAGE_FITS) {
          for (const withoutEnlargement of [false, true]) {
            const { info } = await sharp(input).resize({ ...box, fit, withoutEnlargement }).raw().toBuffer({ resolveWithObject: true });
            const plan = planResize(w, h, { ...box, fit, withoutEnlargement });
            expect([plan.width, plan.height], `${JSON.stringify(box)} ${fit} withoutEnlargement=${withoutEnlargement}`).toEqual([info.width, info.height]);
            expect(plan.at.x + plan.crop.width).toBeLessThanOrEqual(plan.width);
            expect(plan.crop.x + plan.crop.width).toBeLessThanOrEqual(plan.scaled.width);
          }
        }
      }
    });
  }

  it('sizes a JPEG as sharp does after its shrink-on-load', async () => {
    for (let w = 220; w < 2400; w += 37) {
      const h = Math.round(w * 0.77);
      const input = await sharp({ create: { width: w, height: h, channels: 3, background: '#808080' } }).jpeg().toBuffer();
      for (const [fit, box] of [['inside', { width: 112, height: 112 }], ['cover', { width: 64, height: 64 }], ['contain', { width: 100, height: 60 }]] as const) {
        const { info } = await sharp(input).resize({ ...box, fit }).raw().toBuffer({ resolveWithObject: true });
        const plan = planResize(w, h, { ...box, fit }, 'jpeg');
        expect([plan.width, plan.height, plan.scaled.width >= plan.crop.width], `${w}×${h} ${fit}`).toEqual([info.width, info.height, true]);
      }
    }
  });

  it('centres a contained picture and pads around it', () => {
    expect(planResize(200, 100, { width: 100, height: 100, fit: 'contain' })).toEqual({ preShrink: 1, width: 100, height: 100, scaled: { width: 100, height: 50 }, crop: { x: 0, y: 0, width: 100, height: 50 }, at: { x: 0, y: 25 } });
  });

  it('crops the centre for cover', () => {
    expect(planResize(200, 100, { width: 100, height: 100, fit: 'cover' }).crop).toEqual({ x: 50, y: 0, width: 100, height: 100 });
  });
});

describe('base64 without Buffer', () => {
  it('round-trips every byte value, standard and URL-safe', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) % 256);
    const text = base64Encode(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64Decode(text, false)).toEqual(bytes);
    expect(base64Decode(Buffer.from(bytes).toString('base64url'), true)).toEqual(bytes);
  });
});
