/** An `--import` hook for the server `vitrine serve --reload` runs: reports every file any of its threads loads to the supervisor, which watches exactly those. */

// Workers inherit the flag, so imports inside `load()` count too. Its work at import time is the
// point of it: it is an entry point, never imported by the library.
import { registerHooks } from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroadcastChannel, isMainThread } from 'node:worker_threads';
import { LOADED_FILES_CHANNEL } from '../runtime/loaded-files.ts';

/** What the supervisor receives over the IPC channel. */
export interface ModulesMessage {
  type: 'modules';
  files: string[];
}

/**
 * Worker threads tell the main thread, which alone has the IPC channel to the supervisor; the
 * server announces on it too the files it reads that no import loads (loaded-files.ts).
 */
const channel = new BroadcastChannel(LOADED_FILES_CHANNEL);
channel.unref();
const reported = new Set<string>();
let pending: string[] = [];

function report(file: string): void {
  if (!isMainThread) return channel.postMessage(file);
  if (reported.has(file)) return;
  reported.add(file);
  // A few hundred files load at start: one message per turn of the event loop, not one per file.
  if (pending.push(file) === 1) setImmediate(flush).unref();
}

function flush(): void {
  const files = pending;
  pending = [];
  process.send?.({ type: 'modules', files } satisfies ModulesMessage);
}

if (isMainThread) {
  channel.onmessage = (event) => report(String((event as { data: unknown }).data));
  // The channel to the supervisor must not keep the server alive once serve() has closed it.
  process.channel?.unref();
  // A server that dies while importing (a syntax error) still tells which files it got to.
  process.once('exit', flush);
}

registerHooks({
  load(url, context, nextLoad) {
    if (url.startsWith('file:')) {
      const file = fileURLToPath(url);
      if (!file.includes(`${sep}node_modules${sep}`)) report(file);
    }
    return nextLoad(url, context);
  },
});
