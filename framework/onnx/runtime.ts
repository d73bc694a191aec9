/** onnxruntime-node, loaded on first use (never at import), with an error of its own when it cannot load on this platform. */
import { createRequire } from 'node:module';
import { OnnxRuntimeUnavailableError } from './unavailable.ts';

export { OnnxRuntimeUnavailableError } from './unavailable.ts';

/** The onnxruntime-node package's API (types only; the package itself is required on demand). */
export type Ort = typeof import('onnxruntime-node');

const requireCjs = createRequire(import.meta.url);
let ort: Ort | undefined;

/**
 * Returns onnxruntime-node, loading it once per thread. require() rather than import(): the
 * package is CommonJS and Node's ESM loader would first scan it for export names (27 ms against
 * 48 ms measured on first load, paid by every worker thread).
 *
 * @example
 * const ort = loadOrt();
 * console.log(ort.env.versions.node); // '1.30.0'
 */
export function loadOrt(): Ort {
  if (ort) return ort;
  try {
    ort = requireCjs('onnxruntime-node') as Ort;
  } catch (err) {
    // An optional peer dependency: missing is the usual case, and the fix is one command.
    const missing = (err as { code?: unknown }).code === 'MODULE_NOT_FOUND' && String((err as Error).message).includes("'onnxruntime-node'");
    throw new OnnxRuntimeUnavailableError(missing ? 'it is not installed; npm install onnxruntime-node' : err instanceof Error ? err.message.split('\n')[0]! : String(err));
  }
  return ort;
}
