/** sniffImage reads format and declared size from headers alone, for every format sharp writes. */
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { probeImage, sniffImage } from './index.ts';

const FORMATS = [
  ['png', (s: Sharp) => s.png()],
  ['jpeg', (s: Sharp) => s.jpeg()],
  ['jpeg', (s: Sharp) => s.jpeg({ progressive: true })],
  ['webp', (s: Sharp) => s.webp()], // lossy: VP8
  ['webp', (s: Sharp) => s.webp({ lossless: true })], // VP8L
  ['gif', (s: Sharp) => s.gif()],
  ['tiff', (s: Sharp) => s.tiff()],
  ['avif', (s: Sharp) => s.avif()],
] as const;

describe('sniffImage', () => {
  it.each(FORMATS)('%s: format and size from the header', async (format, encode) => {
    const bytes = await encode(sharp({ create: { width: 37, height: 21, channels: 3, background: '#808080' } })).toBuffer();
    expect(sniffImage(bytes)).toEqual({ format, width: 37, height: 21 });
  });

  it('WebP with alpha (VP8X) and big-endian TIFF', async () => {
    const rgba = sharp({ create: { width: 300, height: 5, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } } });
    expect(sniffImage(await rgba.clone().webp().toBuffer())).toEqual({ format: 'webp', width: 300, height: 5 });
    const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4);
    tiff.write('MM\0*', 0, 'latin1');
    tiff.writeUInt32BE(8, 4);
    tiff.writeUInt16BE(2, 8);
    tiff.writeUInt16BE(256, 10); // ImageWidth, LONG
    tiff.writeUInt16BE(4, 12);
    tiff.writeUInt32BE(1, 14);
    tiff.writeUInt32BE(70_000, 18);
    tiff.writeUInt16BE(257, 22); // ImageLength, SHORT
    tiff.writeUInt16BE(3, 24);
    tiff.writeUInt32BE(1, 26);
    tiff.writeUInt16BE(900, 30);
    expect(sniffImage(tiff)).toEqual({ format: 'tiff', width: 70_000, height: 900 });
  });

  it('SVG: size from width/height or viewBox', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(sniffImage(enc('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="40">'))).toEqual({ format: 'svg', width: 120, height: 40 });
    expect(sniffImage(enc('\uFEFF<svg viewBox="0 0 64 32"></svg>'))).toEqual({ format: 'svg', width: 64, height: 32 });
    expect(sniffImage(enc('<html><body>not svg</body></html>'))).toBeNull();
  });

  it('null for text, garbage, empty, and other ISO-BMFF files', () => {
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(new TextEncoder().encode('hello, world'))).toBeNull();
    expect(sniffImage(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]))).toBeNull();
    const mp4 = Buffer.alloc(32);
    mp4.writeUInt32BE(20, 0);
    mp4.write('ftypisom\0\0\0\0isom', 4, 'latin1');
    expect(sniffImage(mp4)).toBeNull();
  });

  it('a header cut off before the size: null from sniffImage, truncated from probeImage', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).jpeg().toBuffer();
    expect(sniffImage(png.subarray(0, 20))).toBeNull();
    expect(probeImage(png.subarray(0, 20))).toMatchObject({ format: 'png', truncated: true });
    expect(probeImage(jpeg.subarray(0, 30))).toMatchObject({ format: 'jpeg', truncated: true });
  });

  it('never throws on arbitrary bytes', () => {
    for (let seed = 0; seed < 2000; seed += 1) {
      const length = seed % 64;
      const bytes = new Uint8Array(length).map((_, i) => (seed * 31 + i * 17) & 0xff);
      // Start some with real signatures so the format-specific readers run on garbage.
      const prefixes = [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x49, 0x49, 0x2a, 0], [0x52, 0x49, 0x46, 0x46]];
      const prefix = prefixes[seed % prefixes.length] ?? [];
      bytes.set(prefix.slice(0, length));
      expect(() => probeImage(bytes)).not.toThrow();
    }
  });
});
