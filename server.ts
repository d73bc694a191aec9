/** `npm start`: the Fashion-MNIST classifier at /, and the image-effects, audio-notes, basket and streaming chat demos beside it. */
import { enableCompileCache } from 'node:module';
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
  // (docs/decisions/001-node-type-stripping.md): enabled before the framework is imported.
  enableCompileCache();
  const { serve } = await import('vitrine');
  await serve({ apps });
}
