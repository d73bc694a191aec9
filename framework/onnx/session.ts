/** What a loaded ONNX model looks like to an app, on either runtime (onnxruntime-node, or onnxruntime-web in a browser): its types, and the wrapping of a session into one. */
import type { InferenceSession, Tensor } from 'onnxruntime-common';
import type { OnnxFileInfo } from './onnx-header.ts';
import type { ThreadBudget } from './threads.ts';

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
  /** Absolute path of the file (in a browser, its URL). */
  readonly path: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Model-level fields of the file (producer, opsets, metadata_props). */
  readonly file: OnnxFileInfo;
  /** Intra-op threads the session uses. */
  readonly threads: number;
  /** The runtime's version (onnxruntime-node, or onnxruntime-web in a browser). */
  readonly runtimeVersion: string;
  /** Runs the model; every output unless `outputs` names some. */
  run(feeds: Readonly<Record<string, OnnxTensor>>, outputs?: readonly string[]): Promise<Record<string, OnnxTensor>>;
  /** Runs a model of one input and returns its first output. */
  predict(data: TensorData, dims: readonly number[]): Promise<OnnxTensor>;
  /** Frees the session (and forgets it, so a later load reads the file again). */
  release(): Promise<void>;
}

/** The Tensor constructor of either runtime. */
export interface TensorConstructor {
  new (type: 'float32', data: Float32Array, dims: readonly number[]): Tensor;
}

/** What {@link wrapSession} needs besides the session. */
export interface SessionFacts {
  path: string;
  file: OnnxFileInfo;
  threads: number;
  /** For the log line: `ONNX Runtime 1.30.0 (CPU)`. */
  runtime: string;
  runtimeVersion: string;
  loadMs: number;
  /** For the log line: the threads and where they come from. */
  where: string;
  warmUp?: boolean | undefined;
  log?: ((message: string) => void) | undefined;
  /** Drops the session from its runtime's cache (release). */
  forget: () => void;
}

/**
 * Makes an {@link OnnxModel} of a created session: feeds checked with readable messages, outputs
 * as typed arrays, a warm-up run on zeros unless told not to, one log line.
 *
 * @example
 * const model = await wrapSession(ort.Tensor, session, { path, file, threads: 1, runtime: 'ONNX Runtime 1.31.1 (WASM)', runtimeVersion: '1.31.1', loadMs, where: '1 thread', forget });
 */
export async function wrapSession(Tensor: TensorConstructor, session: InferenceSession, facts: SessionFacts): Promise<OnnxModel> {
  const { path } = facts;
  const name = path.split(/[\\/]/).pop() ?? path;
  const describe = (m: (typeof session.inputMetadata)[number]): OnnxValueInfo =>
    // An unnamed dynamic dimension comes back as ''; '?' keeps it symbolic and readable in logs.
    m.isTensor ? { name: m.name, type: m.type, shape: m.shape.map((d) => (d === '' ? '?' : d)) } : { name: m.name, type: 'non-tensor', shape: [] };
  const inputs = session.inputMetadata.map(describe);
  const outputs = session.outputMetadata.map(describe);

  const run = async (feeds: Readonly<Record<string, OnnxTensor>>, names?: readonly string[]) => {
    const tensors: Record<string, Tensor> = {};
    for (const info of inputs) {
      const feed = feeds[info.name];
      if (!feed) throw new Error(`${name}: no value for input "${info.name}"`);
      checkFeed(info, feed, name);
      // The declared type, not the array's: a bool tensor is made of a Uint8Array.
      tensors[info.name] = new Tensor(info.type as 'float32', feed.data as Float32Array, feed.dims);
    }
    const result = names ? await session.run(tensors, names) : await session.run(tensors);
    const out: Record<string, OnnxTensor> = {};
    for (const [key, value] of Object.entries(result)) out[key] = { data: value.data as TensorData, dims: value.dims };
    return out;
  };

  let warmMs: number | undefined;
  if (facts.warmUp !== false) {
    const zeros = warmUpFeeds(inputs);
    if (zeros) {
      const t = performance.now();
      await run(zeros);
      warmMs = performance.now() - t;
    }
  }
  facts.log?.(
    `${facts.runtime} loaded ${name} in ${facts.loadMs.toFixed(0)} ms: ${facts.where}; ` +
      `${inputs.map(signature).join(', ')} → ${outputs.map(signature).join(', ')}` +
      (warmMs === undefined ? '; no warm-up (an input of unknown shape or type)' : `; warm-up ${warmMs.toFixed(1)} ms`),
  );

  return {
    path,
    inputs,
    outputs,
    file: facts.file,
    threads: facts.threads,
    runtimeVersion: facts.runtimeVersion,
    run,
    async predict(data, dims) {
      if (inputs.length !== 1) throw new Error(`${name} takes ${inputs.length} inputs; use run()`);
      const result = await run({ [inputs[0]!.name]: { data, dims } }, [outputs[0]!.name]);
      return result[outputs[0]!.name]!;
    },
    async release() {
      facts.forget();
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
