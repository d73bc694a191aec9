/** The files a server reads besides its imports (an app's own element modules, bundled by esbuild), announced to `vitrine serve --reload`'s module graph. */
import { BroadcastChannel } from 'node:worker_threads';

/** The channel `framework/cli/module-graph.ts` listens on; without `--reload` nobody does, and a message costs nothing. */
export const LOADED_FILES_CHANNEL = 'vitrine:module-graph';

/**
 * Tells the reload supervisor (if any) that the server depends on these files, so saving one
 * restarts it like saving an imported module does.
 *
 * @example
 * announceLoadedFiles(['/home/me/app/rating-element.ts']);
 */
export function announceLoadedFiles(files: readonly string[]): void {
  if (files.length === 0) return;
  const channel = new BroadcastChannel(LOADED_FILES_CHANNEL);
  for (const file of files) channel.postMessage(file);
  channel.close();
}
