/** Serves scripts/bench-no-model/app.ts at / the way server.ts serves the real app (see that file). */
import { serve } from 'vitrine';

await serve({ apps: [{ prefix: '/', module: new URL('./app.ts', import.meta.url) }] });
