/** What the generic ONNX classifier serves, worked out once from the model file and the command line, and checked with clear errors. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { loadOnnxModel, type OnnxValueInfo } from '../index.ts';

/** How a picture becomes the model's input tensor. */
export interface ImageLayout {
  /** Channels first (PyTorch's habit) or last (Keras's / TF's). */
  format: 'NCHW' | 'NHWC';
  channels: 1 | 3;
  height: number;
  width: number;
  /** The batch dimension is symbolic: several pictures run at once; else one at a time. */
  dynamicBatch: boolean;
}

/** Everything the served app needs; plain JSON, so a worker thread can read it from the environment. */
export interface ClassifierSpec {
  modelPath: string;
  inputName: string;
  outputName: string;
  layout: ImageLayout;
  labels: string[];
  /** Per channel: pixels in [0, 1] become (p − mean) / std. */
  mean: number[];
  std: number[];
  topK: number;
  title: string;
}

/** What the command line gives; everything but the model has a default. */
export interface ClassifierOptions {
  model: string;
  /** A JSON array of names, or one name per line; else the model's own `vitrine.labels` metadata. */
  labels?: string;
  /** One value for every channel, or one per channel. */
  mean?: number[];
  std?: number[];
  topK?: number;
  title?: string;
  /** Height and width for a model whose spatial dimensions are symbolic. */
  size?: [number, number];
}

/** A start-up problem the user can fix (a wrong file, flag or model); the CLI prints its message alone, no stack. */
export class ClassifierSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClassifierSetupError';
  }
}

/** The environment variable that carries the spec to the app module in every thread (see app.ts). */
export const SPEC_ENV = 'VITRINE_ONNX_CLASSIFIER';

/**
 * Opens the model once in this thread to read its input layout, its output and its number of
 * classes (from a run on a blank picture, so a symbolic class dimension works too), checks them
 * and the options against each other, and returns the spec to serve.
 *
 * @example
 * const spec = await resolveClassifierSpec({ model: 'resnet18.onnx', labels: 'imagenet.txt', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
 */
export async function resolveClassifierSpec(opts: ClassifierOptions): Promise<ClassifierSpec> {
  const modelPath = resolve(opts.model);
  if (!existsSync(modelPath)) throw new ClassifierSetupError(`no model file at ${modelPath}`);
  let model;
  try {
    model = await loadOnnxModel(modelPath, { warmUp: false });
  } catch (err) {
    throw new ClassifierSetupError(err instanceof Error ? err.message : String(err));
  }
  try {
    if (model.inputs.length !== 1) {
      throw new ClassifierSetupError(`${basename(modelPath)} takes ${model.inputs.length} inputs (${model.inputs.map((i) => i.name).join(', ')}); an image classifier takes one image`);
    }
    const input = model.inputs[0]!;
    const layout = imageLayout(input, opts.size);
    // The first float32 output holds the scores: sklearn-onnx, say, puts an int64 label first.
    const output = model.outputs.find((o) => o.type === 'float32');
    if (!output) throw new ClassifierSetupError(`${basename(modelPath)} has no float32 output to read class scores from (${model.outputs.map((o) => `${o.name} ${o.type}`).join(', ')})`);
    const dims = layout.format === 'NCHW' ? [1, layout.channels, layout.height, layout.width] : [1, layout.height, layout.width, layout.channels];
    let classes: number;
    try {
      const result = await model.run({ [input.name]: { data: new Float32Array(dims.reduce((a, b) => a * b, 1)), dims } }, [output.name]);
      const shape = result[output.name]!.dims;
      if (shape.length !== 2 || shape[0] !== 1) throw new ClassifierSetupError(`output "${output.name}" has shape [${shape.join(', ')}] for one picture; a classifier gives [batch, classes]`);
      classes = shape[1]!;
    } catch (err) {
      if (err instanceof ClassifierSetupError) throw err;
      throw new ClassifierSetupError(`${basename(modelPath)} does not run on a blank ${dims.join('×')} picture: ${err instanceof Error ? err.message : String(err)}`);
    }
    const labels = opts.labels !== undefined ? await readLabels(opts.labels) : labelsFromMetadata(model.file.metadata['vitrine.labels'], modelPath);
    if (labels.length !== classes) {
      throw new ClassifierSetupError(`${opts.labels ?? 'the model metadata'} names ${labels.length} classes, but output "${output.name}" gives ${classes} scores per picture`);
    }
    const topK = opts.topK ?? 3;
    if (!Number.isInteger(topK) || topK < 1) throw new ClassifierSetupError(`--top-k must be a whole number ≥ 1; got ${topK}`);
    return {
      modelPath,
      inputName: input.name,
      outputName: output.name,
      layout,
      labels,
      mean: perChannel(opts.mean ?? [0], layout.channels, '--mean'),
      std: perChannel(opts.std ?? [1], layout.channels, '--std'),
      topK: Math.min(topK, classes),
      title: opts.title ?? basename(modelPath).replace(/\.onnx$/i, ''),
    };
  } finally {
    await model.release();
  }
}

/**
 * Reads the picture layout from an input's declared shape: rank 4, float32, 1 or 3 channels
 * first or last, fixed height and width (or `size` when they are symbolic). When both ends could
 * be the channels (`[N, 3, 5, 3]`) channels-first wins: it is what PyTorch exports.
 *
 * @example
 * imageLayout({ name: 'input', type: 'float32', shape: ['batch', 3, 224, 224] }); // NCHW, 3 channels, 224×224
 */
export function imageLayout(input: OnnxValueInfo, size?: [number, number]): ImageLayout {
  const what = `input "${input.name}" (${input.type} [${input.shape.join(', ')}])`;
  if (input.type !== 'float32') throw new ClassifierSetupError(`${what} is not an image: an image input holds float32 values`);
  if (input.shape.length !== 4) throw new ClassifierSetupError(`${what} is not an image: expected 4 dimensions, [batch, channels, height, width] or [batch, height, width, channels]`);
  const [batch, d1, , d3] = input.shape;
  const isChannels = (d: number | string | undefined) => d === 1 || d === 3;
  const format = isChannels(d1) ? 'NCHW' : isChannels(d3) ? 'NHWC' : undefined;
  if (!format) throw new ClassifierSetupError(`${what} is not an image of 1 or 3 channels: neither its second nor its last dimension is 1 or 3`);
  const [h, w] = format === 'NCHW' ? input.shape.slice(2) : input.shape.slice(1, 3);
  const height = typeof h === 'number' ? h : size?.[0];
  const width = typeof w === 'number' ? w : size?.[1];
  if (height === undefined || width === undefined) throw new ClassifierSetupError(`${what} leaves the picture size open; give it with --size HEIGHTxWIDTH`);
  if (typeof batch === 'number' && batch !== 1) throw new ClassifierSetupError(`${what} fixes the batch at ${batch}; export it with a dynamic batch axis (or a batch of 1)`);
  return { format, channels: (format === 'NCHW' ? d1 : d3) as 1 | 3, height, width, dynamicBatch: typeof batch !== 'number' };
}

/**
 * Class names from a file: a JSON array of strings, or one name per line (blank lines ignored).
 *
 * @example
 * parseLabels('["cat", "dog"]', 'labels.json'); // ['cat', 'dog']
 * parseLabels('cat\ndog\n', 'labels.txt');      // ['cat', 'dog']
 */
export function parseLabels(text: string, file: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new ClassifierSetupError(`${file} starts like a JSON array but does not parse: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === 'string')) throw new ClassifierSetupError(`${file} must be a JSON array of strings`);
    return parsed;
  }
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) throw new ClassifierSetupError(`${file} names no classes`);
  return lines;
}

async function readLabels(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ClassifierSetupError(`cannot read the labels file ${resolve(file)}`);
  }
  return parseLabels(text, file);
}

function labelsFromMetadata(json: string | undefined, modelPath: string): string[] {
  if (json === undefined) throw new ClassifierSetupError(`${basename(modelPath)} carries no class names; give them with --labels labels.json (a JSON array or one name per line)`);
  return parseLabels(json, `${basename(modelPath)}'s vitrine.labels metadata`);
}

/** One value per channel from one value, or from as many as there are channels. */
function perChannel(values: number[], channels: number, flag: string): number[] {
  if (values.some((v) => !Number.isFinite(v))) throw new ClassifierSetupError(`${flag} takes numbers; got ${values.join(',')}`);
  if (flag === '--std' && values.some((v) => v === 0)) throw new ClassifierSetupError('--std must not be 0');
  if (values.length === 1) return Array.from({ length: channels }, () => values[0]!);
  if (values.length !== channels) throw new ClassifierSetupError(`${flag} gives ${values.length} values; the model takes ${channels} channel${channels === 1 ? '' : 's'} (give 1 or ${channels})`);
  return values;
}
