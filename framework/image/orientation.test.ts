/** The orientation tag is found and blanked in JPEG and WebP files, and orient() turns pixels as sharp's autoOrient does. */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findOrientation, orient, withoutOrientation } from './orientation.ts';

/** A 5×3 picture whose every pixel differs, so any wrong turn shows. */
const W = 5;
const H = 3;
const pixels = Uint8Array.from({ length: W * H * 3 }, (_, i) => (i * 17) % 256);

describe('EXIF orientation', () => {
  for (const format of ['jpeg', 'webp'] as const) {
    for (const o of [1, 2, 3, 4, 5, 6, 7, 8]) {
      it(`finds orientation ${o} in a ${format} file, and blanking it makes sharp leave the pixels as stored`, async () => {
        const s = sharp(pixels, { raw: { width: W, height: H, channels: 3 } }).withMetadata({ orientation: o });
        const bytes = new Uint8Array(format === 'jpeg' ? await s.jpeg({ quality: 100 }).toBuffer() : await s.webp({ lossless: true }).toBuffer());
        const tag = findOrientation(bytes, format);
        expect(tag?.orientation).toBe(o);
        const blank = withoutOrientation(bytes, tag!);
        expect(findOrientation(blank, format)?.orientation).toBe(1);
        const upright = await sharp(blank, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
        const turned = await sharp(bytes, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
        const mine = orient({ data: new Uint8Array(upright.data), width: upright.info.width, height: upright.info.height, channels: 3 }, o);
        expect([mine.width, mine.height]).toEqual([turned.info.width, turned.info.height]);
        expect(Buffer.from(mine.data).equals(turned.data)).toBe(true);
      });
    }
  }

  it('finds nothing in a file without EXIF, or in a malformed one', async () => {
    const plain = new Uint8Array(await sharp(pixels, { raw: { width: W, height: H, channels: 3 } }).jpeg().toBuffer());
    expect(findOrientation(plain, 'jpeg')).toBeNull();
    expect(findOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 20, 0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d]), 'jpeg')).toBeNull();
    expect(findOrientation(plain, 'png')).toBeNull();
  });
});
