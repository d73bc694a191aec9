/** The server `scripts/idle-rss.ts` measures: server.ts's apps (or some of them), with the workers VITRINE_RSS_MOUNTS gives. */
import { enableCompileCache } from 'node:module';
import type { AppMount } from 'vitrine';
import { apps } from '../../server.ts';

enableCompileCache();
const { serve } = await import('vitrine');
// [{ "prefix": "/", "workers": 1 }, …]: the mounts to keep, each with an optional workers override.
const wanted = JSON.parse(process.env.VITRINE_RSS_MOUNTS ?? 'null') as Array<{ prefix: string; workers?: number }> | null;
const mounts: AppMount[] = wanted === null ? apps : wanted.map((w) => ({ ...apps.find((a) => a.prefix === w.prefix)!, ...(w.workers === undefined ? {} : { workers: w.workers }) }));
await serve({ apps: mounts, logger: false });
