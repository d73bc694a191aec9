/** The bounded queue and micro-batcher between the HTTP handler and the executor. */
import { VitrineError } from '../errors.ts';
import type { BatchOptions } from '../interface.ts';
import type { Executor } from './executor.ts';
import type { Outcome, ProgressSink, WorkItem } from './execute.ts';
import type { CallControl, PartialSink } from './stream.ts';

/** What a caller hears about its request besides the outcome. */
export interface JobHooks {
  /** The request left the queue: its batch is being handed to the executor. */
  onStart?: () => void;
  /** The function reported progress (`ctx.progress`) while running the request's batch. */
  onProgress?: ProgressSink;
  /** A streaming function yielded a partial output (wire values) for this request. */
  onPartial?: PartialSink;
}

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
  hooks: JobHooks | undefined;
  enqueuedAt: number;
  resolve: (o: Outcome) => void;
  reject: (e: unknown) => void;
  onAbort?: () => void;
  signal?: AbortSignal;
}

/**
 * Recent batch times fitted as `fixed + perItem × size` (weighted least squares, each new batch
 * weighing 1 and older ones fading by {@link BatchCost.FADE} per batch), as BentoML's adaptive
 * batching does. `fixed` is what one batch costs whatever its size (a call, a thread hand-off,
 * kernel launches): all that merging two batches can save.
 */
export class BatchCost {
  static readonly FADE = 0.95;
  #w = 0;
  #n = 0;
  #nn = 0;
  #t = 0;
  #nt = 0;

  /** Records a batch of `size` items that took `ms`. */
  observe(size: number, ms: number): void {
    const f = BatchCost.FADE;
    this.#w = f * this.#w + 1;
    this.#n = f * this.#n + size;
    this.#nn = f * this.#nn + size * size;
    this.#t = f * this.#t + ms;
    this.#nt = f * this.#nt + size * ms;
  }

  /**
   * The fixed cost per batch (ms), or undefined until enough batches of different sizes were
   * seen to tell it from the per-item cost.
   *
   * @example
   * const cost = new BatchCost();
   * for (const n of [1, 4, 2, 8, 3, 6]) cost.observe(n, 0.2 + 0.8 * n);
   * cost.fixedMs; // ≈ 0.2
   */
  get fixedMs(): number | undefined {
    if (this.#w < 5) return undefined;
    const meanN = this.#n / this.#w;
    const varN = this.#nn / this.#w - meanN * meanN;
    if (!(varN > 0.1)) return undefined; // all batches (nearly) one size
    const perItem = (this.#nt / this.#w - meanN * (this.#t / this.#w)) / varN;
    return Math.max(0, this.#t / this.#w - perItem * meanN);
  }
}

/**
 * Queues requests, groups them into batches and hands them to free executor slots.
 * A lone request on an idle pool is dispatched at once. While the pool is busy, a partial batch
 * may wait for more requests, never longer than `maxDelayMs` (from its oldest request), and only
 * as long as waiting is expected to pay: see #fillBudgetMs. Measured with the Fashion-MNIST CNN on
 * WASM (~0.8 ms per picture, little per batch), 28×28 PNGs at 8 connections, alternating runs:
 * 882 / 882 req/s against 699 / 778 when every partial batch waited `maxDelayMs` (the CPU had been
 * 28 % idle), and 917 / 980 never waiting. A model with a large fixed cost per batch (a GPU's)
 * still waits up to `maxDelayMs` under load.
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
  readonly #cost = new BatchCost();
  /** Time between arriving requests (ms), an exponential average; its inverse is the arrival rate. */
  #meanGapMs: number | undefined;
  #lastArrival: number | undefined;
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
   * The QUEUE_FULL error (503 + Retry-After) a request submitted now would get, or undefined when
   * it would be taken: lets a caller that must answer before the outcome (Gradio's queue/join) refuse
   * at once, exactly as `submit` would in the same tick.
   *
   * @example
   * const full = scheduler.refusal(); if (full) throw full;
   */
  refusal(): VitrineError | undefined {
    if (this.#queue.length < this.#opts.maxQueue || this.#canDispatchNow()) return undefined;
    // The time to drain what is queued: that many batches, spread over every slot.
    const batches = Math.ceil((this.#queue.length + 1) / (this.#opts.batch?.maxSize ?? 1));
    const retryAfter = Math.max(1, Math.ceil((batches * this.#avgBatchMs) / this.#executor.slots / 1000));
    return new VitrineError('QUEUE_FULL', { queued: this.#queue.length, retryAfter }, { 'retry-after': String(retryAfter) });
  }

  /**
   * Runs one request. Rejects with QUEUE_FULL (503 + Retry-After) when the queue is full, and
   * drops the request from the queue if `signal` aborts first (the client went away). Once it
   * runs alone (no batching), the signal stops a streaming function; the outcome then comes when
   * the function has stopped.
   */
  submit(item: WorkItem, signal?: AbortSignal, hooks?: JobHooks): Promise<Outcome> {
    const full = this.refusal();
    if (full) return Promise.reject(full);
    const now = performance.now();
    if (this.#lastArrival !== undefined) {
      const gap = Math.min(1000, now - this.#lastArrival);
      this.#meanGapMs = this.#meanGapMs === undefined ? gap : 0.9 * this.#meanGapMs + 0.1 * gap;
    }
    this.#lastArrival = now;
    return new Promise<Outcome>((resolve, reject) => {
      const w: Waiting = { item, hooks, enqueuedAt: now, resolve, reject };
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

  /**
   * How long a partial batch may wait for more requests while a slot is free. With requests
   * arriving at rate λ (Poisson) and a fixed cost `a` per batch, waiting δ saves `a` if a request
   * comes (probability 1 − e^(−λδ)) and leaves the slot idle for δ: the expected gain
   * (1 − e^(−λδ))·a − δ is positive only when λ·a > 1, and largest at δ = ln(λ·a)/λ. Until the
   * cost is known, `maxDelayMs` applies as configured.
   */
  #fillBudgetMs(maxDelayMs: number): number {
    const fixed = this.#cost.fixedMs;
    if (fixed === undefined || this.#meanGapMs === undefined) return maxDelayMs;
    const rate = 1 / Math.max(1e-3, this.#meanGapMs); // requests per ms
    return rate * fixed > 1 ? Math.min(maxDelayMs, Math.log(rate * fixed) / rate) : 0;
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
        const left = this.#fillBudgetMs(this.#opts.batch.maxDelayMs) - waited;
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
      w.hooks?.onStart?.();
    }
    // One report of a batch's function is every one of its callers' progress.
    const listeners = batch.flatMap((w) => (w.hooks?.onProgress ? [w.hooks.onProgress] : []));
    const onProgress: ProgressSink | undefined =
      listeners.length === 0 ? undefined : (fraction, description) => listeners.forEach((listen) => listen(fraction, description));
    this.#opts.onBatch?.(batch.length);
    this.#inFlightBatches++;
    this.#inFlightItems += batch.length;
    const started = performance.now();
    const settle = (answer: (w: Waiting, i: number) => void, ranMs?: number) => {
      const took = performance.now() - started;
      this.#avgBatchMs = 0.8 * this.#avgBatchMs + 0.2 * took;
      // The executor's own figure leaves out the hand-offs and this thread's delays in noticing
      // the result, which waiting for a fuller batch would not save.
      if (ranMs !== undefined) this.#cost.observe(batch.length, ranMs);
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
    // A request that runs alone can be stopped while it runs; a batch is one call for all of its requests.
    const control: CallControl = batch.length === 1 ? { signal: batch[0]!.signal, onPartial: batch[0]!.hooks?.onPartial } : {};
    this.#executor.run(batch.map((w) => w.item), onProgress, control).then(
      (outcomes) => settle((w, i) => w.resolve(outcomes[i] ?? { ok: false, appError: 'the executor returned too few results' }), outcomes.ranMs),
      (err: unknown) => settle((w) => w.reject(err)),
    );
  }
}
