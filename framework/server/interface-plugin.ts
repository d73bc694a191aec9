/** The Fastify plugin that mounts one interface: options first, then its executor and queue, its parsers, then its routes. */
import { existsSync } from 'node:fs';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import multipart from '@fastify/multipart';
import { VitrineError } from '../errors.ts';
import { DEFAULT_TIMEOUT_MS, type VitrineInterface } from '../interface.ts';
import { WorkerPool, moduleHref } from '../runtime/pool.ts';
import { Scheduler } from '../runtime/scheduler.ts';
import type { ServerMetrics } from '../runtime/metrics.ts';
import { AppReadiness, type AppState } from './app-state.ts';
import { chooseExecutor } from './executor-choice.ts';
import type { HealthBoard } from './health.ts';
import { buildConfig, exampleFiles } from './interface-config.ts';
import { registerInterfaceRoutes } from './interface-routes.ts';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_QUEUE_LENGTH, MAX_PART_HEADER_PAIRS } from './limits.ts';
import { buildOpenApi } from './openapi.ts';
import { firstExampleRequest } from './openapi-example.ts';
import { createPipeline } from './pipeline.ts';
import { registerPredictRoute } from './predict-route.ts';
import { gradioPlugin, type GradioOptions } from './gradio/plugin.ts';
import { multipartLimits, workItemReader } from './wire-reader.ts';

export type { AppState };

export interface MountOptions {
  /** The interface to mount; its module is imported when only `module` is given. */
  interface: VitrineInterface;
  /** Path or `file:` URL of the module exporting the interface; required for worker threads. */
  module?: string | URL | undefined;
  /** Which export of `module` holds the interface (default `default`). */
  exportName?: string | undefined;
  /** Overrides the interface's own `workers` option. */
  workers?: number | undefined;
  metrics: ServerMetrics;
  /** Where the element bundle and page.css are served. */
  assetsPrefix: string;
  /** Whether `api/flag` exists; the page hides its Flag button when it does not. */
  flagging?: boolean;
  /** The server's `/healthz`, which this interface reports to. */
  health?: HealthBoard | undefined;
  /** The bearer token the API routes require (security.ts), for the Gradio routes that check it themselves. */
  token?: string | undefined;
  /** Gradio's protocol under `{prefix}/gradio_api` and `{prefix}/config`; `false` leaves it out. */
  gradio?: GradioOptions | false | undefined;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
  /** A 500 carries the app's message and stack frames (dev-errors.ts). */
  development?: boolean | undefined;
  /** The interface is also an MCP server at `{prefix}/gradio_api/mcp/` (mcp/plugin.ts). */
  mcp?: boolean | undefined;
}

/**
 * Mounts one interface under the prefix it is registered with (encapsulated: its multipart
 * parser and limits stay its own).
 *
 * @example
 * await app.register(interfacePlugin, { prefix: '/image-effects', interface: effects, metrics, assetsPrefix: '/assets' });
 */
export const interfacePlugin: FastifyPluginAsync<MountOptions> = async function interfacePlugin(app, opts) {
  const iface = opts.interface;
  const base = app.prefix === '' ? '/' : `${app.prefix}/`;
  const appLabel = base;
  const log = opts.log ?? (() => {});
  const flagging = opts.flagging ?? false;
  const maxQueue = iface.options.queue?.maxLength ?? DEFAULT_QUEUE_LENGTH;

  // Where the function runs, its queue, and whether it can answer yet.
  const executor = chooseExecutor(
    iface,
    { modulePath: opts.module === undefined ? undefined : moduleHref(opts.module), exportName: opts.exportName ?? 'default', workers: opts.workers, log },
    appLabel,
  );
  const scheduler = new Scheduler(executor, {
    maxQueue,
    batch: iface.options.batch,
    onBatch: (n) => opts.metrics.batchSize.observe({ app: appLabel }, n),
    onWait: (ms) => opts.metrics.queueWait.observe({ app: appLabel }, ms / 1000),
    onDrop: () => opts.metrics.rejections.inc({ app: appLabel, reason: 'client_closed' }),
  });
  trackMetrics(opts.metrics, appLabel, scheduler, executor);
  const readiness = new AppReadiness(executor.start(), {
    maxWaiting: maxQueue,
    onUnavailable: (reason) => log('error', `app ${appLabel} is unavailable: ${reason}`, { app: appLabel }),
  });
  const health = () => ({ ...readiness.state, queued: scheduler.queued, inFlight: scheduler.inFlight });
  opts.health?.add(base, health);
  app.addHook('onClose', async () => {
    // Not after the load: a load() that never ends (a stuck download) would hold shutdown
    // forever. Nothing can be running before the load, and workers are terminated either way.
    await scheduler.drained();
    await executor.close();
  });

  // What the routes serve, built once.
  const examples = exampleFiles(iface);
  for (const ex of examples) {
    if (!existsSync(ex.path)) log('warn', `example file not found: ${ex.path}`, { app: appLabel });
  }
  const config = buildConfig(iface, examples, { flagging });
  const openapi = buildOpenApi(iface, { serverUrl: base === '/' ? '/' : base.replace(/\/$/, ''), flagging, exampleRequest: firstExampleRequest(iface, examples) });

  // Parsers: JSON (Fastify's own) and multipart, held to the body limit part by part.
  const limits = multipartLimits(iface, app.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES);
  await app.register(multipart, {
    limits: {
      fileSize: limits.maxFileBytes,
      // Any input may arrive as a file part: a file for a text input is then a 400 naming it, not a 413.
      files: iface.inputs.length,
      fields: iface.inputs.length,
      parts: iface.inputs.length + 1,
      fieldSize: limits.maxFieldBytes,
      headerPairs: MAX_PART_HEADER_PAIRS,
    },
  });
  // Fastify parses text/plain by default; predict takes only JSON and multipart, and anything
  // else (or no Content-Type at all) is a 415 that names what was sent.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', function refuseMediaType(req, _payload, done) {
    done(new VitrineError('UNSUPPORTED_MEDIA_TYPE', { type: mediaTypeName(req.headers['content-type']), expected: 'application/json or multipart/form-data' }), undefined);
  });

  // Routes.
  registerInterfaceRoutes(app, { base, assetsPrefix: opts.assetsPrefix, config, openapi, examples, health });
  const read = workItemReader(iface, limits);
  // One pipeline for every entry (predict, Gradio's protocol): one reader, one queue, one count.
  const pipeline = createPipeline({
    iface,
    appLabel,
    read,
    readiness,
    scheduler,
    metrics: opts.metrics,
    // A request that arrives while the model loads waits as long as a call may run.
    loadWaitMs: iface.options.timeoutMs || DEFAULT_TIMEOUT_MS,
    development: opts.development ?? false,
  });
  registerPredictRoute(app, { read, pipeline });
  if (opts.gradio !== false) {
    await app.register(gradioPlugin, { pipeline, examples, token: opts.token, bodyLimit: app.initialConfig.bodyLimit ?? DEFAULT_BODY_LIMIT_BYTES, ...opts.gradio });
  }
  if (opts.mcp) {
    // Imported only when asked for (off by default): the MCP SDK and its validators cost the main
    // thread ~16 MB at rest (decision 023).
    const { mcpPlugin } = await import('./mcp/plugin.ts');
    await app.register(mcpPlugin, { pipeline, examples, allowedUrls: opts.gradio === false ? undefined : opts.gradio?.allowedUrls });
  }
};

/** The gauges `/metrics` reads from this interface's queue and pool. */
function trackMetrics(metrics: ServerMetrics, appLabel: string, scheduler: Scheduler, executor: unknown): void {
  metrics.queueLength.track({ app: appLabel }, () => scheduler.queued);
  metrics.inFlight.track({ app: appLabel }, () => scheduler.inFlight);
  if (executor instanceof WorkerPool) {
    metrics.workersReady.track({ app: appLabel }, () => executor.readyWorkers);
    metrics.workerRestarts.track({ app: appLabel }, () => executor.restarts);
  }
}

/** The media type of a Content-Type header, short and without parameters, for an error message. */
function mediaTypeName(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return '(none)';
  const type = header.split(';')[0]!.trim();
  return type.length > 100 ? `${type.slice(0, 100)}…` : type;
}

export type { FastifyInstance };
