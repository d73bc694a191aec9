/** Chooses and initialises the TensorFlow.js backend once per thread: tfjs-node, else WASM, else CPU. */
import { core, layers, loadBackendPackage } from './tfjs.ts';
import { registerWasmGradients } from './wasm-gradients.ts';
import { registerChainedOps } from './chained-ops.ts';

/**
 * TF.js as apps and training use it: the core ops and the layers API. The `@tensorflow/tfjs`
 * bundle would also load WebGL, the graph-model converter and tf.data, which Node never uses:
 * importing only these two parts saves ~200 ms and ~20 MB per thread (every pool worker pays it).
 * Tensor methods (`x.argMax()`) are added by chained-ops.ts; gradients of ops other than the WASM
 * ones below come with `@tensorflow/tfjs`, which the training code imports.
 */
export type Tf = typeof core & typeof layers;
const tf: Tf = { ...core, ...layers };
registerChainedOps();

/** The backends Vitrine knows how to start, in order of preference for `'auto'`. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** Options of {@link initTf}. */
export interface InitTfOptions {
  /** Which backend to use; `'auto'` tries tfjs-node, then WASM, then CPU. `VITRINE_TF_BACKEND` overrides it. */
  backend?: BackendChoice;
  /**
   * Threads of the WASM backend. Node gets one: the stock threaded build cannot start its pthread
   * pool there (blob: worker URLs, and a core cap of cpus/2). Training uses both cores through
   * data-parallel worker threads instead (training/trainer.ts), which measured no slower.
   */
  threads?: number;
  /** Told once which backend was chosen (library code never prints). */
  log?: (msg: string) => void;
}

/** What {@link initTf} resolves to. */
export interface TfRuntime {
  tf: Tf;
  backend: string;
}

let ready: Promise<TfRuntime> | undefined;

const CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/**
 * Initialises TensorFlow.js for this thread and returns it with the name of the active backend.
 * Idempotent: later calls return the first call's result (options are ignored then).
 *
 * @example
 * const { tf, backend } = await initTf({ log: (m) => app.log.info(m) });
 * const y = tf.tidy(() => model.predict(x) as tf.Tensor);
 */
export function initTf(opts: InitTfOptions = {}): Promise<TfRuntime> {
  ready ??= start(opts).catch((err: unknown) => {
    ready = undefined;
    throw err;
  });
  return ready;
}

async function start(opts: InitTfOptions): Promise<TfRuntime> {
  const fromEnv = process.env.VITRINE_TF_BACKEND?.trim();
  if (fromEnv && !CHOICES.includes(fromEnv as BackendChoice)) {
    throw new Error(`VITRINE_TF_BACKEND must be one of ${CHOICES.join(', ')}; got "${fromEnv}"`);
  }
  const choice = (fromEnv || opts.backend || 'auto') as BackendChoice;
  const order: BackendChoice[] = choice === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [choice];
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await tryBackend(name)) {
        if ((opts.threads ?? 1) > 1 && tf.getBackend() === 'wasm') failures.push('wasm runs 1 thread per worker');
        const note = failures.length ? ` (${failures.join('; ')})` : '';
        opts.log?.(`TensorFlow.js backend: ${tf.getBackend()}${note}`);
        return { tf, backend: tf.getBackend() };
      }
      failures.push(`${name} unavailable`);
    } catch (err) {
      failures.push(`${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}`);
}

async function tryBackend(name: BackendChoice): Promise<boolean> {
  if (name === 'tensorflow') {
    // Optional native binding: absent on machines where it cannot be installed.
    try {
      loadBackendPackage('@tensorflow/tfjs-node');
    } catch {
      return false;
    }
    return tf.setBackend('tensorflow');
  }
  if (name === 'wasm') {
    loadBackendPackage('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return false;
    registerWasmGradients();
    return true;
  }
  loadBackendPackage('@tensorflow/tfjs-backend-cpu');
  return tf.setBackend('cpu');
}
