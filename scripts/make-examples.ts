/**
 * Writes apps/fashion-mnist/examples/: one official test image per class (28×28 grey PNG), a few
 * of them staged as product photos (JPEG, and one transparent cut-out PNG), and examples.json.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { encodePng } from '../framework/image/index.ts';
import { seededRandom } from '../training/data.ts';
import { DEFAULT_DATA_DIR, readIdxSplit } from '../training/idx.ts';
import { CLASS_NAMES } from '../training/model.ts';
import { isMain, loadModel, MODEL_DIR } from './bench-accuracy.ts';
import { randomPhotoStyle, renderProductPhoto, type PhotoStyle } from './bench-domain-shift.ts';

const OUT_DIR = fileURLToPath(new URL('../apps/fashion-mnist/examples/', import.meta.url));

/** One file of the examples folder. */
export interface ExampleEntry {
  file: string;
  /** The true class name and index. */
  label: string;
  class: number;
  /** `dataset`: a test image as is; `photo`: staged as a product photo; `cutout`: transparent background. */
  kind: 'dataset' | 'photo' | 'cutout';
  /** Where it comes from: the test-set index, and how it was staged. */
  source: string;
}

/** `T-shirt/top` → `t-shirt-top`, `Ankle boot` → `ankle-boot`. */
export function fileStem(className: string): string {
  return className.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

// Which classes also get a product photo, and the staging of each: a mix of white and tinted
// backgrounds, off-centre placements and sizes, all JPEG; the dress is a transparent cut-out.
// `ink` is how much of each channel (R, G, B) the garment absorbs: a blue garment absorbs little blue.
const PHOTOS: Array<{ cls: number; seed: number; style?: Partial<PhotoStyle> }> = [
  { cls: 7, seed: 11, style: { background: [255, 255, 255], ink: [0.95, 0.7, 0.35] } }, // sneaker, blue
  { cls: 9, seed: 12, style: { background: [236, 231, 224], ink: [0.75, 0.85, 0.95] } }, // ankle boot, brown
  { cls: 8, seed: 13, style: { background: [242, 244, 247], ink: [0.3, 0.9, 0.85] } }, // bag, red
  { cls: 2, seed: 14, style: { background: [255, 255, 255], ink: [0.85, 0.45, 0.85] } }, // pullover, green
  { cls: 1, seed: 15, style: { background: [230, 235, 240], ink: [0.9, 0.85, 0.6] } }, // trouser, navy
];
const CUTOUT = { cls: 3, seed: 16 }; // dress

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      side: { type: 'string', default: '400' },
      help: { type: 'boolean', default: false, short: 'h' },
    },
  });
  if (args.help) {
    console.log(`Usage: node scripts/make-examples.ts [--data DIR] [--side 400]
  --data  folder with t10k-*-ubyte(.gz) (default ${DEFAULT_DATA_DIR})
  --side  longest side of the staged photos in pixels (default 400)
With a trained model in apps/fashion-mnist/model/, each class's example is the first test image the
model gets right with confidence ≥ 0.9; without one, simply the first test image of the class.`);
    return;
  }
  const test = await readIdxSplit(args.data, 't10k');
  const side = Number(args.side);
  const image = (i: number) => test.images.subarray(i * 784, (i + 1) * 784);

  // Confidence of the right class for every test image, when a model is there to ask.
  let confidence: ((i: number) => number) | undefined;
  if (existsSync(resolve(MODEL_DIR, 'model.json'))) {
    const { tf, model } = await loadModel();
    const probs = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(test.images, (v) => v / 255), [test.count, 28, 28, 1]);
      return (model.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync();
    });
    confidence = (i) => probs[i * 10 + (test.labels[i] ?? 0)] ?? 0;
  }
  const chosen = CLASS_NAMES.map((_, cls) => {
    for (let i = 0; i < test.count; i += 1) {
      if (test.labels[i] === cls && (confidence === undefined || confidence(i) >= 0.9)) return i;
    }
    return test.labels.indexOf(cls);
  });

  await mkdir(OUT_DIR, { recursive: true });
  const manifest: ExampleEntry[] = [];
  for (const [cls, name] of CLASS_NAMES.entries()) {
    const i = chosen[cls] ?? 0;
    const file = `${fileStem(name)}.png`;
    await writeFile(resolve(OUT_DIR, file), await encodePng({ data: image(i), width: 28, height: 28, channels: 1 }));
    manifest.push({ file, label: name, class: cls, kind: 'dataset', source: `Fashion-MNIST test image #${i}` });
  }
  for (const { cls, seed, style } of PHOTOS) {
    const i = chosen[cls] ?? 0;
    const staged = { ...scaled(randomPhotoStyle(seededRandom(seed)), side), ...style };
    const file = `photo-${fileStem(CLASS_NAMES[cls] ?? '')}.jpg`;
    await writeFile(resolve(OUT_DIR, file), await renderProductPhoto(image(i), staged));
    manifest.push({ file, label: CLASS_NAMES[cls] ?? '', class: cls, kind: 'photo', source: `Fashion-MNIST test image #${i} staged as a ${staged.width}×${staged.height} product photo (JPEG q${staged.quality})` });
  }
  {
    const { cls, seed } = CUTOUT;
    const i = chosen[cls] ?? 0;
    const file = `cutout-${fileStem(CLASS_NAMES[cls] ?? '')}.png`;
    await writeFile(resolve(OUT_DIR, file), await renderCutout(image(i), Math.round(side * 0.6), seededRandom(seed)));
    manifest.push({ file, label: CLASS_NAMES[cls] ?? '', class: cls, kind: 'cutout', source: `Fashion-MNIST test image #${i} as a transparent-background PNG cut-out` });
  }
  await writeFile(resolve(OUT_DIR, 'examples.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`$ node scripts/make-examples.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
  console.log(`wrote ${manifest.length} examples and examples.json to ${OUT_DIR}${confidence ? ' (chosen with the trained model)' : ''}`);
}

// A style drawn for a 300–900 px canvas, shrunk so its longest side is `side` (small files).
function scaled(style: PhotoStyle, side: number): PhotoStyle {
  const k = Math.min(1, side / Math.max(style.width, style.height));
  const r = (v: number) => Math.round(v * k);
  return {
    ...style,
    width: r(style.width),
    height: r(style.height),
    garmentSide: r(style.garmentSide),
    left: r(style.left),
    top: r(style.top),
    shadow: { ...style.shadow, dx: r(style.shadow.dx), dy: r(style.shadow.dy), sigma: style.shadow.sigma * k },
  };
}

// A garment on a fully transparent background, as shops publish cut-outs: opaque wherever there is
// garment (soft edge), coloured by its ink, so flattening on white gives back a product photo.
async function renderCutout(garment: Uint8Array, side: number, rand: () => number): Promise<Buffer> {
  const alpha = await sharp(garment, { raw: { width: 28, height: 28, channels: 1 } }).resize(side, side, { kernel: 'cubic' }).extractChannel(0).raw().toBuffer();
  const colour = [0, 1, 2].map(() => Math.round(40 + 120 * rand()));
  const rgba = Buffer.alloc(side * side * 4);
  for (let p = 0; p < side * side; p += 1) {
    const ink = (alpha[p] ?? 0) / 255;
    const paint = (c: number) => Math.round(255 - ink * (255 - c));
    rgba.set([paint(colour[0] ?? 0), paint(colour[1] ?? 0), paint(colour[2] ?? 0), Math.min(255, Math.round(ink * 255 * 6))], p * 4);
  }
  return sharp(rgba, { raw: { width: side, height: side, channels: 4 } }).png({ compressionLevel: 9 }).toBuffer();
}

if (isMain(import.meta.url)) await main();
