/** Live reload for `vitrine serve --reload`: every HTML page this server renders loads the supervisor's script (cli/reload-page.ts). */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** The script and the event stream it listens to, served by the supervisor at the server root whatever the mount. */
export const LIVE_RELOAD_SCRIPT = '/__vitrine/live-reload.js';
export const LIVE_RELOAD_EVENTS = '/__vitrine/live-reload';

/** The supervisor names each server it starts; a server started otherwise names itself. */
const SERVER_ID_ENV = 'VITRINE_RELOAD_ID';

/**
 * Adds the script to every HTML page (not encapsulated: the pages are the interfaces' routes),
 * its URL naming this server, so a page knows which server it came from.
 *
 * @example
 * await app.register(liveReloadPlugin);
 */
export const liveReloadPlugin: FastifyPluginAsync = fp(async function liveReload(app: FastifyInstance) {
  const serverId = process.env[SERVER_ID_ENV] ?? randomUUID();
  const tag = `<script type="module" src="${LIVE_RELOAD_SCRIPT}?server=${encodeURIComponent(serverId)}"></script>`;
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof payload !== 'string' || typeof type !== 'string' || !type.startsWith('text/html')) return payload;
    return payload.includes('</head>') ? payload.replace('</head>', `${tag}\n</head>`) : payload;
  });
}, { name: 'vitrine-live-reload', fastify: '5.x' });
