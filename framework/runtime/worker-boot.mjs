// Worker entry in plain JavaScript. The pool normally hands over a bundle of the app module and
// the worker runtime in plain JavaScript (worker-bundle.ts), which is imported as is. When that
// bundle could not be built, this thread registers the TypeScript loader and imports the sources.
import { workerData } from 'node:worker_threads';

if (workerData.bundle) {
  // The bundle carries an inline source map: stacks name the app's own files and lines.
  process.setSourceMapsEnabled(true);
  await import(workerData.bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runWorker } = await import(new URL('./worker.ts', import.meta.url).href);
  await runWorker(await import(workerData.modulePath), workerData.exportName);
}
