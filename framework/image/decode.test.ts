/** decodeImage on every format and every kind of bad upload, with images made by sharp in the test. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { VitrineError } from '../errors.ts';
import { decodeImage, type RawImage } from './index.ts';

const RED = { r: 220, g: 20, b: 60 };

async function solid(format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'avif', width = 16, height = 12): Promise<Buffer> {
  const s = sharp({ create: { width, height, channels: 3, background: RED } });
  switch (format) {
    case 'png':
      return s.png().toBuffer();
    case 'jpeg':
      return s.jpeg({ quality: 95 }).toBuffer();
    case 'webp':
      return s.webp({ lossless: true }).toBuffer();
    case 'gif':
      return s.gif().toBuffer();
    case 'tiff':
      return s.tiff().toBuffer();
    case 'avif':
      return s.avif({ lossless: true }).toBuffer();
  }
}

/** Runs a decode and returns the VitrineError it throws (fails the test if it does not throw one). */
async function rejection(bytes: Uint8Array, opts: Parameters<typeof decodeImage>[1] = { field: 'image' }): Promise<VitrineError> {
  try {
    await decodeImage(bytes, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(VitrineError);
    return err as VitrineError;
  }
  throw new Error('decodeImage did not throw');
}

function pixel(img: RawImage, x: number, y: number): number[] {
  const at = (y * img.width + x) * img.channels;
  return [...img.data.subarray(at, at + img.channels)];
}

function near(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - (expected[i] ?? 0))).toBeLessThanOrEqual(tolerance));
}

// A PNG chunk with a correct CRC (ISO 15948 §5.3), to craft headers by hand.
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

describe('decodeImage: formats', () => {
  it.each(['png', 'jpeg', 'webp', 'gif', 'tiff', 'avif'] as const)('%s decodes to the right colour', async (format) => {
    const img = await decodeImage(await solid(format), { field: 'image', mode: 'RGB' });
    expect([img.width, img.height, img.channels]).toEqual([16, 12, 3]);
    // Lossy or palette formats move a colour a little; lossless ones keep it exactly.
    near(pixel(img, 5, 5), [RED.r, RED.g, RED.b], format === 'jpeg' || format === 'gif' ? 8 : 2);
  });

  it('mode L gives BT.601 luma of the colour', async () => {
    const img = await decodeImage(await solid('png'), { field: 'image', mode: 'L' });
    expect(img.channels).toBe(1);
    expect(pixel(img, 0, 0)).toEqual([(19595 * RED.r + 38470 * RED.g + 7471 * RED.b + 32768) >> 16]);
  });

  it('a 1×1 image decodes', async () => {
    const img = await decodeImage(await solid('png', 1, 1), { field: 'image', mode: 'L' });
    expect([img.width, img.height, img.data.length]).toEqual([1, 1, 1]);
  });

  it('16-bit PNG becomes 8-bit', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: RED } }).toColourspace('rgb16').png().toBuffer();
    const img = await decodeImage(png, { field: 'image', decoder: 'sharp' });
    expect(img.data).toBeInstanceOf(Uint8Array);
    expect(img.data.length).toBe(4 * 4 * 3);
    near(pixel(img, 0, 0), [RED.r, RED.g, RED.b], 1);
  });

  it('CMYK JPEG becomes sRGB', async () => {
    const cmyk = await sharp({ create: { width: 8, height: 8, channels: 3, background: RED } }).toColourspace('cmyk').jpeg({ quality: 100 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const img = await decodeImage(cmyk, { field: 'image', mode: 'RGB' });
    expect(img.channels).toBe(3);
    // The CMYK round trip goes through an ICC profile: close, not exact.
    near(pixel(img, 4, 4), [RED.r, RED.g, RED.b], 30);
  });

  it('alpha is kept for RGBA and flattened on white for RGB and L', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    expect(pixel(await decodeImage(png, { field: 'image', mode: 'RGBA' }), 0, 0)).toEqual([0, 0, 0, 0]);
    expect(pixel(await decodeImage(png, { field: 'image', mode: 'RGB' }), 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(await decodeImage(png, { field: 'image', mode: 'L' }), 0, 0)).toEqual([255]);
    const native = await decodeImage(png, { field: 'image' });
    expect(native.channels).toBe(4);
  });

  it('an animated GIF gives its first frame only', async () => {
    const frame = (c: { r: number; g: number; b: number }) =>
      sharp({ create: { width: 10, height: 10, channels: 3, background: c } }).png().toBuffer();
    const gif = await sharp([await frame({ r: 255, g: 0, b: 0 }), await frame({ r: 0, g: 0, b: 255 })], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const img = await decodeImage(gif, { field: 'image', mode: 'RGB' });
    expect([img.width, img.height]).toEqual([10, 10]);
    near(pixel(img, 5, 5), [255, 0, 0], 8);
  });

  it('EXIF orientation is applied (a 6 = rotate 90° JPEG comes out portrait)', async () => {
    // 40 wide × 20 high, left half black, right half white; orientation 6 means "rotate 90° CW to view".
    const raw = Buffer.alloc(40 * 20 * 3);
    for (let y = 0; y < 20; y += 1) for (let x = 20; x < 40; x += 1) raw.fill(255, (y * 40 + x) * 3, (y * 40 + x) * 3 + 3);
    const jpeg = await sharp(raw, { raw: { width: 40, height: 20, channels: 3 } }).jpeg({ quality: 100 }).withMetadata({ orientation: 6 }).toBuffer();
    const img = await decodeImage(jpeg, { field: 'image', mode: 'L' });
    expect([img.width, img.height]).toEqual([20, 40]);
    // After a clockwise turn the left (black) half is on top.
    expect(pixel(img, 10, 5)[0]).toBeLessThan(30);
    expect(pixel(img, 10, 35)[0]).toBeGreaterThan(225);
  });

  it('resizes a large JPEG with sharp (shrink-on-load) to the requested box', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: RED } }).jpeg().toBuffer();
    const img = await decodeImage(jpeg, { field: 'image', mode: 'L', resize: { width: 28, height: 28, fit: 'contain' } });
    expect([img.width, img.height, img.channels]).toEqual([28, 28, 1]);
    // contain pads with white when alpha is not kept.
    expect(pixel(img, 14, 0)).toEqual([255]);
    near(pixel(img, 14, 14), [(19595 * RED.r + 38470 * RED.g + 7471 * RED.b + 32768) >> 16], 3);
  });

  it('resizes with fit inside, keeping the aspect ratio', async () => {
    const img = await decodeImage(await solid('png', 400, 100), { field: 'image', resize: { width: 100, height: 100, fit: 'inside' } });
    expect([img.width, img.height]).toEqual([100, 25]);
  });
});

describe('decodeImage: bad input', () => {
  it('zero bytes → INVALID_IMAGE', async () => {
    const err = await rejection(new Uint8Array(0));
    expect([err.code, err.status]).toEqual(['INVALID_IMAGE', 400]);
    expect(err.message).toMatch(/empty/);
    expect(err.field).toBe('image');
  });

  it('text renamed .png → INVALID_IMAGE saying it is text', async () => {
    const err = await rejection(new TextEncoder().encode('name,price\nshirt,12\n'));
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toMatch(/not a recognised image \(PNG, JPEG, WebP, GIF, TIFF, AVIF\).*text/);
  });

  it('random garbage → INVALID_IMAGE', async () => {
    const garbage = new Uint8Array(1000).map((_, i) => (i * 7919 + 13) % 251);
    const err = await rejection(garbage);
    expect(err.code).toBe('INVALID_IMAGE');
    expect(err.message).toMatch(/not a recognised image/);
  });

  it.each(['png', 'jpeg', 'webp', 'gif', 'tiff'] as const)('truncated %s → INVALID_IMAGE, never a crash', async (format) => {
    const whole = await sharp({ create: { width: 64, height: 64, channels: 3, background: RED, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .toFormat(format)
      .toBuffer();
    for (const keep of [0.3, 0.6, 0.9]) {
      const err = await rejection(whole.subarray(0, Math.floor(whole.length * keep)));
      expect(err.code).toBe('INVALID_IMAGE');
    }
  });

  it('truncated PNG and JPEG say "truncated"', async () => {
    const noisy = sharp({ create: { width: 64, height: 64, channels: 3, background: RED, noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    const png = await noisy.clone().png().toBuffer();
    const jpeg = await noisy.clone().jpeg().toBuffer();
    expect((await rejection(png.subarray(0, png.length / 2))).message).toMatch(/truncated PNG data/);
    expect((await rejection(png.subarray(0, 16))).message).toMatch(/truncated PNG data/);
    expect((await rejection(jpeg.subarray(0, jpeg.length / 2))).message).toMatch(/truncated JPEG data/);
  });

  it('a PNG bomb (tiny file, 100000 × 100000 declared) → IMAGE_TOO_LARGE from the header', async () => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(100_000, 0);
    ihdr.writeUInt32BE(100_000, 4);
    ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grey
    const bomb = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', new Uint8Array([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])),
      chunk('IEND', new Uint8Array(0)),
    ]);
    expect(bomb.length).toBeLessThan(100);
    const err = await rejection(bomb);
    expect([err.code, err.status]).toEqual(['IMAGE_TOO_LARGE', 413]);
    expect(err.message).toMatch(/100000×100000/);
  });

  it('a JPEG bomb (SOF declaring 65000 × 65000) → IMAGE_TOO_LARGE', async () => {
    const jpeg = Buffer.from(await solid('jpeg', 8, 8));
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(65000, sof + 5);
    jpeg.writeUInt16BE(65000, sof + 7);
    const err = await rejection(jpeg);
    expect(err.code).toBe('IMAGE_TOO_LARGE');
  });

  it('custom limits: pixels and bytes', async () => {
    const png = await solid('png', 100, 100);
    expect((await rejection(png, { field: 'photo', limits: { maxPixels: 9_999 } })).code).toBe('IMAGE_TOO_LARGE');
    const err = await rejection(png, { field: 'photo', limits: { maxBytes: 10 } });
    expect([err.code, err.field]).toEqual(['IMAGE_TOO_LARGE', 'photo']);
  });

  it('BMP → UNSUPPORTED_IMAGE', async () => {
    const bmp = Buffer.alloc(58);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(58, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(1, 18);
    bmp.writeInt32LE(1, 22);
    const err = await rejection(bmp);
    expect([err.code, err.status]).toEqual(['UNSUPPORTED_IMAGE', 415]);
  });
});

describe('decodeImage: SVG', () => {
  const svg = new TextEncoder().encode(
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#0000ff"/></svg>',
  );

  it('is refused by default with UNSUPPORTED_IMAGE', async () => {
    const err = await rejection(svg);
    expect([err.code, err.status]).toEqual(['UNSUPPORTED_IMAGE', 415]);
    expect(err.message).toMatch(/SVG/);
  });

  it('renders when allowed', async () => {
    const img = await decodeImage(svg, { field: 'image', mode: 'RGB', limits: { allowSvg: true } });
    expect([img.width, img.height]).toEqual([20, 10]);
    near(pixel(img, 10, 5), [0, 0, 255], 2);
  });

  it('a huge declared SVG size → IMAGE_TOO_LARGE even when allowed', async () => {
    const big = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"></svg>');
    expect((await rejection(big, { field: 'image', limits: { allowSvg: true } })).code).toBe('IMAGE_TOO_LARGE');
  });

  it('never fetches external references, even when allowed', async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const external = [
        `<image href="http://127.0.0.1:${port}/x.png" width="10" height="10"/>`,
        `<image xlink:href="file:///etc/passwd" width="10" height="10"/>`,
        `<style>@import url(http://127.0.0.1:${port}/a.css);</style>`,
        `<rect width="10" height="10" fill="url(http://127.0.0.1:${port}/p#g)"/>`,
      ];
      for (const body of external) {
        const doc = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">${body}</svg>`;
        const err = await rejection(new TextEncoder().encode(doc), { field: 'image', limits: { allowSvg: true } });
        expect(err.code).toBe('UNSUPPORTED_IMAGE');
      }
      const entity = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "http://127.0.0.1:${port}/e">]><svg xmlns="http://www.w3.org/2000/svg" width="5" height="5">&x;</svg>`;
      expect((await rejection(new TextEncoder().encode(entity), { field: 'image', limits: { allowSvg: true } })).code).toBe('UNSUPPORTED_IMAGE');
      // Internal references stay allowed.
      const internal = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><rect id="r" width="10" height="10" fill="red"/></defs><use href="#r"/></svg>`;
      await expect(decodeImage(new TextEncoder().encode(internal), { field: 'image', limits: { allowSvg: true } })).resolves.toBeDefined();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(hits).toBe(0);
  });
});
