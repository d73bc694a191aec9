/** `npm start`: the Fashion-MNIST classifier at / and the image-effects demo at /image-effects. */
import { serve } from './framework/index.ts';

await serve({
  apps: [
    { prefix: '/', module: './apps/fashion-mnist/app.ts' },
    { prefix: '/image-effects', module: './apps/image-effects/app.ts' },
  ],
});
