/** An ONNX model loaded with ONNX Runtime once per thread: what it takes and gives, and a run on typed arrays. */
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { readOnnxFileInfo } from './file-info.ts';
import { loadOrt, type Ort } from './runtime.ts';
import { wrapSession, type LoadOnnxOptions, type OnnxModel } from './session.ts';
import { chooseIntraOpThreads } from './threads.ts';

export type { LoadOnnxOptions, OnnxModel, OnnxTensor, OnnxValueInfo, TensorData } from './session.ts';

/** Sessions of this thread by path and thread count: a session is made once per thread. */
const loaded = new Map<string, Promise<OnnxModel>>();

/**
 * Loads an `.onnx` file (a path or a `file:` URL) into an ONNX Runtime session for this thread (CPU), with intra-op threads
 * chosen for the pool (see threads.ts), and warms it up. Call it from an app's `load()`; later
 * calls with the same path and thread count return the same model. Throws
 * `OnnxRuntimeUnavailableError` when onnxruntime-node cannot load here, and a plain Error naming
 * the file when it is missing or not a model ONNX Runtime accepts.
 *
 * @example
 * const model = await loadOnnxModel('apps/fashion-mnist/model/model.onnx', { log });
 * const { data } = await model.predict(pixels, [8, 28, 28, 1]); // Float32Array of 8 × 10
 */
export function loadOnnxModel(path: string | URL, opts: LoadOnnxOptions = {}): Promise<OnnxModel> {
  const file = path instanceof URL ? fileURLToPath(path) : resolve(path);
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
  const loadMs = performance.now() - started;
  const sharing = opts.poolWorkers ?? (isMainThread ? 1 : availableParallelism());
  const workers = opts.threads !== undefined ? '' : ` shared by ${sharing} JS thread${sharing === 1 ? '' : 's'}`;
  const key = `${path}#${threads}`;
  return wrapSession(ort.Tensor, session, {
    path,
    file,
    threads,
    runtime: `ONNX Runtime ${ort.env.versions.node ?? ort.env.versions.common} (CPU)`,
    runtimeVersion: ort.env.versions.node ?? ort.env.versions.common,
    loadMs,
    where: `${threads} intra-op thread${threads === 1 ? '' : 's'} (${availableParallelism()} cores${workers})`,
    warmUp: opts.warmUp,
    log: opts.log,
    forget: () => loaded.delete(key),
  });
}

