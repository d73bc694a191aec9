/** How many intra-op threads one ONNX Runtime session may use, so that a pool's sessions never ask for more threads than there are cores. */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Environment variable that fixes the intra-op threads of every session (for measuring). */
export const THREADS_ENV = 'VITRINE_ORT_THREADS';

/** What {@link chooseIntraOpThreads} decides from. */
export interface ThreadBudget {
  /** Cores of the machine (default `os.availableParallelism()`). */
  cores?: number;
  /**
   * JS threads that each hold a session and run at the same time. Default: in a worker thread,
   * one per core (the pool's default size, framework/runtime/pool.ts `defaultWorkerCount`); in
   * the main thread (an app with `workers: 0`), 1.
   */
  poolWorkers?: number;
  /** An explicit choice, which wins (still at least 1). */
  threads?: number;
}

/**
 * Intra-op threads for one session: the cores shared out among the pool's workers, at least 1;
 * `VITRINE_ORT_THREADS` overrides. A session's threads include the JS thread that calls `run()`
 * (onnxruntime-node runs the graph synchronously on it), so N workers × M threads ≤ cores means
 * no run ever waits for a core held by another. On 2 cores with the shipped CNN
 * (../shared/notes/onnx-runtime.md): 2 workers × 1 thread made ~7,400 pictures/s together
 * against ~4,000 for one session of 1 thread.
 *
 * @example
 * chooseIntraOpThreads({ cores: 8, poolWorkers: 2 }); // 4
 * chooseIntraOpThreads({ cores: 2, poolWorkers: 2 }); // 1
 */
export function chooseIntraOpThreads(budget: ThreadBudget = {}, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env[THREADS_ENV]?.trim();
  if (fromEnv) {
    const n = Number(fromEnv);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${THREADS_ENV} must be a whole number ≥ 1; got "${fromEnv}"`);
    return n;
  }
  if (budget.threads !== undefined) return Math.max(1, Math.floor(budget.threads));
  const cores = budget.cores ?? availableParallelism();
  const workers = budget.poolWorkers ?? (isMainThread ? 1 : cores);
  return Math.max(1, Math.floor(cores / Math.max(1, workers)));
}
