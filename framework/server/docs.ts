/**
 * `/docs`: Swagger UI (the `swagger-ui-dist` package, served by this server: no CDN) rendering the
 * interface's OpenAPI document, with "Try it out". It runs under the page's CSP: its bundle, its
 * style sheet and a start-up script are files of their own (script-src 'self'), nothing inline.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { escapeHtml } from './pages.ts';

/** The files of swagger-ui-dist this server hands out, under `{assets}/swagger-ui/`. */
const SWAGGER_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
};

/** Starts Swagger UI on the element that names the document (`data-spec`); an external file, so the CSP needs no 'unsafe-inline'. */
const START_SCRIPT = `'use strict';
(function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    domNode: root,
    deepLinking: true,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
})();
`;

/** Where swagger-ui-dist is installed, found the way Node resolves the package. */
function swaggerDir(): string {
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/**
 * Serves Swagger UI's bundle and style sheet and the start-up script, under the shared assets prefix.
 *
 * @example
 * await app.register(docsAssetsPlugin, { prefix: '/assets' });
 */
export const docsAssetsPlugin: FastifyPluginAsync = async function docsAssets(app) {
  const dir = swaggerDir();
  app.get<{ Params: { file: string } }>('/swagger-ui/:file', async (req, reply) => {
    const type = Object.hasOwn(SWAGGER_FILES, req.params.file) ? SWAGGER_FILES[req.params.file] : undefined;
    if (type === undefined) return reply.callNotFound();
    reply.type(type).header('cache-control', 'public, max-age=86400');
    return createReadStream(join(dir, req.params.file));
  });
  app.get('/docs.js', async (_req, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300');
    return START_SCRIPT;
  });
};

/**
 * The `/docs` page of one interface: Swagger UI on its OpenAPI document.
 *
 * @example
 * docsPage({ title: 'Image effects', spec: '/image-effects/openapi.json', base: '/image-effects/', assets: '/assets' });
 */
export function docsPage(opts: { title: string; spec: string; base: string; assets: string }): string {
  const assets = escapeHtml(opts.assets);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)} — API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets}/swagger-ui/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" data-spec="${escapeHtml(opts.spec)}"></main>
<noscript><p>The API reference needs JavaScript; the document itself is <a href="${escapeHtml(opts.spec)}">${escapeHtml(opts.spec)}</a>. Demo page: <a href="${escapeHtml(opts.base)}">${escapeHtml(opts.base)}</a>.</p></noscript>
<script src="${assets}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="${assets}/docs.js"></script>
</body>
</html>
`;
}
