/** A pool of worker threads, each importing the app module and loading its model once. */
import { Worker } from 'node:worker_threads';
import type { Executor } from './executor.ts';
import type { Outcome, WorkItem } from './execute.ts';
import type { FromWorker, ToWorker } from './worker.ts';

export interface PoolOptions {
  /** `file:` URL or absolute path of the module that exports the Interface. */
  modulePath: string;
  /** Which export holds the Interface (default `default`). */
  exportName?: string;
  size: number;
  /** Batches in flight per worker. */
  concurrencyPerWorker: number;
  /** Told about crashes and replacements; the pool never logs by itself. */
  onEvent?: (event: { type: 'crash' | 'replaced' | 'log'; worker: number; detail: string }) => void;
}

interface Pending {
  resolve: (o: Outcome[]) => void;
  size: number;
}

interface Slot {
  index: number;
  worker: Worker;
  inFlight: Map<number, Pending>;
  ready: Promise<void>;
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
  readonly #opts: Required<Omit<PoolOptions, 'onEvent'>> & Pick<PoolOptions, 'onEvent'>;
  readonly #workers: Slot[] = [];
  #nextId = 1;
  #closing = false;

  constructor(opts: PoolOptions) {
    this.#opts = { exportName: 'default', ...opts };
    this.slots = opts.size * opts.concurrencyPerWorker;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.#opts.size; i++) this.#workers.push(this.#spawn(i));
    await Promise.all(this.#workers.map((w) => w.ready));
  }

  run(items: WorkItem[]): Promise<Outcome[]> {
    // The least busy worker takes the batch; ties go to the lowest index, which keeps a lone
    // request on a warm worker.
    let best = this.#workers[0];
    for (const w of this.#workers) if (best === undefined || w.inFlight.size < best.inFlight.size) best = w;
    if (!best) return Promise.resolve(items.map(() => ({ ok: false, appError: 'the worker pool is not started' }) as Outcome));
    const slot = best;
    const id = this.#nextId++;
    return new Promise<Outcome[]>((resolve) => {
      slot.inFlight.set(id, { resolve, size: items.length });
      slot.worker.postMessage({ type: 'run', id, items } satisfies ToWorker, transferables(items));
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }

  /** Busy batches per worker, for tests and metrics. */
  get busy(): number[] {
    return this.#workers.map((w) => w.inFlight.size);
  }

  #spawn(index: number): Slot {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: {
        modulePath: this.#opts.modulePath,
        exportName: this.#opts.exportName,
        typescript: /\.[cm]?tsx?$/.test(this.#opts.modulePath),
      },
      // The function's own console output still reaches the terminal.
      stdout: false,
      stderr: false,
    });
    const inFlight = new Map<number, Pending>();
    let settleReady!: { resolve: () => void; reject: (e: Error) => void };
    const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
    const slot: Slot = { index, worker, inFlight, ready };

    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready') settleReady.resolve();
      else if (msg.type === 'log') this.#opts.onEvent?.({ type: 'log', worker: index, detail: msg.message });
      else if (msg.type === 'load-failed') settleReady.reject(new Error(msg.message));
      else if (msg.type === 'result') {
        const p = inFlight.get(msg.id);
        inFlight.delete(msg.id);
        p?.resolve(msg.outcomes);
      }
    });
    worker.on('error', (err) => {
      settleReady.reject(err);
      this.#opts.onEvent?.({ type: 'crash', worker: index, detail: err.stack ?? err.message });
    });
    worker.on('exit', (code) => {
      for (const p of inFlight.values()) {
        p.resolve(Array.from({ length: p.size }, () => ({ ok: false, appError: `worker ${index} exited with code ${code}` })));
      }
      inFlight.clear();
      if (this.#closing) return;
      settleReady.reject(new Error(`worker ${index} exited with code ${code} before it was ready`));
      const replacement = this.#spawn(index);
      this.#workers[this.#workers.indexOf(slot)] = replacement;
      replacement.ready.then(
        () => this.#opts.onEvent?.({ type: 'replaced', worker: index, detail: 'ready' }),
        (err: Error) => this.#opts.onEvent?.({ type: 'crash', worker: index, detail: `replacement failed to load: ${err.message}` }),
      );
    });
    // A failed load is reported through start(); keep the rejection from being unhandled here.
    ready.catch(() => {});
    return slot;
  }
}

/** Byte arrays that own their whole buffer move to the worker instead of being copied. */
function transferables(items: WorkItem[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const item of items) {
    for (const v of Object.values(item)) {
      const bytes = (v as { bytes?: unknown } | null)?.bytes;
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
