/**
 * `npm run bench:domain-shift`: renders test images as product photos (large, light background,
 * colour, margins, varied scale and position, shadow, blur, JPEG) and prints the accuracy of the
 * API with the app's preprocessing next to a naive resize-only pipeline.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { DEFAULT_DATA_DIR, readIdxSplit } from '../training/idx.ts';
import { CLASS_NAMES } from '../training/model.ts';
import { decodeImage } from '../framework/image/index.ts';
import { preprocessForFashionMnist } from '../apps/fashion-mnist/preprocess.ts';
import { seededRandom, shuffledIndices } from '../training/data.ts';
import { isMain, loadModel, mapPool, percent, predictTensors, predictViaApi, startServer } from './bench-accuracy.ts';

/** How one product photo is staged. All sizes in pixels of the output picture. */
export interface PhotoStyle {
  width: number;
  height: number;
  /** Longest side of the garment. */
  garmentSide: number;
  /** Top-left corner of the garment's 28×28-derived square. */
  left: number;
  top: number;
  /** Background colour, 0–255 per channel, and how much darker its corners are (0–1). */
  background: [number, number, number];
  vignette: number;
  /** Per-channel ink strength of the garment (1 = the garment's dark parts are black in that channel). */
  ink: [number, number, number];
  /** Drop shadow: offset, blur radius, and how much it darkens the background (0–1). */
  shadow: { dx: number; dy: number; sigma: number; strength: number };
  /** Camera blur (Gaussian sigma, 0 = none) and JPEG quality. */
  blur: number;
  quality: number;
}

/**
 * A random product-photo staging: 300–900 px canvas, garment 35–85 % of the shorter side placed
 * anywhere with a margin, white (half the time) or a light tinted background, a coloured garment,
 * a soft drop shadow, slight blur, JPEG quality 70–95.
 *
 * @example
 * const style = randomPhotoStyle(seededRandom(1));
 */
export function randomPhotoStyle(rand: () => number): PhotoStyle {
  const between = (a: number, b: number) => a + (b - a) * rand();
  const width = Math.round(between(300, 900));
  const height = Math.round(Math.min(900, Math.max(300, width * between(0.75, 1.33))));
  const garmentSide = Math.round(Math.min(width, height) * between(0.35, 0.85));
  const margin = Math.round(0.02 * Math.min(width, height));
  const left = Math.round(between(margin, width - garmentSide - margin));
  const top = Math.round(between(margin, height - garmentSide - margin));
  const white = rand() < 0.5;
  const base = white ? 255 : between(215, 250);
  const background: [number, number, number] = white
    ? [255, 255, 255]
    : [0, 1, 2].map(() => Math.min(255, base + between(-8, 8))) as [number, number, number];
  const strength = between(0.6, 1);
  const ink = [0, 1, 2].map(() => strength * between(0.7, 1)) as [number, number, number];
  const shadowSide = garmentSide * 0.04;
  return {
    width,
    height,
    garmentSide,
    left,
    top,
    background,
    vignette: white ? 0 : between(0, 0.08),
    ink,
    shadow: { dx: Math.round(between(-1, 1) * shadowSide), dy: Math.round(between(0, 1.5) * shadowSide), sigma: between(2, 4) * (garmentSide / 200), strength: rand() < 0.3 ? 0 : between(0.05, 0.2) },
    blur: rand() < 0.4 ? 0 : between(0.3, 1.2),
    quality: Math.round(between(70, 95)),
  };
}

/**
 * Renders a 28×28 dataset image (bright garment on black) as a product photo: the garment is
 * enlarged smoothly, coloured, laid on the background over its shadow, blurred and JPEG-encoded.
 * The dataset image is the negative of a product photo, so ink = pixel / 255.
 *
 * @example
 * const jpeg = await renderProductPhoto(test.images.subarray(0, 784), randomPhotoStyle(seededRandom(1)));
 */
export async function renderProductPhoto(garment: Uint8Array, style: PhotoStyle): Promise<Buffer> {
  const side = style.garmentSide;
  const enlarge = (sigma: number) => {
    let s = sharp(garment, { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side, { kernel: 'cubic' });
    if (sigma >= 0.3) s = s.blur(sigma);
    return s.extractChannel(0).raw().toBuffer();
  };
  const [ink, shadow] = await Promise.all([enlarge(0), enlarge(style.shadow.sigma)]);
  const { width, height, background, vignette } = style;
  const canvas = Buffer.alloc(width * height * 3);
  const cx = width / 2;
  const cy = height / 2;
  const maxR2 = cx * cx + cy * cy;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const r2 = ((x - cx) ** 2 + (y - cy) ** 2) / maxR2;
      let light = 1 - vignette * r2;
      // Shadow: darkens the background only where the garment itself is not.
      const sx = x - style.left - style.shadow.dx;
      const sy = y - style.top - style.shadow.dy;
      const gx = x - style.left;
      const gy = y - style.top;
      const a = gx >= 0 && gy >= 0 && gx < side && gy < side ? (ink[gy * side + gx] ?? 0) / 255 : 0;
      if (style.shadow.strength > 0 && sx >= 0 && sy >= 0 && sx < side && sy < side) {
        light *= 1 - style.shadow.strength * Math.min(1, ((shadow[sy * side + sx] ?? 0) / 255) * 2) * (1 - a);
      }
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c += 1) {
        canvas[o + c] = Math.round((background[c] ?? 255) * light * (1 - a * (style.ink[c] ?? 1)));
      }
    }
  }
  let photo = sharp(canvas, { raw: { width, height, channels: 3 } });
  if (style.blur >= 0.3) photo = photo.blur(style.blur);
  return photo.jpeg({ quality: style.quality }).toBuffer();
}

/**
 * The naive pipeline the app improves on: the whole picture resized to 28×28 grey, as is.
 *
 * @example
 * const x = await naiveTensor(jpeg); // 784 floats, no inversion, no crop
 */
export async function naiveTensor(bytes: Uint8Array): Promise<Float32Array> {
  const grey = await sharp(bytes).resize(28, 28, { fit: 'fill' }).greyscale().raw().toBuffer();
  return Float32Array.from(grey, (v) => v / 255);
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      count: { type: 'string', default: '1000', short: 'n' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '8' },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      url: { type: 'string' },
      save: { type: 'string' },
      'in-process': { type: 'boolean', default: false },
      model: { type: 'string' },
      help: { type: 'boolean', default: false, short: 'h' },
    },
  });
  if (args.help) {
    console.log(`Usage: npm run bench:domain-shift -- [--count 1000] [--seed 1] [--concurrency 8] [--data DIR] [--url URL] [--save DIR]
  --count        test images to render as photos (default 1,000, drawn at random)
  --seed         seed of the draw and of the staging (default 1)
  --concurrency  requests in flight (default 8)
  --data         folder with t10k-*-ubyte(.gz) (default ${DEFAULT_DATA_DIR})
  --url          an already running server to test instead of starting one in this process
  --save         also write the rendered photos into this folder (to look at them)
  --in-process   skip the server: decode + preprocess + model in this process (the app's own code
                 path, minus HTTP; for tuning the preprocessing)
  --model        model folder for --in-process and the naive figure (default the app's)`);
    return;
  }
  const count = Number(args.count);
  const rand = seededRandom(Number(args.seed));
  const test = await readIdxSplit(args.data, 't10k');
  const picks = Array.from(shuffledIndices(test.count, rand).subarray(0, Math.min(count, test.count)));
  // Styles are drawn up front so the staging does not depend on the order renders finish in.
  const styles = picks.map(() => randomPhotoStyle(rand));
  const photos = await mapPool(picks, 2, (i, k) => renderProductPhoto(test.images.subarray(i * 784, (i + 1) * 784), styles[k]!));
  if (args.save !== undefined) {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(args.save, { recursive: true });
    await Promise.all(photos.map((p, k) => writeFile(`${args.save}/${k}-${picks[k]}-${(CLASS_NAMES[test.labels[picks[k] ?? 0] ?? 0] ?? '').replace(/\W+/g, '-')}.jpg`, p)));
  }

  const { tf, model, backend } = await loadModel(args.model);
  const naiveInputs = new Float32Array(picks.length * 784);
  await mapPool(photos, 2, async (p, k) => naiveInputs.set(await naiveTensor(p), k * 784));
  const naive = predictTensors(tf, model, naiveInputs, picks.length);

  let viaApi: string[];
  if (args['in-process']) {
    const inputs = new Float32Array(picks.length * 784);
    await mapPool(photos, 2, async (p, k) => {
      inputs.set(preprocessForFashionMnist(await decodeImage(p, { field: 'image', mode: 'L' })), k * 784);
    });
    viaApi = Array.from(predictTensors(tf, model, inputs, picks.length), (c) => CLASS_NAMES[c] ?? '');
  } else {
    const server = await startServer(args.url);
    try {
      viaApi = await mapPool(photos, Number(args.concurrency), (p) => predictViaApi(server.url, p, 'image/jpeg'));
    } finally {
      await server.close();
    }
  }
  let apiRight = 0;
  let naiveRight = 0;
  const perClass = CLASS_NAMES.map(() => ({ n: 0, right: 0 }));
  picks.forEach((i, k) => {
    const truth = test.labels[i] ?? 0;
    const cls = perClass[truth]!;
    cls.n += 1;
    if (viaApi[k] === CLASS_NAMES[truth]) {
      apiRight += 1;
      cls.right += 1;
    }
    if (naive[k] === truth) naiveRight += 1;
  });
  const apiAcc = apiRight / picks.length;
  const bytes = photos.reduce((s, p) => s + p.length, 0);
  console.log(`$ node scripts/bench-domain-shift.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`photos                     ${picks.length} test images rendered as 300–900 px JPEG product photos (mean ${Math.round(bytes / picks.length / 1024)} KiB), seed ${args.seed}; TF.js backend ${backend}`);
  const how = args['in-process'] ? 'in-process, app preprocessing' : 'API with app preprocessing';
  console.log(`${how.padEnd(26)} ${percent(apiAcc)} (target ≥ 85 %) ${apiAcc >= 0.85 ? 'OK' : 'BELOW TARGET'}`);
  console.log(`naive resize-only pipeline ${percent(naiveRight / picks.length)}`);
  console.log(`per class (API)            ${perClass.map((c, k) => `${CLASS_NAMES[k]} ${c.n ? Math.round((100 * c.right) / c.n) : 0}%`).join(', ')}`);
}

if (isMain(import.meta.url)) await main();
