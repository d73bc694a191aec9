/** One interface's read-only routes: its page, `api/config`, OpenAPI and its page, its own `healthz` and its example files. */
import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { VitrineError } from '../errors.ts';
import type { ExampleFile, InterfaceConfig } from './interface-config.ts';
import { answerHealth, type HealthProbe } from './health.ts';
import { MAX_ECHOED_PATH } from './limits.ts';
import { docsPage } from './docs.ts';
import { demoPage } from './pages.ts';
import { mediaTypeOfName } from '../files/media-types.ts';

/** What the read-only routes serve, all built once when the interface is mounted. */
export interface InterfaceRoutes {
  /** `/` or `/name/`: where the interface is mounted. */
  base: string;
  /** Where the element bundle and page.css are served. */
  assetsPrefix: string;
  config: InterfaceConfig;
  openapi: Record<string, unknown>;
  examples: readonly ExampleFile[];
  health: HealthProbe;
}

/**
 * Registers `GET /` (the page), `api/config`, `openapi.json`, `docs`, `healthz` (except at `/`,
 * where the server's own answers for every app) and `examples/:index/:file`.
 *
 * @example
 * registerInterfaceRoutes(app, { base: '/shout/', assetsPrefix: '/assets', config, openapi, examples, health });
 */
export function registerInterfaceRoutes(app: FastifyInstance, r: InterfaceRoutes): void {
  // Only `{prefix}/`: the bare `{prefix}` redirects there (app.ts) so relative URLs resolve under it.
  app.route({
    method: 'GET',
    url: '/',
    prefixTrailingSlash: 'slash',
    handler: async (_req, reply) => {
      reply.type('text/html; charset=utf-8');
      return demoPage({ title: r.config.title, description: r.config.description || undefined, base: r.base, assets: r.assetsPrefix });
    },
  });
  app.get('/api/config', async () => r.config);
  app.get('/openapi.json', async () => r.openapi);
  app.get('/docs', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return docsPage({ title: r.config.title, spec: `${r.base}openapi.json`, base: r.base, assets: r.assetsPrefix });
  });
  if (r.base !== '/') app.get('/healthz', async (_req, reply) => answerHealth(reply, r.health()));

  // Examples are served by index from a fixed table: no path from the URL ever reaches the disk.
  app.get<{ Params: { index: string; file: string } }>('/examples/:index/:file', async (req, reply) => {
    const ex = r.examples.find((e) => String(e.index) === req.params.index && e.file === req.params.file);
    // Only the path is echoed, as for every other 404: never the query string.
    const url = req.url.split('?')[0]!.slice(0, MAX_ECHOED_PATH);
    if (!ex) throw new VitrineError('NOT_FOUND', { method: 'GET', url });
    const bytes = await readFile(ex.path).catch(() => {
      throw new VitrineError('NOT_FOUND', { method: 'GET', url });
    });
    reply.type(mediaTypeOfName(ex.file)).header('cache-control', 'public, max-age=3600');
    return bytes;
  });
}

