/** Entry point of a pool's worker thread: imports the app module by path, then serves its batches. */
import { workerData } from 'node:worker_threads';
import { runWorker } from './worker.ts';

const { modulePath, exportName } = workerData as { modulePath: string; exportName: string };
await runWorker((await import(modulePath)) as Record<string, unknown>, exportName);
