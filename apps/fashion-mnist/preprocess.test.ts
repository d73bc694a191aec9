/** preprocessForFashionMnist on dataset images, staged photos in every format, and degenerate pictures. */
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, type RawImage } from 'vitrine';
import { analyseForFashionMnist, preprocessForFashionMnist, resample, SIDE } from './preprocess.ts';

const EXAMPLES = new URL('./examples/', import.meta.url);

interface ExampleEntry {
  file: string;
  label: string;
  class: number;
  kind: 'dataset' | 'photo' | 'cutout';
  source: string;
}

async function example(file: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(new URL(file, EXAMPLES)));
}

async function decode(bytes: Uint8Array): Promise<RawImage> {
  return decodeImage(bytes, { field: 'image', mode: 'L' });
}

/** The dataset tensor of a committed 28×28 example: IDX bytes / 255. */
async function datasetTensor(file: string): Promise<Float32Array> {
  const img = await decode(await example(file));
  return Float32Array.from(img.data, (v) => v / 255);
}

/** Pearson correlation of two tensors: 1 = same picture up to brightness and contrast. */
function correlation(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i += 1) {
    ma += a[i] ?? 0;
    mb += b[i] ?? 0;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i += 1) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

function expectValidTensor(t: Float32Array): void {
  expect(t).toBeInstanceOf(Float32Array);
  expect(t.length).toBe(SIDE * SIDE);
  for (const v of t) {
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
}

/** Bounding box of the non-zero pixels of a 28×28 tensor. */
function tensorBox(t: Float32Array, threshold = 0): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < SIDE; y += 1) {
    for (let x = 0; x < SIDE; x += 1) {
      if ((t[y * SIDE + x] ?? 0) > threshold) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return { x0, y0, x1, y1 };
}

/**
 * A 28×28 dataset image staged as a product photo: enlarged, negated onto a light background,
 * tinted, placed off-centre with margins — the opposite of the dataset's own pipeline.
 */
async function stagedPhoto(
  file: string,
  opts: { side?: number; canvas?: [number, number]; at?: [number, number]; background?: [number, number, number]; shadow?: boolean; shadowStrength?: number } = {},
): Promise<Sharp> {
  const garment = (await decode(await example(file))).data;
  const side = opts.side ?? 240;
  const [width, height] = opts.canvas ?? [640, 480];
  const [left, top] = opts.at ?? [60, 200];
  const bg = opts.background ?? [255, 255, 255];
  const ink = await sharp(garment, { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side, { kernel: 'cubic' }).extractChannel(0).raw().toBuffer();
  const shadow = opts.shadow
    ? await sharp(garment, { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side).blur(side / 40).extractChannel(0).raw().toBuffer()
    : undefined;
  const tint = [0.9, 0.6, 0.3];
  const canvas = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const gx = x - left;
      const gy = y - top;
      const inside = gx >= 0 && gy >= 0 && gx < side && gy < side;
      const a = inside ? (ink[gy * side + gx] ?? 0) / 255 : 0;
      // A soft shadow 4 % of the garment below it, darkening the background by up to 20 %.
      const sy = gy - Math.round(side * 0.04);
      const s = shadow && gx >= 0 && sy >= 0 && gx < side && sy < side ? ((shadow[sy * side + gx] ?? 0) / 255) * (opts.shadowStrength ?? 0.2) * (1 - a) : 0;
      for (let c = 0; c < 3; c += 1) canvas[(y * width + x) * 3 + c] = Math.round((bg[c] ?? 255) * (1 - s) * (1 - a * (tint[c] ?? 1)));
    }
  }
  return sharp(canvas, { raw: { width, height, channels: 3 } });
}

describe('preprocessForFashionMnist: dataset images', async () => {
  const manifest = JSON.parse(await readFile(new URL('examples.json', EXAMPLES), 'utf8')) as ExampleEntry[];
  const datasetFiles = manifest.filter((e) => e.kind === 'dataset').map((e) => e.file);

  it('the manifest lists one dataset image per class, and every listed file exists', async () => {
    expect(new Set(manifest.filter((e) => datasetFiles.includes(e.file)).map((e) => e.class))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    for (const e of manifest) await expect(readFile(new URL(e.file, EXAMPLES))).resolves.toBeDefined();
  });

  it.each(datasetFiles)('%s passes through unchanged', async (file) => {
    const original = await datasetTensor(file);
    const report = analyseForFashionMnist(await decode(await example(file)));
    expect(report.passthrough).toBe(true);
    expectValidTensor(report.tensor);
    expect([...report.tensor]).toEqual([...original]);
  });

  it.each(datasetFiles)('%s enlarged to 112 × 112 comes back close to itself (crop, fit, centre)', async (file) => {
    const bytes = await sharp(await example(file)).resize(112, 112, { kernel: 'cubic' }).png().toBuffer();
    const report = analyseForFashionMnist(await decode(bytes));
    expect(report.passthrough).toBe(false);
    // Not exact: the cubic enlargement spreads the edges, so the crop and the area resampling differ slightly.
    expect(correlation(report.tensor, await datasetTensor(file))).toBeGreaterThan(0.9);
  });
});

describe('preprocessForFashionMnist: product photos', () => {
  it('a staged photo (light background, tint, off-centre, margins) comes back close to the dataset image', async () => {
    const photo = await (await stagedPhoto('sneaker.png')).jpeg({ quality: 85 }).toBuffer();
    const report = analyseForFashionMnist(await decode(photo));
    expect(report.background.every((c) => c > 200)).toBe(true);
    expect(correlation(report.tensor, await datasetTensor('sneaker.png'))).toBeGreaterThan(0.9);
  });

  it('the garment is cropped, its longest side fills 28 pixels and it is centred', async () => {
    // Small garment in the top-left corner of a large picture.
    const photo = await (await stagedPhoto('bag.png', { side: 150, canvas: [900, 700], at: [20, 30] })).png().toBuffer();
    const t = preprocessForFashionMnist(await decode(photo));
    const box = tensorBox(t, 0.05);
    expect(Math.max(box.x1 - box.x0, box.y1 - box.y0) + 1).toBeGreaterThanOrEqual(27);
    expect(Math.abs((box.x0 + box.x1) / 2 - 13.5)).toBeLessThanOrEqual(1);
    expect(Math.abs((box.y0 + box.y1) / 2 - 13.5)).toBeLessThanOrEqual(1);
    expect(correlation(t, await datasetTensor('bag.png'))).toBeGreaterThan(0.9);
  });

  it('a light grey, tinted background is removed, not kept as a grey frame', async () => {
    const photo = await (await stagedPhoto('trouser.png', { background: [225, 230, 238] })).jpeg({ quality: 80 }).toBuffer();
    const t = preprocessForFashionMnist(await decode(photo));
    // The corners of the output are background: black, as in the dataset.
    for (const i of [0, SIDE - 1, SIDE * (SIDE - 1), SIDE * SIDE - 1]) expect(t[i]).toBeLessThan(0.05);
    expect(correlation(t, await datasetTensor('trouser.png'))).toBeGreaterThan(0.9);
  });

  it('a faint drop shadow stays out of the crop; a stronger one widens it only slightly', async () => {
    const staged = async (shadowStrength?: number) =>
      analyseForFashionMnist(
        await decode(await (await stagedPhoto('ankle-boot.png', { shadow: shadowStrength !== undefined, shadowStrength })).jpeg({ quality: 90 }).toBuffer()),
      );
    const plain = (await staged()).box!;
    const faint = (await staged(0.05)).box!;
    const strong = await staged(0.15);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(plain[k] - faint[k])).toBeLessThanOrEqual(2);
    // A shadow 15 % darker than the background is as dark as a light garment's body, so part of
    // it joins the crop (the threshold cannot tell them apart); the garment still dominates.
    expect(strong.box!.height).toBeLessThanOrEqual(plain.height * 1.1);
    expect(correlation(strong.tensor, await datasetTensor('ankle-boot.png'))).toBeGreaterThan(0.75);
  });

  it('a transparent cut-out is flattened on white, then treated as a photo', async () => {
    const report = analyseForFashionMnist(await decodeImage(await example('cutout-dress.png'), { field: 'image', mode: 'RGBA' }));
    expect(report.background.every((c) => c > 250)).toBe(true);
    expect(correlation(report.tensor, await datasetTensor('dress.png'))).toBeGreaterThan(0.9);
  });

  it.each([
    ['PNG', (s: Sharp) => s.png()],
    ['JPEG q70', (s: Sharp) => s.jpeg({ quality: 70 })],
    ['WebP', (s: Sharp) => s.webp({ quality: 80 })],
    ['GIF', (s: Sharp) => s.gif()],
    ['TIFF', (s: Sharp) => s.tiff()],
    ['AVIF', (s: Sharp) => s.avif({ quality: 70 })],
    ['16-bit PNG', (s: Sharp) => s.toColourspace('rgb16').png()],
    ['CMYK JPEG', (s: Sharp) => s.toColourspace('cmyk').jpeg({ quality: 90 })],
    ['EXIF-rotated JPEG', (s: Sharp) => s.rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 })],
  ])('%s of the same photo gives the same garment', async (_format, encode) => {
    const bytes = await encode(await stagedPhoto('pullover.png')).toBuffer();
    const t = preprocessForFashionMnist(await decode(bytes));
    expect(correlation(t, await datasetTensor('pullover.png'))).toBeGreaterThan(0.9);
  });

  it('a very large picture (4000 × 3000) works', async () => {
    const photo = await (await stagedPhoto('coat.png', { side: 1800, canvas: [4000, 3000], at: [1500, 600] })).jpeg({ quality: 80 }).toBuffer();
    const t = preprocessForFashionMnist(await decode(photo));
    expect(correlation(t, await datasetTensor('coat.png'))).toBeGreaterThan(0.9);
  });
});

describe('preprocessForFashionMnist: casual surfaces (synthetic pictures)', () => {
  // A 120 × 96 picture: a surface, and a garment-like shape (a T: body and sleeves) at a known place.
  const W = 120;
  const H = 96;
  const BOX = { x: 30, y: 20, width: 50, height: 60 };
  const inGarment = (x: number, y: number) =>
    (x >= BOX.x + 12 && x < BOX.x + BOX.width - 12 && y >= BOX.y && y < BOX.y + BOX.height) ||
    (x >= BOX.x && x < BOX.x + BOX.width && y >= BOX.y && y < BOX.y + 18);
  const surfaces: Array<[string, (x: number, y: number) => [number, number, number]]> = [
    ['white', () => [250, 250, 250]],
    ['mid-grey', () => [128, 128, 128]],
    ['coloured (teal)', () => [40, 140, 150]],
    ['a left-to-right gradient', (x) => [90 + x, 90 + x, 110 + x]],
    ['vignetting', (x, y) => {
      const r2 = ((x - W / 2) / (W / 2)) ** 2 + ((y - H / 2) / (H / 2)) ** 2;
      const v = 230 * (1 - 0.35 * r2);
      return [v, v, v];
    }],
    ['wood grain', (x, y) => {
      const g = 0.5 + 0.5 * Math.sin((y + 6 * Math.sin(x / 17)) / 2.2);
      return [150 + 30 * g, 100 + 20 * g, 60 + 10 * g];
    }],
    ['fabric weave', (x, y) => {
      const g = ((x >> 1) + (y >> 1)) % 2 ? 18 : -18;
      return [170 + g, 60 + g, 70 + g];
    }],
  ];

  it.each(surfaces)('finds the garment on %s', (_name, surface) => {
    const data = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y += 1) {
      for (let x = 0; x < W; x += 1) {
        const bg = surface(x, y);
        // The garment: dark navy on light surfaces, off-white on dark ones, with a soft shadow below.
        const light = bg[0] + bg[1] + bg[2] > 3 * 140;
        const shadow = inGarment(x - 2, y - 3) ? 0.8 : 1;
        const rgb = inGarment(x, y) ? (light ? [30, 35, 70] : [235, 230, 220]) : bg.map((v) => v * shadow);
        for (let c = 0; c < 3; c += 1) data[(y * W + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[c] ?? 0)));
      }
    }
    const report = analyseForFashionMnist({ data, width: W, height: H, channels: 3 });
    expect(report.passthrough).toBe(false);
    const box = report.box!;
    // The shadow may add its 2–3 px offset; nothing else may join the garment.
    expect(Math.abs(box.x - BOX.x)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.y - BOX.y)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.width - BOX.width)).toBeLessThanOrEqual(4);
    expect(Math.abs(box.height - BOX.height)).toBeLessThanOrEqual(5);
    // The output is the garment bright on black: its corners are background.
    for (const i of [0, SIDE - 1, SIDE * (SIDE - 1), SIDE * SIDE - 1]) expect(report.tensor[i]).toBeLessThan(0.1);
  });
});

describe('preprocessForFashionMnist: degenerate pictures', () => {
  const grey = (width: number, height: number, value: number): RawImage => ({
    data: new Uint8Array(width * height).fill(value),
    width,
    height,
    channels: 1,
  });

  it.each([
    ['1×1 white', grey(1, 1, 255)],
    ['1×1 black', grey(1, 1, 0)],
    ['1×1 grey', grey(1, 1, 128)],
    ['all white', grey(300, 200, 255)],
    ['all black', grey(300, 200, 0)],
    ['fully transparent RGBA', { data: new Uint8Array(64 * 64 * 4), width: 64, height: 64, channels: 4 } satisfies RawImage],
  ])('%s → an all-zero tensor, no throw', (_name, img) => {
    const t = preprocessForFashionMnist(img);
    expectValidTensor(t);
    expect(t.every((v) => v === 0)).toBe(true);
  });

  it.each([
    ['1000 × 3 horizontal bar', 1000, 3],
    ['2 × 900 vertical bar', 2, 900],
    ['1 × 1', 1, 1],
  ])('%s with a garment pixel in it → a valid tensor', (_name, width, height) => {
    const img = grey(width, height, 255);
    img.data[Math.floor(img.data.length / 2)] = 0; // one dark pixel on white
    const t = preprocessForFashionMnist(img);
    expectValidTensor(t);
  });

  it('a very elongated garment keeps its aspect ratio and is centred', () => {
    const img = grey(400, 400, 255);
    for (let y = 190; y < 210; y += 1) for (let x = 10; x < 390; x += 1) img.data[y * 400 + x] = 20;
    const t = preprocessForFashionMnist(img);
    const box = tensorBox(t, 0.5);
    expect(box.x1 - box.x0 + 1).toBe(28);
    // 380 × 20 → 28 × 1.5: one or two rows (the edge rows are partly covered), centred on row 14.
    expect(box.y1 - box.y0).toBeLessThanOrEqual(1);
    expect(Math.abs((box.y0 + box.y1) / 2 - 14)).toBeLessThanOrEqual(0.5);
  });

  it('RGB, grey+alpha and RGBA inputs are accepted directly', () => {
    const rgb: RawImage = { data: new Uint8Array(10 * 10 * 3).fill(255), width: 10, height: 10, channels: 3 };
    rgb.data.fill(0, 3 * 44, 3 * 46);
    expectValidTensor(preprocessForFashionMnist(rgb));
    expectValidTensor(preprocessForFashionMnist({ data: new Uint8Array(10 * 10 * 2).fill(200), width: 10, height: 10, channels: 2 }));
  });
});

describe('resample', () => {
  it('averages areas when shrinking, interpolates when growing, copies at the same size', () => {
    expect([...resample(new Float32Array([0, 255, 0, 255]), 4, 1, 2, 1)]).toEqual([127.5, 127.5]);
    expect([...resample(new Float32Array([0, 90]), 2, 1, 3, 1)]).toEqual([0, 45, 90]);
    const same = new Float32Array([1, 2, 3, 4, 5, 6]);
    expect([...resample(same, 3, 2, 3, 2)]).toEqual([...same]);
    // Area averaging keeps the mean brightness for any ratio.
    const src = Float32Array.from({ length: 97 }, (_, i) => (i * 37) % 256);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resample(src, 97, 1, 28, 1))).toBeCloseTo(mean(src), 3);
  });
});
