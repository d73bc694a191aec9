/** The README's Shout app at /shout, for `node scripts/bench-shout.ts`; `SHOUT_WORKERS` (0, 1 …) overrides where it runs. */
import { serve } from 'vitrine';

const workers = process.env.SHOUT_WORKERS === undefined || process.env.SHOUT_WORKERS === '' ? undefined : Number(process.env.SHOUT_WORKERS);
await serve({
  apps: [{ prefix: '/shout', module: new URL('../../tests/fixtures/shout-app.ts', import.meta.url), ...(workers === undefined ? {} : { workers }) }],
  flagging: false,
  logger: { level: 'warn' },
});
