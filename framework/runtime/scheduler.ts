/** The bounded queue and micro-batcher between the HTTP handler and the executor. */
import { VitrineError } from '../errors.ts';
import type { BatchOptions } from '../interface.ts';
import type { Executor } from './executor.ts';
import type { Outcome, WorkItem } from './execute.ts';

export interface SchedulerOptions {
  /** Requests allowed to wait; one more answers 503 at once. */
  maxQueue: number;
  batch?: BatchOptions | undefined;
  /** Called with every dispatched batch's size and each request's queue wait (ms). */
  onBatch?: (size: number) => void;
  onWait?: (ms: number) => void;
  /** Called when a queued request is dropped because its client went away. */
  onDrop?: () => void;
}

interface Waiting {
  item: WorkItem;
  enqueuedAt: number;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
  onAbort?: () => void;
  signal?: AbortSignal;
}

/**
 * Queues requests, groups them into batches and hands them to free executor slots.
 * A lone request on an idle pool is dispatched at once; while the pool is busy, a partial batch
 * waits at most `maxDelayMs` (from its oldest request) for more requests before it is sent.
 *
 * @example
 * const s = new Scheduler(executor, { maxQueue: 256, batch: { maxSize: 16, maxDelayMs: 2 } });
 * const outcome = await s.submit({ image: { bytes } }, request.signal);
 */
export class Scheduler {
  readonly #executor: Executor;
  readonly #opts: SchedulerOptions;
  readonly #queue: Waiting[] = [];
  #inFlightBatches = 0;
  #inFlightItems = 0;
  #timer: NodeJS.Timeout | undefined;
  /** Recent time per batch (ms), an exponential average used for Retry-After. */
  #avgBatchMs = 10;
  #idleWaiters: Array<() => void> = [];

  constructor(executor: Executor, opts: SchedulerOptions) {
    this.#executor = executor;
    this.#opts = opts;
  }

  get queued(): number {
    return this.#queue.length;
  }

  get inFlight(): number {
    return this.#inFlightItems;
  }

  /**
   * Runs one request. Rejects with QUEUE_FULL (503 + Retry-After) when the queue is full, and
   * drops the request from the queue if `signal` aborts first (the client went away).
   */
  submit(item: WorkItem, signal?: AbortSignal): Promise<Outcome> {
    if (this.#queue.length >= this.#opts.maxQueue && !this.#canDispatchNow()) {
      // The time to drain what is queued: that many batches, spread over every slot.
      const batches = Math.ceil((this.#queue.length + 1) / (this.#opts.batch?.maxSize ?? 1));
      const retryAfter = Math.max(1, Math.ceil((batches * this.#avgBatchMs) / this.#executor.slots / 1000));
      return Promise.reject(
        new VitrineError('QUEUE_FULL', { queued: this.#queue.length, retryAfter }, { 'retry-after': String(retryAfter) }),
      );
    }
    return new Promise<Outcome>((resolve, reject) => {
      const w: Waiting = { item, enqueuedAt: performance.now(), resolve, reject };
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        w.signal = signal;
        w.onAbort = () => {
          const i = this.#queue.indexOf(w);
          if (i >= 0) {
            this.#queue.splice(i, 1);
            this.#opts.onDrop?.();
            reject(signal.reason);
          }
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.#queue.push(w);
      this.#pump();
    });
  }

  /** Resolves once nothing is queued or running (for graceful shutdown). */
  drained(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlightBatches === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #canDispatchNow(): boolean {
    return this.#inFlightBatches < this.#executor.slots;
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#canDispatchNow()) {
      const maxSize = this.#opts.batch?.maxSize ?? 1;
      if (this.#queue.length < maxSize && this.#inFlightBatches > 0 && this.#opts.batch) {
        // The pool is busy elsewhere: let the batch fill, but never past maxDelayMs.
        const waited = performance.now() - this.#queue[0]!.enqueuedAt;
        const left = this.#opts.batch.maxDelayMs - waited;
        if (left > 0) {
          if (!this.#timer) {
            this.#timer = setTimeout(() => {
              this.#timer = undefined;
              this.#pump();
            }, left);
          }
          return;
        }
      }
      this.#dispatch(this.#queue.splice(0, maxSize));
    }
  }

  #dispatch(batch: Waiting[]): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const now = performance.now();
    for (const w of batch) {
      if (w.onAbort) w.signal?.removeEventListener('abort', w.onAbort);
      this.#opts.onWait?.(now - w.enqueuedAt);
    }
    this.#opts.onBatch?.(batch.length);
    this.#inFlightBatches++;
    this.#inFlightItems += batch.length;
    const started = performance.now();
    const settle = (answer: (w: Waiting, i: number) => void) => {
      this.#avgBatchMs = 0.8 * this.#avgBatchMs + 0.2 * (performance.now() - started);
      this.#inFlightBatches--;
      this.#inFlightItems -= batch.length;
      // The next batch leaves before this one's callers are answered, so the executor computes
      // while this thread validates and writes the replies (answering first queued the dispatch
      // behind every caller's continuation, and the worker waited for them).
      this.#pump();
      batch.forEach(answer);
      if (this.#queue.length === 0 && this.#inFlightBatches === 0) {
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
      }
    };
    this.#executor.run(batch.map((w) => w.item)).then(
      (outcomes) => settle((w, i) => w.resolve(outcomes[i] ?? { ok: false, appError: 'the executor returned too few results' })),
      (err: unknown) => settle((w) => w.reject(err)),
    );
  }
}
