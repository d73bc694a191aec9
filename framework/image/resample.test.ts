/** resizeLikeVips gives nearly sharp's pixels: what lets the browser build give the function the picture the server would. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { resizeLikeVips } from './resample.ts';
import { planResize } from './resize-plan.ts';

/** A photo-like test card: gradients, hard edges and fine stripes (where filters differ most). */
async function card(width: number, height: number, format: 'png' | 'jpeg'): Promise<Buffer> {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (x / 7) % 2 < 1 ? 40 : 220;
      data[i + 2] = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (height / 3) ** 2 ? 250 : (y * 255) / height;
    }
  }
  const s = sharp(data, { raw: { width, height, channels: 3 } });
  return format === 'png' ? s.png().toBuffer() : s.jpeg({ quality: 92 }).toBuffer();
}

describe('resizeLikeVips', () => {
  for (const [w, h, format] of [[800, 600, 'jpeg'], [517, 933, 'jpeg'], [300, 260, 'png'], [2000, 1500, 'jpeg']] as const) {
    // JPEG's shrink-on-load is libjpeg's DCT scaling, approximated by a box average: on this card's
    // fine stripes that costs ~2 levels on average; on photos 0.15–0.5 (the agreement test's sets).
    const limit = format === 'jpeg' ? 3 : 1;
    it(`shrinks a ${w}×${h} ${format} to 112 px within a mean of ${limit} level(s) of sharp`, async () => {
      const bytes = await card(w, h, format);
      const box = { width: 112, height: 112, fit: 'inside' as const, withoutEnlargement: true };
      const server = await sharp(bytes).resize(box).raw().toBuffer({ resolveWithObject: true });
      const full = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      const plan = planResize(w, h, box, format);
      const mine = resizeLikeVips({ data: new Uint8Array(full.data), width: w, height: h, channels: 3 }, plan.scaled.width, plan.scaled.height, plan.preShrink);
      expect([mine.width, mine.height]).toEqual([server.info.width, server.info.height]);
      let diff = 0;
      for (let i = 0; i < mine.data.length; i++) diff += Math.abs(mine.data[i]! - server.data[i]!);
      const mean = diff / mine.data.length;
      expect(mean).toBeLessThan(limit);
    });
  }

  it('returns the picture itself when nothing changes', () => {
    const img = { data: new Uint8Array(12), width: 2, height: 2, channels: 3 as const };
    expect(resizeLikeVips(img, 2, 2)).toBe(img);
  });
});
