/** `vitrine/onnx` in a browser (the `browser` condition): the same loadOnnxModel on onnxruntime-web's WASM backend (SIMD; threads only where the page is cross-origin isolated), its files served by the site itself. */
import * as ort from 'onnxruntime-web/wasm';
import { parseOnnxFileInfo } from './onnx-header.ts';
import { wrapSession, type LoadOnnxOptions, type OnnxModel } from './session.ts';
import { OnnxRuntimeUnavailableError } from './unavailable.ts';
import { chooseWasmThreads } from './wasm-threads.ts';

export type { LoadOnnxOptions, OnnxModel, OnnxTensor, OnnxValueInfo, TensorData } from './session.ts';
export type { OnnxFileInfo } from './onnx-header.ts';
export { OnnxRuntimeUnavailableError } from './unavailable.ts';
export { chooseWasmThreads } from './wasm-threads.ts';

/**
 * Where onnxruntime-web finds `ort-wasm-simd-threaded.{mjs,wasm}`: `vitrine build` copies them
 * from node_modules into the site's `ort/` folder, next to the app's bundle folder (never a CDN).
 */
export const ORT_FILES_PATH = '../ort/';

const loaded = new Map<string, Promise<OnnxModel>>();

/**
 * Loads an `.onnx` file (a URL, or a path relative to the page) into an onnxruntime-web session
 * for this worker, and warms it up; later calls with the same URL return the same model.
 * The model's own metadata (producer, opsets, metadata_props) is read as in Node.
 *
 * @example
 * const model = await loadOnnxModel(new URL('./model/model.onnx', import.meta.url), { log });
 * const { data } = await model.predict(pixels, [1, 28, 28, 1]);
 */
export function loadOnnxModel(source: string | URL, opts: LoadOnnxOptions = {}): Promise<OnnxModel> {
  const url = new URL(source, self.location.href).href;
  let model = loaded.get(url);
  if (!model) {
    model = open(url, opts);
    loaded.set(url, model);
    model.catch(() => loaded.delete(url));
  }
  return model;
}

async function open(url: string, opts: LoadOnnxOptions): Promise<OnnxModel> {
  const threads = chooseWasmThreads(opts, self.crossOriginIsolated, navigator.hardwareConcurrency);
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.simd = true;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmPaths ??= new URL(ORT_FILES_PATH, import.meta.url).href;
  const started = performance.now();
  const response = await fetch(url).catch((err: unknown) => {
    throw new Error(`Cannot fetch the ONNX model ${url}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!response.ok) throw new Error(`No ONNX model at ${url} (HTTP ${response.status})`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const file = await parseOnnxFileInfo(async (at, n) => bytes.subarray(at, at + n), bytes.length, url);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', executionMode: 'sequential' });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/wasm|WebAssembly|no available backend/i.test(message)) throw new OnnxRuntimeUnavailableError(message.split('\n')[0]!, 'onnxruntime-web');
    throw new Error(`ONNX Runtime cannot load ${url}: ${message}`);
  }
  return wrapSession(ort.Tensor, session, {
    path: url,
    file,
    threads,
    runtime: `ONNX Runtime Web ${ort.env.versions.web ?? ort.env.versions.common} (WASM SIMD)`,
    runtimeVersion: ort.env.versions.web ?? ort.env.versions.common,
    loadMs: performance.now() - started,
    where: `${threads} thread${threads === 1 ? '' : 's'} (${self.crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated: one thread'})`,
    warmUp: opts.warmUp,
    log: opts.log,
    forget: () => loaded.delete(url),
  });
}
