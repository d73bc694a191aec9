/** A pool of worker threads, each importing the app module and loading its model once. */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits, Worker } from 'node:worker_threads';
import { VitrineError } from '../errors.ts';
import { timedOut, withRanMs, type Executor, type RunResult } from './executor.ts';
import type { Outcome, ProgressSink, WorkItem } from './execute.ts';
import type { CallControl, PartialSink } from './stream.ts';
import type { FromWorker, ToWorker } from './worker.ts';
import { startWorker, takePrestarted, workerOptions } from './prestart.ts';

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
  onProgress: ProgressSink | undefined;
  onPartial: PartialSink | undefined;
  /** The call has sent a partial output: it is a stream, which a cancel message can stop. */
  streaming: boolean;
}

interface Slot {
  index: number;
  worker: Worker;
  inFlight: Map<number, Pending>;
  ready: Promise<void>;
  isReady: boolean;
}

/**
 * How long a stream that ran past `timeoutMs` has, once told to stop, to reach its next `yield`
 * and run its `finally` blocks before its worker is terminated like any stuck call.
 */
export const STREAM_STOP_GRACE_MS = 1000;

/** First and longest wait before a worker that died is started again (doubling in between). */
const RESTART_DELAY_MS = { first: 100, max: 10_000 };

/**
 * The number of worker threads an app with a model gets by default: one per core. Measured on 2
 * cores with the shipped Fashion-MNIST model (docs/decisions/001-worker-count.md): 2 workers
 * answered 1,049–1,088 req/s at 64 connections against 681–683 for 1, and 115 against 61–87 for
 * 800×800 JPEGs, the same at 1 and 8 connections. With a lighter model (half the inference) 1
 * worker had been ahead (890 against 683 req/s at 64 connections): an app whose function is cheap
 * next to its HTTP work should set `workers`.
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

  constructor(opts: PoolOptions) {
    if (!Number.isInteger(opts.size) || opts.size < 1) throw new TypeError('WorkerPool: size must be an integer ≥ 1');
    this.#opts = { exportName: 'default', timeoutMs: 0, ...opts };
    this.slots = opts.size * Math.max(1, opts.concurrencyPerWorker);
  }

  async start(): Promise<void> {
    // The first worker loads alone and the pool is ready once it is: on a 2-core machine it then
    // has a core to itself instead of sharing both with its siblings and the server thread
    // (docs/decisions/004-start-the-first-worker-early.md: /healthz 200 about 0.2–0.4 s sooner with
    // 2 + 1 workers). The others load behind it and take batches as soon as each is ready. A load
    // that fails fails them all the same way, so it is reported from the first.
    this.#workers.push(this.#spawn(0));
    await this.#workers[0]!.ready;
    for (let i = 1; i < this.#opts.size && !this.#closing; i++) this.#workers.push(this.#spawn(i));
  }

  /** Resolves when every worker has loaded (start() resolves when the first has). */
  async allReady(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.ready));
  }

  run(items: WorkItem[], onProgress?: ProgressSink, control: CallControl = {}): Promise<RunResult> {
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
    const { signal } = control;
    return new Promise<RunResult>((resolve) => {
      const timer = timeoutMs > 0 ? setTimeout(() => this.#stopStuck(slot, id, timeoutMs), timeoutMs) : undefined;
      // A cancelled stream is stopped in its worker; the batch settles when the worker says it
      // has (its `finally` blocks ran), so the slot is counted busy until then.
      const cancel = () => slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      const settle = (outcomes: RunResult) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
        resolve(outcomes);
      };
      slot.inFlight.set(id, { resolve: settle, size: items.length, onProgress, onPartial: control.onPartial, streaming: false });
      slot.worker.postMessage({ type: 'run', id, items } satisfies ToWorker, transferables(items));
      if (signal?.aborted) cancel();
      else signal?.addEventListener('abort', cancel, { once: true });
    });
  }

  /**
   * A batch ran past the time limit: its requests get 504. A stream is told to stop and has
   * {@link STREAM_STOP_GRACE_MS} to do so; any other call — or a stream that does not stop — has
   * its worker terminated (a function stuck in a loop cannot be interrupted any other way); the
   * exit handler fails the worker's other batches with 500 and starts a replacement at once.
   */
  #stopStuck(slot: Slot, id: number, timeoutMs: number): void {
    const pending = slot.inFlight.get(id);
    if (!pending || this.#closing) return;
    pending.resolve(timedOut(pending.size, timeoutMs));
    if (pending.streaming) {
      // Still in flight until the worker answers: its `result` then only frees the slot.
      pending.onPartial = undefined;
      pending.onProgress = undefined;
      slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker);
      const grace = setTimeout(() => this.#terminateStuck(slot, id, timeoutMs), STREAM_STOP_GRACE_MS);
      const settled = pending.resolve;
      pending.resolve = (o) => {
        clearTimeout(grace);
        settled(o);
      };
      return;
    }
    this.#terminateStuck(slot, id, timeoutMs);
  }

  #terminateStuck(slot: Slot, id: number, timeoutMs: number): void {
    if (!slot.inFlight.has(id) || this.#closing) return;
    slot.inFlight.delete(id);
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
    const adopted = index === 0 && this.#restarts === 0 && !resourceLimits ? takePrestarted(modulePath, exportName) : undefined;
    const worker: Worker = adopted?.worker ?? startWorker(workerOptions(modulePath, exportName, resourceLimits));
    const inFlight = new Map<number, Pending>();
    let settleReady!: { resolve: () => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    const slot: Slot = { index, worker, inFlight, ready, isReady: false };

    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'result') {
        const p = inFlight.get(msg.id);
        inFlight.delete(msg.id);
        p?.resolve(withRanMs(msg.outcomes, msg.ms));
      } else if (msg.type === 'progress') {
        inFlight.get(msg.id)?.onProgress?.(msg.fraction, msg.description);
      } else if (msg.type === 'partial') {
        const p = inFlight.get(msg.id);
        if (p) {
          p.streaming = true;
          p.onPartial?.(msg.outputs);
        }
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
