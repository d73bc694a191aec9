/** `npm start`: the Fashion-MNIST classifier at / and the image-effects demo at /image-effects. */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve, type AppMount } from 'vitrine';

/** The apps `npm start` serves (scripts/prepare.ts compiles them ahead of the first start). */
export const apps: AppMount[] = [
  { prefix: '/', module: './apps/fashion-mnist/app.ts' },
  { prefix: '/image-effects', module: './apps/image-effects/app.ts' },
];

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await serve({ apps });
}
