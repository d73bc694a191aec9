/** The small-PNG fast path must give exactly the pixels sharp gives, for every PNG flavour and mode. */
import { crc32, deflateSync } from 'node:zlib';
import { encode } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type ImageMode, type RawImage } from './index.ts';
import { decodeSmallPng } from './png-fast.ts';

const MODES: Array<ImageMode | undefined> = [undefined, 'L', 'RGB', 'RGBA'];

// A deterministic pseudo-random byte stream (mulberry32), so failures reproduce.
function noise(length: number, seed: number): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

function noise16(length: number, seed: number): Uint16Array {
  const bytes = noise(length * 2, seed);
  return new Uint16Array(length).map((_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
}

// Alpha values that exercise the flatten rounding: 0, 255 and everything in between.
function withAlphaSpread(data: Uint8Array, channels: number): Uint8Array {
  const out = data.slice();
  for (let p = 0; p * channels < out.length; p += 1) {
    const a = p % 7 === 0 ? 0 : p % 7 === 1 ? 255 : (out[p * channels + channels - 1] ?? 0);
    out[p * channels + channels - 1] = a;
  }
  return out;
}

async function samples(): Promise<Array<[string, Uint8Array]>> {
  const w = 23; // odd width: packed rows end mid-byte
  const h = 17;
  const n = w * h;
  const cases: Array<[string, Uint8Array]> = [
    ['grey 8-bit', encode({ width: w, height: h, data: noise(n, 1), depth: 8, channels: 1 })],
    ['grey+alpha 8-bit', encode({ width: w, height: h, data: withAlphaSpread(noise(n * 2, 2), 2), depth: 8, channels: 2 })],
    ['RGB 8-bit', encode({ width: w, height: h, data: noise(n * 3, 3), depth: 8, channels: 3 })],
    ['RGBA 8-bit', encode({ width: w, height: h, data: withAlphaSpread(noise(n * 4, 4), 4), depth: 8, channels: 4 })],
    ['grey 16-bit', encode({ width: w, height: h, data: noise16(n, 5), depth: 16, channels: 1 })],
    ['grey+alpha 16-bit', encode({ width: w, height: h, data: noise16(n * 2, 6), depth: 16, channels: 2 })],
    ['RGB 16-bit', encode({ width: w, height: h, data: noise16(n * 3, 7), depth: 16, channels: 3 })],
    ['RGBA 16-bit', encode({ width: w, height: h, data: noise16(n * 4, 8), depth: 16, channels: 4 })],
    ['1×1 grey', encode({ width: 1, height: 1, data: new Uint8Array([77]), depth: 8, channels: 1 })],
  ];
  for (const depth of [1, 2, 4] as const) {
    const rowBytes = Math.ceil((w * depth) / 8);
    cases.push([`grey ${depth}-bit`, encode({ width: w, height: h, data: noise(rowBytes * h, 10 + depth), depth, channels: 1 })]);
  }
  const rgba = withAlphaSpread(noise(n * 4, 20), 4);
  const opaque = noise(n * 3, 21);
  for (const colours of [2, 4, 16, 256]) {
    // sharp (libimagequant) writes the smallest bit depth that holds the palette.
    cases.push([`palette ${colours} colours`, await sharp(opaque, { raw: { width: w, height: h, channels: 3 } }).png({ palette: true, colours }).toBuffer()]);
    cases.push([`palette ${colours} colours + tRNS`, await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png({ palette: true, colours }).toBuffer()]);
  }
  cases.push(['interlaced RGBA', await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).png({ progressive: true }).toBuffer()]);
  // fast-png's encoder writes every row unfiltered: these rows cycle through all five filters.
  cases.push(['rows filtered None/Sub/Up/Average/Paeth, grey 8-bit', encodeFiltered(w, h, 0, 8, noise(n, 60))]);
  cases.push(['rows filtered None/Sub/Up/Average/Paeth, RGB 8-bit', encodeFiltered(w, h, 2, 8, noise(n * 3, 61))]);
  cases.push(['rows filtered None/Sub/Up/Average/Paeth, RGBA 16-bit', encodeFiltered(w, h, 6, 16, noise(n * 8, 62))]);
  cases.push(['rows filtered None/Sub/Up/Average/Paeth, grey 2-bit', encodeFiltered(w, h, 0, 2, noise(Math.ceil((w * 2) / 8) * h, 63))]);
  cases.push(['28×28 grey (Fashion-MNIST size)', encode({ width: 28, height: 28, data: noise(784, 30), depth: 8, channels: 1 })]);
  return cases.map(([name, bytes]) => [name, new Uint8Array(bytes)]);
}

function same(a: RawImage, b: RawImage): void {
  expect({ width: a.width, height: a.height, channels: a.channels }).toEqual({ width: b.width, height: b.height, channels: b.channels });
  // Compare as plain arrays so a mismatch names the first differing index.
  expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
}

/**
 * A non-interlaced PNG whose row y is written with filter type y mod 5 (ISO 15948 §9.2), from
 * packed big-endian rows `data`.
 */
function encodeFiltered(width: number, height: number, colourType: 0 | 2 | 6, depth: 2 | 8 | 16, data: Uint8Array): Uint8Array {
  const channels = { 0: 1, 2: 3, 6: 4 }[colourType];
  const rowBytes = Math.ceil((width * channels * depth) / 8);
  const bpp = Math.max(1, (channels * depth) / 8);
  const filtered = new Uint8Array(height * (rowBytes + 1));
  for (let y = 0; y < height; y += 1) {
    const type = y % 5;
    filtered[y * (rowBytes + 1)] = type;
    for (let x = 0; x < rowBytes; x += 1) {
      const at = (yy: number, xx: number) => (yy >= 0 && xx >= 0 ? data[yy * rowBytes + xx]! : 0);
      const [a, b, c] = [at(y, x - bpp), at(y - 1, x), at(y - 1, x - bpp)];
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][type]!;
      filtered[y * (rowBytes + 1) + 1 + x] = (at(y, x) - predictor) & 255;
    }
  }
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    out.set(body, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([depth, colourType, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(filtered)), chunk('IEND', new Uint8Array(0))]);
}

describe('small-PNG fast path', async () => {
  const cases = await samples();

  it.each(cases)('%s: the fast path accepts it', (_name, bytes) => {
    expect(decodeSmallPng(bytes)).not.toBeNull();
  });

  for (const mode of MODES) {
    it.each(cases)(`%s, mode ${mode ?? 'native'}: same pixels as sharp`, async (_name, bytes) => {
      const fast = await decodeImage(bytes, { field: 'image', mode });
      const slow = await decodeImage(bytes, { field: 'image', mode, decoder: 'sharp' });
      same(fast, slow);
    });
  }

  it('an identity resize keeps the fast path and equals sharp', async () => {
    const bytes = encode({ width: 28, height: 28, data: noise(784 * 4, 40), depth: 8, channels: 4 });
    for (const resize of [
      { width: 28, height: 28 },
      { width: 28 },
      { height: 28, fit: 'inside' as const },
      { width: 64, height: 64, fit: 'inside' as const, withoutEnlargement: true },
      { width: 64, height: 64, fit: 'contain' as const, withoutEnlargement: true },
      { width: 64, height: 64, fit: 'cover' as const, withoutEnlargement: true },
    ]) {
      const fast = await decodeImage(bytes, { field: 'image', mode: 'L', resize });
      const slow = await decodeImage(bytes, { field: 'image', mode: 'L', resize, decoder: 'sharp' });
      same(fast, slow);
    }
  });

  it('declines what only sharp handles right: ICC profile, EXIF orientation, grey tRNS, truncation', async () => {
    const rgb = noise(8 * 8 * 3, 50);
    const icc = await sharp(rgb, { raw: { width: 8, height: 8, channels: 3 } }).withIccProfile('p3').png().toBuffer();
    expect(decodeSmallPng(icc)).toBeNull();
    const rotated = await sharp(rgb, { raw: { width: 8, height: 8, channels: 3 } }).withMetadata({ orientation: 6 }).png().toBuffer();
    // libvips writes the orientation into an eXIf chunk; sharp's autoOrient applies it.
    if (rotated.includes(Buffer.from('eXIf'))) expect(decodeSmallPng(rotated)).toBeNull();
    const whole = encode({ width: 8, height: 8, data: rgb, depth: 8, channels: 3 });
    expect(decodeSmallPng(whole.subarray(0, whole.length - 20))).toBeNull();
    const large = encode({ width: 300, height: 300, data: noise(300 * 300, 51), depth: 8, channels: 1 });
    expect(decodeSmallPng(large)).toBeNull();
  });

  it('a PNG with an ICC profile still decodes the same through decodeImage', async () => {
    const rgb = noise(8 * 8 * 3, 52);
    const icc = await sharp(rgb, { raw: { width: 8, height: 8, channels: 3 } }).withIccProfile('p3').png().toBuffer();
    same(await decodeImage(icc, { field: 'image' }), await decodeImage(icc, { field: 'image', decoder: 'sharp' }));
  });
});
