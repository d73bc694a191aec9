/** `npm start`: the Fashion-MNIST classifier at /, and the image-effects, audio-notes, basket and streaming chat demos beside it. */
import { enableCompileCache } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppMount } from 'vitrine';

/** The apps `npm start` serves. */
export const apps: AppMount[] = [
  { prefix: '/', module: './apps/fashion-mnist/app.ts' },
  { prefix: '/image-effects', module: './apps/image-effects/app.ts' },
  { prefix: '/audio-notes', module: './apps/audio-notes/app.ts' },
  { prefix: '/basket', module: './apps/basket/app.ts' },
  { prefix: '/chat', module: './apps/chat/app.ts' },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  // Node's compile cache keeps the stripped and compiled modules between starts
  // (docs/decisions/019-node-type-stripping.md): enabled before the framework is imported.
  enableCompileCache();
  const { serve } = await import('vitrine');
  const app = await serve({ apps });
  // One line per app for people; the log lines are JSON for machines (formatted on a terminal).
  const { address, port } = app.server.address() as AddressInfo;
  for (const a of apps) console.log(`vitrine: ${String(a.module).replace(/^\.\//, '')} at http://${address}:${port}${a.prefix === '/' ? '/' : `${a.prefix}/`}`);
  // npm runs this through `sh -c`: a SIGTERM to npm ends the shell, not this process (measured
  // with npm 11.19), so under npm the server stops, as on SIGTERM, once npm is gone. Started by
  // hand (`nohup node server.ts &`) it outlives its shell.
  if (process.env.npm_lifecycle_event !== undefined) {
    const parent = process.ppid;
    const watch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(watch);
      process.kill(process.pid, 'SIGTERM');
    }, 500);
    watch.unref();
  }
}
