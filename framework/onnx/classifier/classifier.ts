/** The generic ONNX image classifier: an Interface (Image → Label) built from a {@link ClassifierSpec}. */
import { Image, Interface, Label, type RawImage } from '../../index.ts';
import { loadOnnxModel, type OnnxModel } from '../index.ts';
import type { ClassifierSpec, ImageLayout } from './spec.ts';

/** One class and its probability, as the Label output takes them (a list, so repeated class names survive). */
type Scores = Array<{ label: string; confidence: number }>;

/**
 * Builds the Interface for `spec`: pictures are resized to the model's size (cover: scaled to
 * fill it, the overflow cropped evenly, like torchvision's Resize + CenterCrop), scaled to [0, 1],
 * normalised per channel and laid out as the model wants; the scores become probabilities (a
 * softmax unless the model already gives them) and the top-K classes are shown. The model is
 * loaded in `load()`, once per thread.
 *
 * @example
 * const spec = await resolveClassifierSpec({ model: 'model.onnx', labels: 'labels.json' });
 * const app = await buildApp({ apps: [{ interface: createOnnxClassifier(spec) }] });
 */
export function createOnnxClassifier(spec: ClassifierSpec) {
  const { layout } = spec;
  let model: OnnxModel | undefined;
  const pixels = layout.channels * layout.height * layout.width;

  async function classify(images: RawImage[]): Promise<Scores[]> {
    if (!model) throw new Error('classify() called before load()');
    // A model exported with a fixed batch of 1 takes the pictures one at a time.
    const groups = layout.dynamicBatch ? [images] : images.map((img) => [img]);
    const out: Scores[] = [];
    for (const group of groups) {
      const input = new Float32Array(group.length * pixels);
      group.forEach((img, i) => writePicture(img, spec, input.subarray(i * pixels, (i + 1) * pixels)));
      const dims = layout.format === 'NCHW' ? [group.length, layout.channels, layout.height, layout.width] : [group.length, layout.height, layout.width, layout.channels];
      const result = await model.run({ [spec.inputName]: { data: input, dims } }, [spec.outputName]);
      const scores = result[spec.outputName]!.data as Float32Array;
      const classes = spec.labels.length;
      for (let i = 0; i < group.length; i++) {
        const probs = toProbabilities(scores.subarray(i * classes, (i + 1) * classes));
        out.push(spec.labels.map((label, c) => ({ label, confidence: probs[c]! })));
      }
    }
    return out;
  }

  const size = `${layout.width}×${layout.height}`;
  return Interface({
    fn: classify,
    // Up to 16 pictures per run: enough to use the runtime's batching, small enough that a large
    // model (a ResNet at 224×224 is ~1.8 G multiply-adds per picture) keeps each run short.
    batch: { maxSize: layout.dynamicBatch ? 16 : 4, maxDelayMs: 2 },
    inputs: Image({ mode: layout.channels === 1 ? 'L' : 'RGB', width: layout.width, height: layout.height, fit: 'cover', label: 'Picture' }),
    outputs: Label({ topK: spec.topK, label: 'Prediction' }),
    title: spec.title,
    description: `An ONNX image classifier: any picture, seen as ${size} ${layout.channels === 1 ? 'grey' : 'RGB'}, gets the ${spec.topK} most likely of ${spec.labels.length} classes.`,
    load: async ({ log }) => {
      model = await loadOnnxModel(spec.modelPath, { log });
    },
  });
}

/** Writes one decoded picture (already width × height, 8-bit, interleaved) into `out` in the model's layout. */
function writePicture(img: RawImage, spec: ClassifierSpec, out: Float32Array): void {
  const { format, channels, height, width }: ImageLayout = spec.layout;
  if (img.width !== width || img.height !== height || img.channels !== channels) {
    throw new Error(`picture is ${img.width}×${img.height}×${img.channels}, expected ${width}×${height}×${channels}`);
  }
  const scale = spec.std.map((s) => 1 / (255 * s));
  const shift = spec.mean.map((m, c) => m / spec.std[c]!);
  const plane = height * width;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) {
      const v = img.data[p * channels + c]! * scale[c]! - shift[c]!;
      out[format === 'NCHW' ? c * plane + p : p * channels + c] = v;
    }
  }
}

/**
 * A row of scores as probabilities: left alone when it already is a distribution (values in
 * [0, 1] summing to 1, the model ends in a softmax), else passed through a softmax (logits).
 *
 * @example
 * toProbabilities(Float32Array.of(0.2, 0.8)); // unchanged
 * toProbabilities(Float32Array.of(2, 0));     // [0.881, 0.119]
 */
export function toProbabilities(row: Float32Array): Float32Array {
  let sum = 0;
  let inRange = true;
  for (const v of row) {
    sum += v;
    if (!(v >= -1e-6 && v <= 1 + 1e-6)) inRange = false;
  }
  // float32 softmax sums stray from 1 by ~1e-7 per class; 1e-3 leaves room and no logit row
  // of a trained model lands inside it by chance in practice.
  if (inRange && Math.abs(sum - 1) <= 1e-3) return row;
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  const out = new Float32Array(row.length);
  let total = 0;
  for (let c = 0; c < row.length; c++) total += out[c] = Math.exp(row[c]! - max);
  for (let c = 0; c < row.length; c++) out[c]! /= total;
  return out;
}
