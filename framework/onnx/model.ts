/** An ONNX model loaded with ONNX Runtime once per thread: what it takes and gives, and a run on typed arrays. */
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { readOnnxFileInfo, type OnnxFileInfo } from './file-info.ts';
import { loadOrt, type Ort } from './runtime.ts';
import { chooseIntraOpThreads, type ThreadBudget } from './threads.ts';

/** Typed arrays a tensor can be made of. */
export type TensorData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** One input or output as the model declares it. */
export interface OnnxValueInfo {
  name: string;
  /** Element type (`'float32'`, `'int64'`, …), or `'non-tensor'` for sequences and maps. */
  type: string;
  /** Dimensions; a string is symbolic (`'batch'`, `'N'`): any size. Empty when the model leaves the rank open. */
  shape: ReadonlyArray<number | string>;
}

/** A tensor going in or coming out: flat values in row-major order and their dimensions. */
export interface OnnxTensor<T extends TensorData = TensorData> {
  data: T;
  dims: readonly number[];
}

/** Options of {@link loadOnnxModel}. */
export interface LoadOnnxOptions extends ThreadBudget {
  /** Run once on zeros (symbolic dimensions = 1) before returning, so the first request is not the slow one (default true). */
  warmUp?: boolean;
  /** Told once what was loaded and how (library code never prints). */
  log?: (message: string) => void;
}

/** A loaded model. */
export interface OnnxModel {
  /** Absolute path of the file. */
  readonly path: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Model-level fields of the file (producer, opsets, metadata_props). */
  readonly file: OnnxFileInfo;
  /** Intra-op threads the session uses. */
  readonly threads: number;
  /** onnxruntime-node's version. */
  readonly runtimeVersion: string;
  /** Runs the model; every output unless `outputs` names some. */
  run(feeds: Readonly<Record<string, OnnxTensor>>, outputs?: readonly string[]): Promise<Record<string, OnnxTensor>>;
  /** Runs a model of one input and returns its first output. */
  predict(data: TensorData, dims: readonly number[]): Promise<OnnxTensor>;
  /** Frees the session (and forgets it, so a later load reads the file again). */
  release(): Promise<void>;
}

/** Sessions of this thread by path and thread count: a session is made once per thread. */
const loaded = new Map<string, Promise<OnnxModel>>();

/**
 * Loads an `.onnx` file into an ONNX Runtime session for this thread (CPU), with intra-op threads
 * chosen for the pool (see threads.ts), and warms it up. Call it from an app's `load()`; later
 * calls with the same path and thread count return the same model. Throws
 * `OnnxRuntimeUnavailableError` when onnxruntime-node cannot load here, and a plain Error naming
 * the file when it is missing or not a model ONNX Runtime accepts.
 *
 * @example
 * const model = await loadOnnxModel('apps/fashion-mnist/model/model.onnx', { log });
 * const { data } = await model.predict(pixels, [8, 28, 28, 1]); // Float32Array of 8 × 10
 */
export function loadOnnxModel(path: string, opts: LoadOnnxOptions = {}): Promise<OnnxModel> {
  const file = resolve(path);
  const threads = chooseIntraOpThreads(opts);
  const key = `${file}#${threads}`;
  let model = loaded.get(key);
  if (!model) {
    model = open(file, threads, opts);
    loaded.set(key, model);
    model.catch(() => loaded.delete(key));
  }
  return model;
}

async function open(path: string, threads: number, opts: LoadOnnxOptions): Promise<OnnxModel> {
  const ort = loadOrt();
  await access(path).catch(() => {
    throw new Error(`No ONNX model at ${path}`);
  });
  const started = performance.now();
  const file = await readOnnxFileInfo(path);
  let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
  try {
    session = await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      // Nodes run one after the other: a classifier's graph is a chain, and a second pool of
      // inter-op threads would only compete with the pool's other workers for the same cores.
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new Error(`ONNX Runtime cannot load ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const describe = (m: (typeof session.inputMetadata)[number]): OnnxValueInfo =>
    // An unnamed dynamic dimension comes back as ''; '?' keeps it symbolic and readable in logs.
    m.isTensor ? { name: m.name, type: m.type, shape: m.shape.map((d) => (d === '' ? '?' : d)) } : { name: m.name, type: 'non-tensor', shape: [] };
  const inputs = session.inputMetadata.map(describe);
  const outputs = session.outputMetadata.map(describe);
  const loadMs = performance.now() - started;

  const run = async (feeds: Readonly<Record<string, OnnxTensor>>, names?: readonly string[]) => {
    const tensors: Record<string, InstanceType<Ort['Tensor']>> = {};
    for (const info of inputs) {
      const feed = feeds[info.name];
      if (!feed) throw new Error(`${basename(path)}: no value for input "${info.name}"`);
      checkFeed(info, feed, basename(path));
      // The declared type, not the array's: a bool tensor is made of a Uint8Array.
      tensors[info.name] = new ort.Tensor(info.type as 'float32', feed.data as Float32Array, feed.dims);
    }
    const result = names ? await session.run(tensors, names) : await session.run(tensors);
    const out: Record<string, OnnxTensor> = {};
    for (const [name, value] of Object.entries(result)) {
      const t = value as InstanceType<Ort['Tensor']>;
      out[name] = { data: t.data as TensorData, dims: t.dims };
    }
    return out;
  };

  let warmMs: number | undefined;
  if (opts.warmUp !== false) {
    const zeros = warmUpFeeds(inputs);
    if (zeros) {
      const t = performance.now();
      await run(zeros);
      warmMs = performance.now() - t;
    }
  }
  const sharing = opts.poolWorkers ?? (isMainThread ? 1 : availableParallelism());
  const workers = opts.threads !== undefined ? '' : ` shared by ${sharing} JS thread${sharing === 1 ? '' : 's'}`;
  opts.log?.(
    `ONNX Runtime ${ort.env.versions.node ?? ort.env.versions.common} (CPU) loaded ${basename(path)} in ${loadMs.toFixed(0)} ms: ` +
      `${threads} intra-op thread${threads === 1 ? '' : 's'} (${availableParallelism()} cores${workers}); ` +
      `${inputs.map(signature).join(', ')} → ${outputs.map(signature).join(', ')}` +
      (warmMs === undefined ? '; no warm-up (an input of unknown shape or type)' : `; warm-up ${warmMs.toFixed(1)} ms`),
  );

  const key = `${path}#${threads}`;
  return {
    path,
    inputs,
    outputs,
    file,
    threads,
    runtimeVersion: ort.env.versions.node ?? ort.env.versions.common,
    run,
    async predict(data, dims) {
      if (inputs.length !== 1) throw new Error(`${basename(path)} takes ${inputs.length} inputs; use run()`);
      const result = await run({ [inputs[0]!.name]: { data, dims } }, [outputs[0]!.name]);
      return result[outputs[0]!.name]!;
    },
    async release() {
      loaded.delete(key);
      await session.release();
    },
  };
}

/** Throws a readable error when a feed cannot be the input `info` (ONNX Runtime's own messages name C++ internals). */
function checkFeed(info: OnnxValueInfo, feed: OnnxTensor, file: string): void {
  const type = elementTypeOf(feed.data);
  if (info.type !== type && !(info.type === 'bool' && type === 'uint8')) throw new Error(`${file}: input "${info.name}" takes ${info.type}, got ${type} (${feed.data.constructor.name})`);
  const count = feed.dims.reduce((a, b) => a * b, 1);
  if (count !== feed.data.length) throw new Error(`${file}: input "${info.name}": dims [${feed.dims.join(', ')}] hold ${count} values, got ${feed.data.length}`);
  if (info.shape.length === 0) return;
  const fits = feed.dims.length === info.shape.length && info.shape.every((d, i) => typeof d === 'string' || d === feed.dims[i]);
  if (!fits) throw new Error(`${file}: input "${info.name}" has shape [${info.shape.join(', ')}], got [${feed.dims.join(', ')}]`);
}

const TYPE_OF: Array<[new (n: number) => TensorData, string]> = [
  [Float32Array, 'float32'], [Float64Array, 'float64'], [Int8Array, 'int8'], [Uint8Array, 'uint8'], [Int16Array, 'int16'],
  [Uint16Array, 'uint16'], [Int32Array, 'int32'], [Uint32Array, 'uint32'], [BigInt64Array, 'int64'], [BigUint64Array, 'uint64'],
];

function elementTypeOf(data: TensorData): string {
  return TYPE_OF.find(([ctor]) => data instanceof ctor)?.[1] ?? 'unknown';
}

/** Zeros for every input, symbolic dimensions set to 1; undefined when an input's rank or type is unknown. */
function warmUpFeeds(inputs: readonly OnnxValueInfo[]): Record<string, OnnxTensor> | undefined {
  const feeds: Record<string, OnnxTensor> = {};
  for (const info of inputs) {
    const ctor = TYPE_OF.find(([, name]) => name === info.type)?.[0];
    if (!ctor || info.shape.length === 0) return undefined;
    const dims = info.shape.map((d) => (typeof d === 'number' ? d : 1));
    feeds[info.name] = { data: new ctor(dims.reduce((a, b) => a * b, 1)), dims };
  }
  return feeds;
}

function signature(v: OnnxValueInfo): string {
  return `${v.name} ${v.type} [${v.shape.join(', ')}]`;
}
