/** The Fashion-MNIST clothing classifier: any clothing picture in, the top-3 classes with confidences out. */
import { AnnotatedImage, Image, Interface, Label, type AnnotatedImageResult, type RawImage } from 'vitrine';
import { analyseForFashionMnist, seenImage, type PreprocessReport } from './preprocess.ts';
import { ARTICLE } from './article.ts';
import type { Predict } from './mirror.ts';
// Node: runtime.ts (ONNX Runtime, TF.js fallback); a browser: runtime.browser.ts (package.json `imports`).
import { loadPredictor } from '#fashion-mnist/runtime';

/** Class names in label order, as in the dataset's documentation. */
export const CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

// URLs, not paths: they resolve in Node (file:) and in the static build (next to the bundle).
const MODEL_DIR = new URL('./model/', import.meta.url);
const examples = (name: string) => new URL(`./examples/${name}`, import.meta.url);

let predict: Predict | undefined;

/** Loads the committed model once per thread (ONNX Runtime, or TF.js as the fallback); a missing model makes the app answer 503. */
async function load({ log }: { log: (message: string) => void }): Promise<void> {
  ({ predict } = await loadPredictor(MODEL_DIR, log));
}

/**
 * Classifies a batch of pictures: each is cropped, inverted and fitted to 28×28 like the dataset,
 * then the CNN runs once over the whole batch, and once more over the mirror images of the
 * pictures it is unsure of (see mirror.ts).
 *
 * Each answer also carries the 28×28 picture the model saw, so a user whose photo is misread sees why.
 *
 * @example
 * const [{ label, seen }] = await classify([image]); // label: { Sneaker: 0.97, … }, seen: 28×28 grey
 */
export async function classify(images: RawImage[]): Promise<Array<{ label: Record<string, number>; seen: RawImage; found: AnnotatedImageResult }>> {
  if (!predict) throw new Error('classify() called before load()');
  const input = new Float32Array(images.length * 784);
  const reports = images.map((img, i) => {
    const report = analyseForFashionMnist(img);
    input.set(report.tensor, i * 784);
    return report;
  });
  const probs = await predict(input, images.length);
  return images.map((img, i) => {
    const scores = CLASS_NAMES.map((_, c) => probs[i * 10 + c]!);
    const top = CLASS_NAMES[scores.indexOf(Math.max(...scores))]!;
    return {
      label: Object.fromEntries(CLASS_NAMES.map((name, c) => [name, scores[c]!])),
      seen: seenImage(input.subarray(i * 784, (i + 1) * 784)),
      found: { image: img, annotations: garmentBox(reports[i]!, top) },
    };
  });
}

/** Where the preprocessing found the garment, in the picture's own pixels, labelled with the answer. */
function garmentBox(report: PreprocessReport, label: string): AnnotatedImageResult['annotations'] {
  if (report.box === null) return [];
  const s = report.workingScale;
  const { x, y, width, height } = report.box;
  return [{ label, box: [x / s, y / s, (x + width) / s, (y + height) / s].map((v) => Math.round(v * 10) / 10) as [number, number, number, number] }];
}

export default Interface({
  fn: classify,
  batch: { maxSize: 32, maxDelayMs: 2 },
  // Large photos are shrunk on load to at most 112 px: the garment still spans ≥ 28 px when it
  // fills a quarter of the shorter side, and libjpeg decodes at 1/4–1/8 scale. `npm run bench:
  // domain-shift`, seed 1 / 7: 92.2 / 93.0 % against 92.2 / 93.3 % at 224 px; an 800×800 JPEG at
  // 8 connections: 234 against 176 req/s (npm run bench, side by side). Small pictures, dataset
  // images included, are never enlarged.
  // RGB, not grey: the background model measures colour distance, and a red garment on a green
  // table can have the table's grey level. `npm run bench:casual -- --in-process --seed 77 -n 500`
  // with the previous model: 62.6 % (RGB) against 59.4 % (L).
  inputs: Image({
    mode: 'RGB',
    width: 112,
    height: 112,
    fit: 'inside',
    withoutEnlargement: true,
    label: 'Clothing picture',
    info: 'A photo or drawing of one garment; any size, PNG, JPEG, WebP or GIF. The model sees it as a 28×28 grey picture (shown on the right).',
  }),
  outputs: {
    label: Label({ topK: 3, label: 'Prediction' }),
    seen: Image({ label: 'What the model saw', info: 'The 28×28 picture after preprocessing: the garment cut out, bright on black, as in the training set.' }),
    found: AnnotatedImage({ label: 'Where the garment was found', info: 'The box the preprocessing cut out of your picture before shrinking it to 28×28.' }),
  },
  title: 'Fashion-MNIST Clothing Classifier',
  description:
    'Upload a picture of one piece of clothing — a product photo, a casual photo on a table or bed, or a 28×28 dataset image — and get the three most likely of the ten Fashion-MNIST classes with their confidences, and the picture the model saw.',
  article: ARTICLE,
  examples: [
    'sneaker.png', 'trouser.png', 'bag.png', 'ankle-boot.png', 'dress.png', 'pullover.png', 'coat.png', 'sandal.png', 'shirt.png', 't-shirt-top.png',
    'photo-sneaker.jpg', 'photo-ankle-boot.jpg', 'photo-bag.jpg', 'photo-pullover.jpg', 'photo-trouser.jpg', 'cutout-dress.png',
  ].map(examples),
  load,
});
