/** The worker thread's side of the pool: imports the app module, loads it once, runs batches on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { executeBatch, ensureLoaded, type Outcome, type WorkItem } from './execute.ts';
import { isInterface } from '../interface.ts';

/** Messages from the pool to a worker: run a batch, or stop a streaming call (its iterator's `return()`). */
export type ToWorker = { type: 'run'; id: number; items: WorkItem[] } | { type: 'cancel'; id: number };
/** Messages from a worker to the pool. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'log'; message: string }
  | { type: 'load-failed'; message: string }
  | { type: 'progress'; id: number; fraction: number; description: string | undefined }
  | { type: 'partial'; id: number; outputs: Record<string, unknown> }
  | { type: 'result'; id: number; outcomes: Outcome[]; ms?: number };

/**
 * Runs this worker thread for the Interface exported as `exportName` by `mod`: loads it once,
 * says `ready` (or `load-failed`), then runs the batches it is sent.
 *
 * @example
 * await runWorker(await import('./app.ts'), 'default');
 */
export async function runWorker(mod: Record<string, unknown>, exportName: string): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('worker.ts must run inside a worker thread');
  const iface = mod[exportName];
  if (!isInterface(iface)) {
    port.postMessage({ type: 'load-failed', message: `${String(workerData.modulePath)} does not export an Interface as "${exportName}"` } satisfies FromWorker);
    return;
  }
  try {
    await ensureLoaded(iface, (message) => port.postMessage({ type: 'log', message } satisfies FromWorker));
    port.postMessage({ type: 'ready' } satisfies FromWorker);
    // After `ready`, so that what components load lazily (sharp: ~100 ms) is off the start-up path
    // but still loaded before the first request that needs it.
    for (const { component } of [...iface.inputs, ...iface.outputs]) void component.warm().catch(() => {});
  } catch (err) {
    port.postMessage({ type: 'load-failed', message: err instanceof Error ? err.message : String(err) } satisfies FromWorker);
  }
  const running = new Map<number, AbortController>();
  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const started = performance.now();
    const progress = (fraction: number, description: string | undefined) =>
      port.postMessage({ type: 'progress', id: msg.id, fraction, description } satisfies FromWorker);
    const aborter = new AbortController();
    running.set(msg.id, aborter);
    const onPartial = (outputs: Record<string, unknown>) => port.postMessage({ type: 'partial', id: msg.id, outputs } satisfies FromWorker);
    executeBatch(iface, msg.items, progress, { onPartial, signal: aborter.signal })
      .finally(() => running.delete(msg.id))
      .then(
        (outcomes) => port.postMessage({ type: 'result', id: msg.id, outcomes, ms: performance.now() - started } satisfies FromWorker),
        // executeBatch turns the app's errors into outcomes; this is a fault of the runtime itself,
        // and every request of the batch still gets an answer.
        (err: unknown) => {
          const appError = err instanceof Error ? (err.stack ?? err.message) : String(err);
          port.postMessage({ type: 'result', id: msg.id, outcomes: msg.items.map(() => ({ ok: false, appError })) } satisfies FromWorker);
        },
      );
  });
}
