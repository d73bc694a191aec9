/** A pool of worker threads, each importing the app module and loading its model once. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';
import { VitrineError } from '../errors.ts';
import { timedOut, withRanMs, type Executor, type RunResult } from './executor.ts';
import type { Outcome, WorkItem } from './execute.ts';
import type { FromWorker, ToWorker } from './worker.ts';
import { bundleWorkerEntry } from './worker-bundle.ts';

export interface PoolOptions {
  /** `file:` URL or absolute path of the module that exports the Interface. */
  modulePath: string;
  /** Which export holds the Interface (default `default`). */
  exportName?: string;
  size: number;
  /** Batches in flight per worker. */
  concurrencyPerWorker: number;
  /** V8 heap limits of each worker (see `worker_threads` `resourceLimits`); the young generation defaults to 8 MB. */
  resourceLimits?: ResourceLimits;
  /** Told about crashes and replacements; the pool never logs by itself. */
  onEvent?: (event: PoolEvent) => void;
  /** A batch running longer answers 504 and its worker is stopped and replaced (0 = no limit, the default). */
  timeoutMs?: number;
}

/** What the pool reports: a worker crashed or exited, a replacement is ready, or the app logged. */
export interface PoolEvent {
  type: 'crash' | 'replaced' | 'log';
  /** The worker's index; -1 for the pool itself. */
  worker: number;
  detail: string;
}

interface Pending {
  resolve: (o: RunResult) => void;
  size: number;
}

interface Slot {
  index: number;
  worker: Worker;
  inFlight: Map<number, Pending>;
  ready: Promise<void>;
  isReady: boolean;
}

/**
 * A worker's V8 young generation, in MB (V8's own default grows to ~48 MB per thread under load).
 * Measured with scripts/bench.ts on the Fashion-MNIST app (28×28 PNG, 8 and 64 connections):
 * 8 MB cut the peak RSS by 55–65 MB at the same throughput and CPU per request; 4 MB saved
 * ~10 MB more but cost ~7% throughput.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** First and longest wait before a worker that died is started again (doubling in between). */
const RESTART_DELAY_MS = { first: 100, max: 10_000 };

/**
 * The default number of worker threads: one per core. Measured on 2 cores with the shipped
 * Fashion-MNIST model (~2 ms of inference per picture against ~0.3 ms of main-thread work per
 * request; README, "Serving"): 2 workers answered 1,049–1,088 req/s at 64 connections against
 * 681–683 for 1, and 115 against 61–87 for 800×800 JPEGs, the same at 1 and 8 connections. With a
 * lighter model (half the inference) 1 worker had been ahead (890 against 683 req/s at 64
 * connections): an app whose function is cheap next to its HTTP work should set `workers`.
 *
 * @example
 * new WorkerPool({ modulePath, size: defaultWorkerCount(), concurrencyPerWorker: 1 });
 */
export function defaultWorkerCount(cores: number = availableParallelism()): number {
  return Math.max(1, cores);
}

/**
 * Runs batches on worker threads; a worker that dies fails only its in-flight requests (with an
 * app error) and is replaced.
 *
 * @example
 * const pool = new WorkerPool({ modulePath: new URL('./app.ts', import.meta.url).href, size: 2, concurrencyPerWorker: 1 });
 * await pool.start();
 */
export class WorkerPool implements Executor {
  readonly slots: number;
  readonly #opts: Required<Omit<PoolOptions, 'onEvent' | 'resourceLimits'>> & Pick<PoolOptions, 'onEvent' | 'resourceLimits'>;
  readonly #workers: Slot[] = [];
  #nextId = 1;
  #closing = false;
  /** Consecutive deaths of workers that never became ready, for the restart back-off. */
  #failedStarts = 0;
  readonly #restartTimers = new Set<NodeJS.Timeout>();
  #restarts = 0;
  /** `file:` URL of the app bundled with the worker runtime (see worker-bundle.ts). */
  #bundle: string | undefined;

  constructor(opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new TypeError('WorkerPool: size must be an integer ≥ 1');
    this.#opts = { exportName: 'default', timeoutMs: 0, ...opts };
    this.slots = opts.size * Math.max(1, opts.concurrencyPerWorker);
  }

  async start(): Promise<void> {
    try {
      this.#bundle = await bundleWorkerEntry(this.#opts.modulePath, this.#opts.exportName);
    } catch (err) {
      // Workers can still load the sources through tsx, only more slowly.
      const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.#opts.onEvent?.({ type: 'log', worker: -1, detail: `no worker bundle (${reason}); workers load the TypeScript sources instead` });
    }
    // The first worker loads alone and the pool is ready once it is: on a 2-core machine it then
    // has a core to itself instead of sharing both with its siblings and the server thread
    // (measured: /healthz 200 about 0.2–0.4 s sooner with 2 + 1 workers). The others load behind it
    // and take batches as soon as each is ready. A load that fails fails them all the same way,
    // so it is reported from the first.
    this.#workers.push(this.#spawn(0));
    await this.#workers[0]!.ready;
    for (let i = 1; i < this.#opts.size && !this.#closing; i++) this.#workers.push(this.#spawn(i));
  }

  /** Resolves when every worker has loaded (start() resolves when the first has). */
  async allReady(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.ready));
  }

  run(items: WorkItem[]): Promise<RunResult> {
    // The least busy ready worker takes the batch; ties go to the lowest index, which keeps a lone
    // request on a warm worker.
    let best: Slot | undefined;
    for (const w of this.#workers) if (w.isReady && (best === undefined || w.inFlight.size < best.inFlight.size)) best = w;
    if (!best) {
      // Every worker is being replaced: say so at once rather than hold the request.
      const error = new VitrineError('MODEL_UNAVAILABLE', { reason: 'its worker is restarting; retry in a moment' }, { 'retry-after': '1' }).toTransfer();
      return Promise.resolve(items.map(() => ({ ok: false, error }) as Outcome));
    }
    const slot = best;
    const id = this.#nextId++;
    const { timeoutMs } = this.#opts;
    return new Promise<RunResult>((resolve) => {
      const timer = timeoutMs > 0 ? setTimeout(() => this.#stopStuck(slot, id, timeoutMs), timeoutMs) : undefined;
      const settle = (outcomes: RunResult) => {
        clearTimeout(timer);
        resolve(outcomes);
      };
      slot.inFlight.set(id, { resolve: settle, size: items.length });
      slot.worker.postMessage({ type: 'run', id, items } satisfies ToWorker, transferables(items));
    });
  }

  /**
   * A batch ran past the time limit: its requests get 504 and the worker is terminated (a
   * function stuck in a loop cannot be interrupted any other way); the exit handler fails the
   * worker's other batches with 500 and starts a replacement at once.
   */
  #stopStuck(slot: Slot, id: number, timeoutMs: number): void {
    const pending = slot.inFlight.get(id);
    if (!pending || this.#closing) return;
    slot.inFlight.delete(id);
    pending.resolve(timedOut(pending.size, timeoutMs));
    this.#opts.onEvent?.({ type: 'crash', worker: slot.index, detail: `a call ran longer than ${timeoutMs} ms; the worker is stopped and replaced` });
    void slot.worker.terminate();
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const t of this.#restartTimers) clearTimeout(t);
    this.#restartTimers.clear();
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  /** Busy batches per worker, for tests and metrics. */
  get busy(): number[] {
    return this.#workers.map((w) => w.inFlight.size);
  }

  /** Workers that have loaded the app and take batches. */
  get readyWorkers(): number {
    return this.#workers.filter((w) => w.isReady).length;
  }

  /** Workers started again after one died. */
  get restarts(): number {
    return this.#restarts;
  }

  #spawn(index: number): Slot {
    const { modulePath, exportName, resourceLimits } = this.#opts;
    const adopted = index === 0 && this.#restarts === 0 && !resourceLimits ? takePrestarted(modulePath, exportName, this.#bundle) : undefined;
    // A server that runs for long may outlive its bundle (another start in the same checkout
    // prunes unused bundles after 10 minutes, see worker-bundle.ts): a replacement then loads the
    // sources instead.
    if (this.#bundle !== undefined && !adopted && !existsSync(fileURLToPath(this.#bundle))) this.#bundle = undefined;
    const worker = adopted?.worker ?? startWorker(WORKER_BOOT, workerOptions(modulePath, exportName, this.#bundle, resourceLimits));
    const inFlight = new Map<number, Pending>();
    let settleReady!: { resolve: () => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    const slot: Slot = { index, worker, inFlight, ready, isReady: false };

    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'result') {
        const p = inFlight.get(msg.id);
        inFlight.delete(msg.id);
        p?.resolve(withRanMs(msg.outcomes, msg.ms));
      } else if (msg.type === 'ready') {
        slot.isReady = true;
        this.#failedStarts = 0;
        settleReady.resolve();
      } else if (msg.type === 'log') this.#opts.onEvent?.({ type: 'log', worker: index, detail: msg.message });
      else if (msg.type === 'load-failed') settleReady.reject(new Error(msg.message));
    });
    let reportedError = false;
    worker.on('error', (err) => {
      reportedError = true;
      settleReady.reject(err);
      this.#opts.onEvent?.({ type: 'crash', worker: index, detail: err.stack ?? err.message });
    });
    worker.on('exit', (code) => {
      const wasReady = slot.isReady;
      slot.isReady = false;
      for (const p of inFlight.values()) {
        p.resolve(Array.from({ length: p.size }, () => ({ ok: false, appError: `worker ${index} exited with code ${code}` })));
      }
      inFlight.clear();
      if (this.#closing) return;
      settleReady.reject(new Error(`worker ${index} exited with code ${code} before it was ready`));
      if (wasReady && !reportedError) this.#opts.onEvent?.({ type: 'crash', worker: index, detail: `exited with code ${code}` });
      // A worker that dies while loading would die again at once: wait longer after each such death.
      const delay = wasReady ? 0 : Math.min(RESTART_DELAY_MS.max, RESTART_DELAY_MS.first * 2 ** this.#failedStarts++);
      const timer = setTimeout(() => {
        this.#restartTimers.delete(timer);
        if (this.#closing) return;
        this.#restarts++;
        const replacement = this.#spawn(index);
        this.#workers[this.#workers.indexOf(slot)] = replacement;
        replacement.ready.then(
          () => this.#opts.onEvent?.({ type: 'replaced', worker: index, detail: 'ready' }),
          (err: Error) => this.#opts.onEvent?.({ type: 'crash', worker: index, detail: `replacement failed to load: ${err.message}` }),
        );
      }, delay);
      this.#restartTimers.add(timer);
    });
    // A failed load is reported through start(); keep the rejection from being unhandled here.
    ready.catch(() => {});
    // What a prestarted worker said before the pool existed, now heard by the handlers above.
    adopted?.replay();
    return slot;
  }
}

const WORKER_BOOT = new URL('./worker-boot.mjs', import.meta.url);

/**
 * The `file:` URL a pool knows an app module by: a path is resolved against the working directory.
 *
 * @example
 * moduleHref('./apps/fashion-mnist/app.ts'); // 'file:///srv/vitrine/apps/fashion-mnist/app.ts'
 */
export function moduleHref(module: string | URL): string {
  if (module instanceof URL) return module.href;
  if (module.startsWith('file:')) return module;
  return pathToFileURL(resolve(module)).href;
}

function workerOptions(modulePath: string, exportName: string, bundle: string | undefined, resourceLimits?: ResourceLimits) {
  return {
    workerData: { modulePath, exportName, bundle },
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, ...resourceLimits },
    // The function's own console output still reaches the terminal.
    stdout: false,
    stderr: false,
  };
}

/** A worker started ahead of its pool, with what it said (messages, errors, exit) until adopted. */
interface Prestarted {
  worker: Worker;
  bundle: string | undefined;
  /** Stops recording and re-emits what was recorded, for the listeners the pool has attached. */
  replay: () => void;
}

/** Prestarted workers by `${modulePath}#${exportName}`. */
const prestarted = new Map<string, Prestarted>();

/**
 * Starts the first worker of the pool that `modulePath` will get, before the server has loaded
 * Fastify and the app's Interface: its TF.js and model then load while the main thread does, and
 * the pool adopts it when it starts. Measured on 2 cores (`npm start`, spawn → /healthz 200):
 * see README, "Serving". A worker no pool adopts is stopped by {@link discardPrestarted}.
 *
 * @example
 * await prestartWorker(pathToFileURL('apps/fashion-mnist/app.ts').href);
 * const pool = new WorkerPool({ modulePath, size: 2, concurrencyPerWorker: 1 }); // adopts it
 */
export async function prestartWorker(modulePath: string, exportName = 'default'): Promise<number> {
  const key = `${modulePath}#${exportName}`;
  const bundle = await bundleWorkerEntry(modulePath, exportName).catch(() => undefined);
  const already = prestarted.get(key);
  if (already) return already.worker.threadId;
  const worker = startWorker(WORKER_BOOT, workerOptions(modulePath, exportName, bundle));
  const said: Array<[event: 'message' | 'error' | 'exit', value: unknown]> = [];
  const listeners = (['message', 'error', 'exit'] as const).map((event) => {
    const listener = (value: unknown) => said.push([event, value]);
    worker.on(event, listener);
    return [event, listener] as const;
  });
  prestarted.set(key, {
    worker,
    bundle,
    replay: () => {
      for (const [event, listener] of listeners) worker.off(event, listener);
      for (const [event, value] of said) worker.emit(event, value);
    },
  });
  return worker.threadId;
}

/** The prestarted worker for this module, if it was built from the same bundle; it is the caller's now. */
function takePrestarted(modulePath: string, exportName: string, bundle: string | undefined): Prestarted | undefined {
  const key = `${modulePath}#${exportName}`;
  const found = prestarted.get(key);
  if (!found) return undefined;
  prestarted.delete(key);
  if (found.bundle === bundle) return found;
  void found.worker.terminate();
  return undefined;
}

/** Stops the prestarted workers no pool adopted (an app that runs in the main thread, say). */
export async function discardPrestarted(): Promise<void> {
  const left = [...prestarted.values()];
  prestarted.clear();
  await Promise.all(left.map((p) => p.worker.terminate()));
}

/** The flags workers start with, settled by the first worker started (see startWorker). */
let flagsForWorkers: string[] | undefined;

/**
 * Starts a worker with the parent's flags less the TypeScript loader. Node refuses process-wide
 * flags in a worker's execArgv (V8 flags such as `--max-semi-space-size`, which already apply to
 * every thread); those it names are dropped and the start retried.
 */
function startWorker(url: URL, options: Omit<WorkerOptions, 'execArgv'>): Worker {
  let flags = (flagsForWorkers ??= workerExecArgv(process.execArgv));
  for (;;) {
    try {
      const worker = new Worker(url, { ...options, execArgv: flags });
      flagsForWorkers = flags;
      return worker;
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      if (e.code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || flags.length === 0) throw err;
      const named = String(e.message).split(': ').slice(1).join(': ').split(', ');
      const kept: string[] = flags.filter((f) => !named.includes(f));
      flags = kept.length < flags.length ? kept : [];
    }
  }
}

/**
 * The parent's Node flags minus the TypeScript loader: `worker-boot.mjs` registers tsx itself,
 * because in Node 20 a worker that inherits `--import tsx` runs its preload (≈ 200 ms and a
 * loader thread per worker) and still cannot import `.ts` files. Flags such as `--cpu-prof` or
 * `--max-old-space-size` are kept.
 *
 * @example
 * workerExecArgv(['--import', 'tsx', '--cpu-prof']); // ['--cpu-prof']
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const loaderFlag = /^(--import|--loader|--experimental-loader|--require|-r)$/;
  const isTsx = (v: string | undefined) => v !== undefined && /^tsx(\/|$)/.test(v);
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    if (loaderFlag.test(arg) && isTsx(execArgv[i + 1])) {
      i++;
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0 && loaderFlag.test(arg.slice(0, eq)) && isTsx(arg.slice(eq + 1))) continue;
    out.push(arg);
  }
  return out;
}

/** Byte arrays that own their whole buffer move to the worker instead of being copied. */
function transferables(items: WorkItem[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const item of items) {
    for (const key in item) {
      const bytes = (item[key] as { bytes?: unknown } | null)?.bytes;
      if (
        bytes instanceof Uint8Array &&
        bytes.byteOffset === 0 &&
        bytes.byteLength === bytes.buffer.byteLength &&
        bytes.buffer instanceof ArrayBuffer &&
        !out.includes(bytes.buffer)
      ) {
        out.push(bytes.buffer);
      }
    }
  }
  return out;
}
