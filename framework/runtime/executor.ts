/** Where batches run: the main thread (workers: 0) or a pool of worker threads. */
import { executeBatch, ensureLoaded, type Outcome, type WorkItem } from './execute.ts';
import type { VitrineInterface } from '../interface.ts';

/** Runs batches; the scheduler never asks for more than `slots` at once. */
export interface Executor {
  readonly slots: number;
  /** Resolves once the app's `load` has run everywhere; rejects with its error. */
  start(): Promise<void>;
  run(items: WorkItem[]): Promise<Outcome[]>;
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

  constructor(iface: VitrineInterface, slots: number, log: (message: string) => void = () => {}) {
    this.#iface = iface;
    this.slots = slots;
    this.#log = log;
  }

  start(): Promise<void> {
    return ensureLoaded(this.#iface, this.#log);
  }

  run(items: WorkItem[]): Promise<Outcome[]> {
    return executeBatch(this.#iface, items);
  }

  async close(): Promise<void> {}
}
