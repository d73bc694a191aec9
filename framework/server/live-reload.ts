/** Live reload for `vitrine serve --reload`: a page reloads itself once a new server has replaced the one it came from. */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** The event stream a page listens to, and the script that listens (both at the server root, whatever the mount). */
export const LIVE_RELOAD_EVENTS = '/__vitrine/live-reload';
export const LIVE_RELOAD_SCRIPT = '/__vitrine/live-reload.js';

/**
 * How soon a page tries again after losing the server: a restart takes about as long as a cold
 * start (well under a second with a light app); EventSource's own default is 3 s.
 */
const RETRY_MS = 250;

/**
 * The page's side: the server's id is written into the script it loaded with, so a page that
 * came from the old server reloads as soon as the stream (reconnecting on its own while the
 * server restarts) names another one.
 */
function reloadScript(serverId: string): string {
  return `// vitrine serve --reload: reload once another server answers at this address.
const loadedFrom = ${JSON.stringify(serverId)};
const events = new EventSource(${JSON.stringify(LIVE_RELOAD_EVENTS)});
events.addEventListener('server', (e) => {
  if (e.data !== loadedFrom) location.reload();
});
`;
}

/**
 * Serves the event stream and the script, and adds the script to every HTML page this server
 * renders (not encapsulated: the pages are the interfaces' routes). Streams end when the server
 * closes, so a restart is not held up by open pages.
 *
 * @example
 * await app.register(liveReloadPlugin);
 */
export const liveReloadPlugin: FastifyPluginAsync = fp(async function liveReload(app: FastifyInstance) {
  const serverId = randomUUID();
  const open = new Set<ServerResponse>();
  const tag = `<script type="module" src="${LIVE_RELOAD_SCRIPT}"></script>`;

  app.get(LIVE_RELOAD_SCRIPT, async (_req, reply) => {
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store');
    return reloadScript(serverId);
  });
  app.get(LIVE_RELOAD_EVENTS, (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-request-id': String(req.id) });
    res.write(`retry: ${RETRY_MS}\nevent: server\ndata: ${serverId}\n\n`);
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof payload !== 'string' || typeof type !== 'string' || !type.startsWith('text/html')) return payload;
    return payload.includes('</head>') ? payload.replace('</head>', `${tag}\n</head>`) : payload;
  });
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
  });
}, { name: 'vitrine-live-reload', fastify: '5.x' });
