/** buildApp() assembles a Fastify server of one or more interfaces; serve() also listens and shuts down gracefully. */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Server as NetServer } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyStatic from '@fastify/static';
import { VitrineError, isVitrineError } from '../errors.ts';
import type { VitrineInterface } from '../interface.ts';
import { ServerMetrics } from '../runtime/metrics.ts';
import { discardPrestarted } from '../runtime/prestart.ts';
import { fromFastifyError } from './fastify-errors.ts';
import { terminalLogStream } from './log-format.ts';
import { interfacePlugin } from './interface-plugin.ts';
import type { GradioOptions } from './gradio/plugin.ts';
import { PAGE_CSS } from './pages.ts';
import { docsAssetsPlugin } from './docs.ts';
import { answerClientError, resolveSecurity, securityPlugin, type SecurityOptions } from './security.ts';
import { FLAG_DEFAULTS, flagFolderFor, flaggingPlugin, type FlaggingOptions } from './flagging.ts';
import { HealthBoard } from './health.ts';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_REQUEST_TIMEOUT_MS, MAX_ECHOED_PATH, MAX_HEADER_BYTES, MAX_PARAM_LENGTH } from './limits.ts';
import { UI_OUT_DIR, buildUi, isUiStale } from './ui-build.ts';
import { CUSTOM_ELEMENTS_DIR, bundleCustomElements } from './custom-elements.ts';
import { lingerAfterAnswer } from './linger.ts';
import { liveReloadPlugin } from './live-reload.ts';
import { importInterface } from './import-interface.ts';
import { isDevelopment } from './dev-errors.ts';

/** One app to mount: an Interface object (main thread) or the module exporting it (worker threads). */
export interface AppMount {
  /** Where to mount it: '/' or '/name' (default '/'). */
  prefix?: string;
  interface?: VitrineInterface;
  /** Path or `file:` URL of a module whose default export (or `exportName`) is the Interface. */
  module?: string | URL;
  exportName?: string;
  /** Overrides the interface's `workers`. */
  workers?: number;
}

export interface BuildOptions {
  apps: AppMount[];
  /** Pino logging as Fastify ships it; `false` for tests. */
  logger?: FastifyServerOptions['logger'];
  /** Largest request body in bytes (default {@link DEFAULT_BODY_LIMIT_BYTES}, 15 MiB: a 10 MiB image as base64 plus slack). */
  bodyLimit?: number;
  /** Where the built element bundle lives (default: the package's `dist/ui`; in a checkout `serve()` rebuilds it when stale). */
  uiDir?: string;
  /** A body that has not fully arrived after this many ms is cut off with 408 (default 30 s). */
  requestTimeoutMs?: number;
  /** Security headers, CORS allow-list, bearer token, rate limit (see security.ts for the defaults). */
  security?: SecurityOptions;
  /** Where flagged records go and their caps; `false` turns `api/flag` off (see flagging.ts). */
  flagging?: FlaggingOptions | false;
  /**
   * Behind a load balancer: which proxies' `X-Forwarded-For` to believe (Fastify's `trustProxy`),
   * so client addresses — and the rate limit — are the clients', not the balancer's. Default off.
   */
  trustProxy?: FastifyServerOptions['trustProxy'];
  /** Gradio's protocol under each app (uploads folder, file lifetime, URL allow-list: gradio/plugin.ts); `false` turns it off. */
  gradio?: GradioOptions | false;
  /** Open pages reload themselves once another server replaces this one (`vitrine serve --reload`). Default off. */
  liveReload?: boolean;
  /** A 500 from an app carries its message and stack frames (`detail`). Default: NODE_ENV=development. */
  development?: boolean;
  /** Each app is also an MCP server at `{prefix}/gradio_api/mcp/`, one tool per app (server/mcp/). Default off. */
  mcp?: boolean;
}

export const ASSETS_PREFIX = '/assets';

// The plain TCP close: stop listening, leave open connections alone (http's close also drops idle ones).
const netServerClose = NetServer.prototype.close;

/**
 * Builds (does not start) the server. Each interface is mounted under its prefix; `/metrics` and
 * `/assets/*` are shared.
 *
 * @example
 * const app = await buildApp({ apps: [{ interface: myApp, workers: 0 }], logger: false });
 * const res = await app.inject({ method: 'GET', url: '/api/config' });
 */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const security = resolveSecurity(opts.security);
  const requestTimeout = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES,
    requestTimeout,
    trustProxy: opts.trustProxy ?? false,
    // Node checks for timed-out requests only every `connectionsCheckingInterval` (30 s by default),
    // which would stretch a 30 s timeout to a minute, so check four times per timeout; and it
    // enforces the body deadline only when headersTimeout ≤ requestTimeout (measured on Node 20).
    http: {
      requestTimeout,
      headersTimeout: requestTimeout > 0 ? Math.min(60_000, requestTimeout) : 60_000,
      connectionsCheckingInterval: requestTimeout > 0 ? Math.max(100, Math.min(30_000, Math.floor(requestTimeout / 4))) : 30_000,
    },
    clientErrorHandler: answerClientError(MAX_HEADER_BYTES),
    connectionTimeout: 0,
    return503OnClosing: false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
  });
  const metrics = new ServerMetrics();
  let closing = false;

  // Callback hooks, not async ones: each async hook costs every request a promise and a turn of
  // the microtask queue (docs/decisions: perf-framework-overhead).
  app.addHook('onRequest', function requestIdAndDraining(req, reply, done) {
    reply.header('x-request-id', req.id);
    if (!closing) return done();
    reply.header('connection', 'close');
    done(new VitrineError('SHUTTING_DOWN'));
  });
  app.addHook('preClose', async () => {
    closing = true;
  });
  // While draining, every answer (in-flight ones included) tells keep-alive clients to hang up.
  // An answer sent before the body was read (a 413, a 415) closes the connection too, but only
  // after the rest of the body is read and dropped (linger.ts): the client then gets to read it.
  app.addHook('onSend', function closeWhileDraining(req, reply, payload, done) {
    if (closing) reply.header('connection', 'close');
    if (!req.raw.complete) {
      reply.header('connection', 'close');
      lingerAfterAnswer(req.raw);
    }
    done(null, payload);
  });
  startDraining.set(app, () => {
    closing = true;
  });

  app.setErrorHandler(function vitrineErrorHandler(err: FastifyError | VitrineError, req, reply) {
    const known = isVitrineError(err)
      ? err
      : fromFastifyError(err as FastifyError, {
          requestId: String(req.id),
          bodyLimit: req.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 0,
          contentType: String(req.headers['content-type'] ?? '(none)').slice(0, 100),
        });
    if (known.status >= 500 && known.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    reply.code(known.status).headers(known.headers);
    const body = known.toBody(known.status >= 500 ? String(req.id) : undefined);
    return reply.send(body);
  });
  app.setNotFoundHandler(function notFound(req, reply) {
    const url = safeUrl(req.url);
    // A known path with the wrong method is a 405 that says which methods it takes (RFC 9110 §15.5.6).
    const allowed = (['GET', 'POST', 'HEAD'] as const).filter((method) => app.hasRoute({ method, url: req.url.split('?')[0] ?? '' }));
    if (allowed.length > 0) {
      const e = new VitrineError('METHOD_NOT_ALLOWED', { method: req.method, url });
      reply.code(405).header('allow', allowed.join(', ')).send(e.toBody());
      return;
    }
    const e = new VitrineError('NOT_FOUND', { method: req.method, url });
    reply.code(404).send(e.toBody());
  });

  await app.register(securityPlugin, security);
  if (opts.liveReload) await app.register(liveReloadPlugin);

  // Readiness at the root whatever the mounts: a load balancer asks one URL for the whole server.
  const health = new HealthBoard();
  health.register(app);
  app.get('/metrics', async (_req, reply) => {
    reply.type('text/plain; version=0.0.4; charset=utf-8');
    return metrics.render();
  });
  app.get(`${ASSETS_PREFIX}/page.css`, async (_req, reply) => {
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300');
    return PAGE_CSS;
  });
  await app.register(docsAssetsPlugin, { prefix: ASSETS_PREFIX });
  const uiDir = opts.uiDir === undefined ? UI_OUT_DIR : resolve(opts.uiDir);
  if (existsSync(uiDir)) {
    await app.register(fastifyStatic, { root: uiDir, prefix: `${ASSETS_PREFIX}/`, decorateReply: false, index: false, dotfiles: 'deny' });
  } else {
    app.log.warn(`the page bundle is missing (${uiDir}); run \`npm run build:ui\``);
  }

  const flagDir = opts.flagging === false ? undefined : resolve(opts.flagging?.dir ?? process.env.VITRINE_FLAG_DIR ?? FLAG_DEFAULTS.dir);
  // Every module is imported before any app starts: one that fails to import (a syntax error, no
  // Interface) then leaves no other app's worker threads running.
  const interfaces: VitrineInterface[] = [];
  for (const mount of opts.apps) interfaces.push(mount.interface ?? (await importInterface(mount)));
  const customElements = await bundleCustomElements(interfaces.flatMap((i) => [...i.inputs, ...i.outputs].map((c) => c.component)));
  if (customElements !== undefined) {
    app.addHook('onClose', () => customElements.dispose());
    await app.register(fastifyStatic, { root: join(customElements.dir, CUSTOM_ELEMENTS_DIR), prefix: `${ASSETS_PREFIX}/${CUSTOM_ELEMENTS_DIR}/`, decorateReply: false, index: false, dotfiles: 'deny' });
  }
  for (const [i, mount] of opts.apps.entries()) {
    const prefix = normalisePrefix(mount.prefix ?? '/');
    const iface = interfaces[i]!;
    if (prefix !== '/') {
      // `/name` → `/name/` so the page's relative URLs resolve under the interface.
      app.get(prefix, async (_req, reply) => reply.redirect(`${prefix}/`, 308));
    }
    await app.register(interfacePlugin, {
      prefix: prefix === '/' ? '' : prefix,
      interface: iface,
      module: mount.module,
      exportName: mount.exportName,
      workers: mount.workers,
      metrics,
      assetsPrefix: ASSETS_PREFIX,
      flagging: flagDir !== undefined,
      health,
      token: security.token,
      gradio: opts.gradio,
      log: (level, msg, extra) => app.log[level](extra ?? {}, msg),
      development: isDevelopment(opts.development),
      mcp: opts.mcp ?? false,
    });
    if (flagDir !== undefined && opts.flagging !== false) {
      await app.register(flaggingPlugin, {
        prefix: prefix === '/' ? '' : prefix,
        interface: iface,
        dir: resolve(flagDir, flagFolderFor(prefix)),
        maxRecords: opts.flagging?.maxRecords,
        maxBytes: opts.flagging?.maxBytes,
        maxReasonLength: opts.flagging?.maxReasonLength,
        token: security.token,
      });
    }
  }
  return app;
}

function normalisePrefix(p: string): string {
  const trimmed = `/${p.replace(/^\/+|\/+$/g, '')}`;
  if (!/^\/[A-Za-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) throw new Error(`invalid mount prefix "${p}"`);
  return trimmed;
}

/** Only the path, cut short, is echoed back: never a query string or a huge URL. */
function safeUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length > MAX_ECHOED_PATH ? `${path.slice(0, MAX_ECHOED_PATH)}…` : path;
}

/** Flips a built app into draining (503 + `Connection: close` for new requests) before it is closed. */
const startDraining = new WeakMap<FastifyInstance, () => void>();

export interface ServeOptions extends BuildOptions {
  port?: number;
  host?: string;
  /** Longest wait for in-flight requests after SIGTERM before exiting anyway (default 10 s). */
  shutdownTimeoutMs?: number;
  /**
   * After SIGTERM, how long keep-alive clients get to receive a `Connection: close` answer and hang
   * up themselves before the remaining idle connections are closed (default 1 s).
   */
  drainGraceMs?: number;
}

/**
 * Builds the server, listens (PORT/HOST override the defaults 7860/127.0.0.1) and, on SIGTERM or
 * SIGINT, stops accepting, drains in-flight requests, then closes.
 *
 * @example
 * await serve({ apps: [{ module: './apps/fashion-mnist/app.ts' }] });
 */
export async function serve(opts: ServeOptions): Promise<FastifyInstance> {
  const rebuiltUi = opts.uiDir === undefined ? await refreshUiBundle() : undefined;
  const stream = terminalLogStream();
  const app = await buildApp({ logger: { level: process.env.LOG_LEVEL ?? 'info', ...(stream ? { stream } : {}) }, ...opts }).finally(discardPrestarted);
  if (rebuiltUi) app.log.info(rebuiltUi);
  const port = opts.port ?? Number(process.env.PORT ?? 7860);
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  // A port already taken fails here, after the apps' pools have started: stop them, or their
  // worker threads would keep the process alive.
  // Behind `vitrine serve --reload` this is a private port: the log must not send people there.
  const listenTextResolver = opts.liveReload ? (address: string) => `Server ready at ${address}, behind vitrine serve --reload` : undefined;
  await app.listen({ port, host, ...(listenTextResolver ? { listenTextResolver } : {}) }).catch(async (err: unknown) => {
    await app.close();
    throw err;
  });
  const shutdown = (signal: string) => {
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      app.log.error('drain timed out; closing anyway');
      process.exitCode = 1;
      app.server.closeAllConnections();
      // A function that never returns keeps its worker thread, and so the process, alive for
      // ever: serve() owns the process, so the deadline must end it (measured: without this, a
      // hung call kept the server running after SIGTERM until the call ended).
      setTimeout(() => process.exit(1), 1000).unref();
    }, opts.shutdownTimeoutMs ?? 10_000);
    timer.unref();
    void drainThenClose(app, opts.drainGraceMs ?? 1000).then(() => {
      clearTimeout(timer);
      app.log.info('closed');
    });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return app;
}

/** Rebuilds the page bundle when a file in ui-components/ is newer than it (a few ms otherwise). */
async function refreshUiBundle(): Promise<string | undefined> {
  if (!(await isUiStale())) return undefined;
  try {
    const { gzipBytes } = await buildUi();
    return `page bundle rebuilt from ui-components/ (${(gzipBytes / 1024).toFixed(1)} KB gzipped)`;
  } catch (err) {
    return `page bundle could not be rebuilt: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * Stops accepting connections without dropping open ones, lets keep-alive clients hang up after a
 * `Connection: close` answer, then closes (which waits for in-flight requests). Node's own
 * `server.close()` destroys idle keep-alive sockets at once, and a client that is just sending its
 * next request on one sees ECONNRESET: measured, about one lost request per client at every SIGTERM.
 */
async function drainThenClose(app: FastifyInstance, graceMs: number): Promise<void> {
  startDraining.get(app)?.();
  netServerClose.call(app.server);
  const until = Date.now() + graceMs;
  while (Date.now() < until && (await openConnections(app.server)) > 0) await new Promise((r) => setTimeout(r, 20));
  await app.close();
}

function openConnections(server: FastifyInstance['server']): Promise<number> {
  return new Promise((resolveCount) => server.getConnections((err, n) => resolveCount(err ? 0 : n)));
}

