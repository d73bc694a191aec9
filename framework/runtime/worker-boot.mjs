// Worker entry in plain JavaScript: Node cannot start a worker from a .ts file, so this registers
// the TypeScript loader in the worker's own thread first, then loads the real worker module.
import { workerData } from 'node:worker_threads';

if (workerData.typescript) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(new URL('./worker.ts', import.meta.url).href);
