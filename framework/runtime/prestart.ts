/** Starting pool workers: their options and flags, and the first worker started ahead of its pool. */
import { getCompileCacheDir } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits, type WorkerOptions } from 'node:worker_threads';

/**
 * The worker's entry module, next to this one and with the same extension: `.ts` in the
 * repository (Node strips the types), `.js` in the published package (compiled by tsc).
 */
const WORKER_ENTRY = new URL(`./worker-entry${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * A worker's V8 young generation, in MB (V8's own default grows to ~48 MB per thread under load).
 * Measured with scripts/bench.ts on the Fashion-MNIST app (docs/decisions/005-young-generation-of-workers.md):
 * 8 MB cut the peak RSS by 55–65 MB at the same throughput and CPU per request; 4 MB saved
 * ~10 MB more but cost ~7% throughput.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** What a worker is started with; `modulePath` and `exportName` tell worker-entry.ts what to import. */
export function workerOptions(modulePath: string, exportName: string, resourceLimits?: ResourceLimits): Omit<WorkerOptions, 'execArgv'> {
  const cacheDir = getCompileCacheDir();
  return {
    workerData: { modulePath, exportName },
    // A worker reads NODE_COMPILE_CACHE when it starts, so it shares the server's compile cache
    // (docs/decisions/019-node-type-stripping.md).
    ...(cacheDir !== undefined && { env: { ...process.env, NODE_COMPILE_CACHE: cacheDir } }),
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, ...resourceLimits },
    // The function's own console output still reaches the terminal.
    stdout: false,
    stderr: false,
  };
}

/** The flags workers start with, settled by the first worker started (see startWorker). */
let flagsForWorkers: string[] | undefined;

/**
 * Starts a pool worker with the parent's Node flags. Node refuses process-wide flags in a
 * worker's execArgv (V8 flags such as `--max-semi-space-size`, which already apply to every
 * thread); those it names are dropped and the start retried.
 *
 * @example
 * const worker = startWorker(workerOptions('file:///srv/app.ts', 'default'));
 */
export function startWorker(options: Omit<WorkerOptions, 'execArgv'>): Worker {
  let flags = (flagsForWorkers ??= [...process.execArgv]);
  for (;;) {
    try {
      const worker = new Worker(WORKER_ENTRY, { ...options, execArgv: flags });
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

/** A worker started ahead of its pool, with what it said (messages, errors, exit) until adopted. */
interface Prestarted {
  worker: Worker;
  /** Stops recording and re-emits what was recorded, for the listeners the pool has attached. */
  replay: () => void;
}

/** Prestarted workers by `${modulePath}#${exportName}`. */
const prestarted = new Map<string, Prestarted>();

/**
 * Starts the first worker of the pool that `modulePath` will get, before the server has loaded
 * Fastify and the app's Interface: its model then loads while the main thread does, and the pool
 * adopts it when it starts (docs/decisions/004-start-the-first-worker-early.md). A worker no pool
 * adopts (an app that runs in the main thread) is stopped by {@link discardPrestarted}.
 *
 * @example
 * prestartWorker(pathToFileURL('apps/fashion-mnist/app.ts').href);
 * const pool = new WorkerPool({ modulePath, size: 2, concurrencyPerWorker: 1 }); // adopts it
 */
export function prestartWorker(modulePath: string, exportName = 'default'): number {
  const key = `${modulePath}#${exportName}`;
  const already = prestarted.get(key);
  if (already) return already.worker.threadId;
  const worker = startWorker(workerOptions(modulePath, exportName));
  const said: Array<[event: 'message' | 'error' | 'exit', value: unknown]> = [];
  const listeners = (['message', 'error', 'exit'] as const).map((event) => {
    const listener = (value: unknown) => said.push([event, value]);
    worker.on(event, listener);
    return [event, listener] as const;
  });
  prestarted.set(key, {
    worker,
    replay: () => {
      for (const [event, listener] of listeners) worker.off(event, listener);
      for (const [event, value] of said) worker.emit(event, value);
    },
  });
  return worker.threadId;
}

/**
 * The prestarted worker for this module, if any; it is the caller's now.
 *
 * @example
 * const adopted = takePrestarted(modulePath, 'default'); // undefined when none was started
 */
export function takePrestarted(modulePath: string, exportName: string): Prestarted | undefined {
  const key = `${modulePath}#${exportName}`;
  const found = prestarted.get(key);
  prestarted.delete(key);
  return found;
}

/**
 * Stops the prestarted workers no pool adopted (an app that runs in the main thread, say).
 *
 * @example
 * await buildApp(opts).finally(discardPrestarted);
 */
export async function discardPrestarted(): Promise<void> {
  const left = [...prestarted.values()];
  prestarted.clear();
  await Promise.all(left.map((p) => p.worker.terminate()));
}
