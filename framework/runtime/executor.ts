/** Where batches run: the main thread (workers: 0) or a pool of worker threads. */
import { executeBatch, ensureLoaded, type Outcome, type ProgressSink, type WorkItem } from './execute.ts';
import type { CallControl } from './stream.ts';
import type { VitrineInterface } from '../interface.ts';
import { VitrineError } from '../errors.ts';

/**
 * A batch's outcomes, with the time (ms) the thread that ran it spent on it when the executor
 * knows: the scheduler learns the cost of batches from it (scheduler.ts, BatchCost).
 */
export type RunResult = Outcome[] & { ranMs?: number };

/**
 * `outcomes` carrying `ranMs` (not enumerable: the array still reads and compares as plain outcomes).
 *
 * @example
 * withRanMs([{ ok: true, outputs: {} }], 0.9).ranMs; // 0.9
 */
export function withRanMs(outcomes: Outcome[], ranMs: number | undefined): RunResult {
  return Object.defineProperty(outcomes, 'ranMs', { value: ranMs, enumerable: false, configurable: true });
}

/** Runs batches; the scheduler never asks for more than `slots` at once. */
export interface Executor {
  readonly slots: number;
  /** Resolves once the app's `load` has run everywhere; rejects with its error. */
  start(): Promise<void>;
  /**
   * Runs one batch; `onProgress` hears the function's `ctx.progress` reports while it runs, and
   * `control` a streaming function's partial outputs (aborting its signal stops the stream).
   */
  run(items: WorkItem[], onProgress?: ProgressSink, control?: CallControl): Promise<RunResult>;
  close(): Promise<void>;
}

/**
 * Runs the function in the calling thread: for tests and apps too light to need threads.
 *
 * @example
 * const exec = new InlineExecutor(iface, 1);
 */
export class InlineExecutor implements Executor {
  readonly slots: number;
  readonly #iface: VitrineInterface;
  readonly #log: (message: string) => void;
  readonly #timeoutMs: number;

  constructor(iface: VitrineInterface, slots: number, log: (message: string) => void = () => {}, timeoutMs = 0) {
    this.#iface = iface;
    this.slots = slots;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  start(): Promise<void> {
    return ensureLoaded(this.#iface, this.#log);
  }

  run(items: WorkItem[], onProgress?: ProgressSink, control: CallControl = {}): Promise<RunResult> {
    const started = performance.now();
    const late = new AbortController();
    const signal = control.signal ? AbortSignal.any([control.signal, late.signal]) : late.signal;
    const call = executeBatch(this.#iface, items, onProgress, { ...control, signal }).then((outcomes) => withRanMs(outcomes, performance.now() - started));
    if (this.#timeoutMs <= 0) return call;
    // A plain function keeps running (nothing can stop a function in this thread) and its caller
    // stops waiting; a stream is stopped as well, its `return()` run at its next yield.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<RunResult>((resolve) => {
      timer = setTimeout(() => {
        late.abort();
        resolve(timedOut(items.length, this.#timeoutMs));
      }, this.#timeoutMs);
    });
    return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
  }

  async close(): Promise<void> {}
}

/**
 * The outcomes of a batch that ran past its time limit: 504 for each of its requests.
 *
 * @example
 * timedOut(2, 500); // two FUNCTION_TIMEOUT outcomes
 */
export function timedOut(count: number, timeoutMs: number): Outcome[] {
  const error = new VitrineError('FUNCTION_TIMEOUT', { timeoutMs }).toTransfer();
  return Array.from({ length: count }, () => ({ ok: false, error }) as Outcome);
}
