/** Where one interface's function runs: the main thread or a pool of worker threads, and how many calls each takes at once. */
import { DEFAULT_TIMEOUT_MS, type VitrineInterface } from '../interface.ts';
import { InlineExecutor, type Executor } from '../runtime/executor.ts';
import { WorkerPool, defaultWorkerCount, type PoolEvent } from '../runtime/pool.ts';

/** What decides the executor besides the Interface's own options. */
export interface ExecutorChoice {
  /** The app module's `file:` URL; without it the function can only run in the main thread. */
  modulePath: string | undefined;
  /** Which export of the module holds the Interface. */
  exportName: string;
  /** The mount's `workers`, which overrides the Interface's. */
  workers: number | undefined;
  /** Where the executor's messages go (a worker's crash, the app's load log). */
  log: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

/**
 * Worker threads for an interface that sets none: one per core for an app with a `load()` (a
 * model) mounted by module path, else none. A function without a model is cheaper in the main
 * thread than one thread hop away (docs/decisions/014-trivial-apps-on-the-main-thread.md: the
 * README's Shout app spent 15–19 % less CPU per request there), and it has nothing to load.
 *
 * @example
 * defaultWorkers(shout, 'file:///srv/apps/shout/app.ts'); // 0: no load()
 */
export function defaultWorkers(iface: VitrineInterface, modulePath: string | undefined): number {
  return modulePath !== undefined && iface.options.load !== undefined ? defaultWorkerCount() : 0;
}

/**
 * The executor of one mounted interface. Throws when the interface asks for workers but was
 * mounted as an object: a worker imports the app by path.
 *
 * @example
 * const executor = chooseExecutor(iface, { modulePath, exportName: 'default', workers: undefined, log });
 */
export function chooseExecutor(iface: VitrineInterface, choice: ExecutorChoice, appLabel: string): Executor {
  const workers = choice.workers ?? iface.options.workers ?? defaultWorkers(iface, choice.modulePath);
  if (workers > 0 && choice.modulePath === undefined) {
    throw new Error(`"${iface.options.title ?? appLabel}" asks for ${workers} worker threads, so mount it by module path (serve({ apps: [{ module } ] }))`);
  }
  const perWorker = iface.options.queue?.concurrencyPerWorker ?? (iface.options.batch ? 1 : 2);
  const timeoutMs = iface.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (workers === 0) return new InlineExecutor(iface, perWorker, (message) => choice.log('info', message, { app: appLabel }), timeoutMs);
  return new WorkerPool({
    modulePath: choice.modulePath!,
    exportName: choice.exportName,
    size: workers,
    concurrencyPerWorker: perWorker,
    timeoutMs,
    onEvent: (e: PoolEvent) =>
      e.type === 'log'
        ? choice.log('info', e.detail, { app: appLabel, worker: e.worker })
        : choice.log(e.type === 'crash' ? 'error' : 'warn', `worker ${e.worker} ${e.type}`, { detail: e.detail, app: appLabel }),
  });
}
