/** The Fastify plugin that mounts one interface: its page, config, predict route, OpenAPI, docs, health and examples. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { ERRORS, VitrineError, formatMessage, fromTransfer, isVitrineError } from '../errors.ts';
import { DEFAULT_TIMEOUT_MS, type VitrineInterface } from '../interface.ts';
import { InlineExecutor, type Executor } from '../runtime/executor.ts';
import { WorkerPool, defaultWorkerCount, moduleHref } from '../runtime/pool.ts';
import { Scheduler } from '../runtime/scheduler.ts';
import type { ServerMetrics } from '../runtime/metrics.ts';
import type { ProgressSink, WorkItem } from '../runtime/execute.ts';
import { buildOpenApi } from './openapi.ts';
import { docsPage } from './docs.ts';
import { demoPage } from './pages.ts';
import type { Pipeline, RunOptions } from './pipeline.ts';
import { gradioPlugin, type GradioOptions } from './gradio/plugin.ts';
import { acceptsEventStream, progressUpgrade } from './predict-stream.ts';

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
  /** The bearer token the API routes require (security.ts), for the Gradio routes that check it themselves. */
  token?: string | undefined;
  /** Gradio's protocol under `{prefix}/gradio_api` and `{prefix}/config`; `false` leaves it out. */
  gradio?: GradioOptions | false | undefined;
  /** Called once the app is ready or has failed to load. */
  onState?: (state: AppState) => void;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export interface AppState {
  status: 'loading' | 'ready' | 'unavailable';
  reason?: string;
}

export interface ExampleFile {
  index: number;
  input: string;
  file: string;
  path: string;
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
  const prefix = app.prefix === '' ? '/' : `${app.prefix}/`;
  const appLabel = prefix;
  const state: AppState = { status: 'loading' };
  const modulePath = opts.module === undefined ? undefined : moduleHref(opts.module);
  const workers = opts.workers ?? iface.options.workers ?? (modulePath ? defaultWorkerCount() : 0);
  if (workers > 0 && !modulePath) {
    throw new Error(`"${iface.options.title ?? prefix}" asks for ${workers} worker threads, so mount it by module path (serve({ apps: [{ module } ] }))`);
  }
  const perWorker = iface.options.queue?.concurrencyPerWorker ?? (iface.options.batch ? 1 : 2);
  const timeoutMs = iface.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const executor: Executor =
    workers > 0
      ? new WorkerPool({
          modulePath: modulePath!,
          exportName: opts.exportName ?? 'default',
          size: workers,
          concurrencyPerWorker: perWorker,
          timeoutMs,
          onEvent: (e) =>
            e.type === 'log'
              ? opts.log?.('info', e.detail, { app: appLabel, worker: e.worker })
              : opts.log?.(e.type === 'crash' ? 'error' : 'warn', `worker ${e.worker} ${e.type}`, { detail: e.detail, app: appLabel }),
        })
      : new InlineExecutor(iface, perWorker, (message) => opts.log?.('info', message, { app: appLabel }), timeoutMs);
  const metrics = opts.metrics;
  const scheduler = new Scheduler(executor, {
    maxQueue: iface.options.queue?.maxLength ?? 256,
    batch: iface.options.batch,
    onBatch: (n) => metrics.batchSize.observe({ app: appLabel }, n),
    onWait: (ms) => metrics.queueWait.observe({ app: appLabel }, ms / 1000),
    onDrop: () => metrics.rejections.inc({ app: appLabel, reason: 'client_closed' }),
  });
  metrics.queueLength.track({ app: appLabel }, () => scheduler.queued);
  metrics.inFlight.track({ app: appLabel }, () => scheduler.inFlight);
  if (executor instanceof WorkerPool) {
    metrics.workersReady.track({ app: appLabel }, () => executor.readyWorkers);
    metrics.workerRestarts.track({ app: appLabel }, () => executor.restarts);
  }

  void executor.start().then(
    () => {
      state.status = 'ready';
      opts.onState?.(state);
    },
    (err: unknown) => {
      state.status = 'unavailable';
      state.reason = loadFailureReason(err);
      opts.log?.('error', `app ${appLabel} is unavailable: ${state.reason}`, { app: appLabel });
      opts.onState?.(state);
    },
  );
  app.addHook('onClose', async () => {
    // Not `await started`: a load() that never ends (a stuck download) would hold shutdown
    // forever. Nothing can be running before the load, and workers are terminated either way.
    await scheduler.drained();
    await executor.close();
  });

  const examples = collectExamples(iface);
  for (const ex of examples) {
    if (!existsSync(ex.path)) opts.log?.('warn', `example file not found: ${ex.path}`, { app: appLabel });
  }
  const config = buildConfig(iface, examples, opts.flagging ?? false);
  const openapi = buildOpenApi(iface, { serverUrl: prefix === '/' ? '/' : prefix.replace(/\/$/, ''), flagging: opts.flagging ?? false });
  const requestSchema = z.object(Object.fromEntries(iface.inputs.map(({ name, component }) => [name, component.schema])));
  const outputSchema = z.object(Object.fromEntries(iface.outputs.map(({ name, component }) => [name, component.schema])));
  const inputNames = new Set(iface.inputs.map((i) => i.name));
  const schemasWithout = new Map<string, z.ZodType>();
  const fileInputs = iface.inputs.filter((i) => i.component.isFile);
  // Multipart bodies are streamed past Fastify's bodyLimit, so each part is held to it here.
  const bodyLimit = app.initialConfig.bodyLimit ?? 15 * 1024 * 1024;
  const maxFileBytes = Math.min(bodyLimit, Math.max(1, ...fileInputs.map((i) => i.component.maxFileBytes ?? 10 * 1024 * 1024)));
  const maxFieldBytes = Math.min(bodyLimit, 16 * 1024 * 1024);

  await app.register(multipart, {
    limits: {
      fileSize: maxFileBytes,
      // Any input may arrive as a file part: a file for a text input is then a 400 naming it, not a 413.
      files: iface.inputs.length,
      fields: iface.inputs.length,
      parts: iface.inputs.length + 1,
      fieldSize: maxFieldBytes,
      headerPairs: 50,
    },
  });
  // Fastify parses text/plain by default; predict takes only JSON and multipart, and anything
  // else (or no Content-Type at all) is a 415 that names what was sent.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('*', function refuseMediaType(req, _payload, done) {
    done(new VitrineError('UNSUPPORTED_MEDIA_TYPE', { type: mediaTypeName(req.headers['content-type']), expected: 'application/json or multipart/form-data' }), undefined);
  });

  // Only `{prefix}/`: the bare `{prefix}` redirects there (app.ts) so relative URLs resolve under it.
  app.route({
    method: 'GET',
    url: '/',
    prefixTrailingSlash: 'slash',
    handler: async (_req, reply) => {
      reply.type('text/html; charset=utf-8');
      return demoPage({ title: iface.options.title ?? 'Vitrine', description: iface.options.description, base: prefix, assets: opts.assetsPrefix });
    },
  });
  app.get('/api/config', async () => config);
  app.get('/openapi.json', async () => openapi);
  app.get('/docs', async (_req, reply) => {
    reply.type('text/html; charset=utf-8');
    return docsPage({ title: iface.options.title ?? 'Vitrine', spec: `${prefix}openapi.json`, base: prefix, assets: opts.assetsPrefix });
  });
  app.get('/healthz', async (_req, reply) => {
    if (state.status !== 'ready') reply.code(503);
    return { status: state.status, ...(state.reason ? { reason: state.reason } : {}), queued: scheduler.queued, inFlight: scheduler.inFlight };
  });
  // Examples are served by index from a fixed table: no path from the URL ever reaches the disk.
  app.get<{ Params: { index: string; file: string } }>('/examples/:index/:file', async (req, reply) => {
    const ex = examples.find((e) => String(e.index) === req.params.index && e.file === req.params.file);
    // Only the path is echoed, as for every other 404: never the query string.
    const url = req.url.split('?')[0]!.slice(0, 200);
    if (!ex) throw new VitrineError('NOT_FOUND', { method: 'GET', url });
    const bytes = await readFile(ex.path).catch(() => {
      throw new VitrineError('NOT_FOUND', { method: 'GET', url });
    });
    reply.type(mediaTypeOf(ex.file)).header('cache-control', 'public, max-age=3600');
    return bytes;
  });

  // Measured (scripts/bench.ts, 28×28 PNG, 8 connections): the two info lines pino writes per
  // request were a third of the main thread's time. Predict logs warnings and errors; its
  // per-request lines come back with LOG_LEVEL=debug.
  const logEachPredict = app.log.level === 'debug' || app.log.level === 'trace';
  app.post('/api/predict', logEachPredict ? {} : { logLevel: 'warn' }, async (req, reply) => {
    const began = performance.now();
    // A client that accepts an event stream (the page) gets one once the function reports progress.
    const upgrade = acceptsEventStream(req) ? progressUpgrade(reply) : undefined;
    try {
      const body = await predict(req, reply, upgrade?.onProgress);
      record(200, began);
      return upgrade?.started ? upgrade.end(body) : body;
    } catch (err) {
      record(err, began);
      if (upgrade?.started) return upgrade.fail(err, String(req.id));
      throw err;
    }
  });

  async function predict(req: FastifyRequest, reply: FastifyReply, onProgress: ProgressSink | undefined): Promise<Record<string, unknown>> {
    // The request is checked first: a bad one is a 400 whatever the model's state, and a
    // retry after a 503 is then known to be well formed.
    const item = req.isMultipart() ? await readMultipart(req) : readJson(req.body);
    const aborter = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'the client closed the connection' }));
    };
    reply.raw.once('close', onClose);
    try {
      return await runItem(item, { signal: aborter.signal, hooks: { onProgress }, log: req.log, requestId: String(req.id) });
    } finally {
      reply.raw.off('close', onClose);
    }
  }

  // ── Shared with Gradio's protocol (pipeline.ts): one reader, one queue, one run, one count. ──
  /** Runs a checked work item through the queue and the function; resolves with the checked outputs. */
  async function runItem(item: WorkItem, run: RunOptions): Promise<Record<string, unknown>> {
    if (state.status === 'loading') {
      throw new VitrineError('MODEL_UNAVAILABLE', { reason: 'the model is still loading; retry in a moment' }, { 'retry-after': '1' });
    }
    if (state.status === 'unavailable') throw new VitrineError('MODEL_UNAVAILABLE', { reason: state.reason ?? 'it failed to load' });
    const outcome = await scheduler.submit(item, run.signal, run.hooks);
    if (!outcome.ok) {
      if ('error' in outcome) throw fromTransfer(outcome.error);
      run.log.error({ err: outcome.appError, app: appLabel }, 'the app failed');
      throw new VitrineError('APP_ERROR', { requestId: run.requestId });
    }
    const checked = outputSchema.safeParse(outcome.outputs);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = String(issue?.path[0] ?? iface.outputs[0]!.name);
      run.log.error({ issue, app: appLabel }, 'the app returned a value that breaks its output schema');
      throw new VitrineError('INVALID_OUTPUT', { field, requestId: run.requestId });
    }
    return checked.data as Record<string, unknown>;
  }

  /** Counts an answered request by status (an error counts as its status) and a success's latency. */
  function record(outcome: number | unknown, began: number): void {
    const code = typeof outcome === 'number' ? outcome : isVitrineError(outcome) ? outcome.status : 500;
    metrics.requests.inc({ app: appLabel, status: String(code) });
    if (code === 200) metrics.latency.observe({ app: appLabel }, (performance.now() - began) / 1000);
    if (isVitrineError(outcome) && outcome.code === 'QUEUE_FULL') metrics.rejections.inc({ app: appLabel, reason: 'queue_full' });
  }

  /** Wire values plus inputs that arrived as file bytes → the work item (multipart, Gradio's FileData). */
  function readWire(wire: Record<string, unknown>, files: Record<string, Uint8Array> = {}): WorkItem {
    const item = toWorkItem(wire, Object.keys(files));
    for (const [name, bytes] of Object.entries(files)) {
      item[name] = iface.inputs.find((i) => i.name === name)!.component.fromFile(bytes, { field: name });
    }
    return item;
  }

  const pipeline: Pipeline = { iface, appLabel, read: readWire, refusal: () => scheduler.refusal(), queued: () => scheduler.queued, run: runItem, record };
  if (opts.gradio !== false) {
    await app.register(gradioPlugin, { pipeline, examples, token: opts.token, bodyLimit, ...opts.gradio });
  }
  // ── end of the shared part ──

  function readJson(body: unknown): WorkItem {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new VitrineError('BAD_REQUEST', {
        reason: `The body must be a JSON object with one key per input: ${[...inputNames].map((n) => `"${n}"`).join(', ')}`,
      });
    }
    const wire: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    for (const key of Object.keys(wire)) {
      if (!inputNames.has(key)) throw new VitrineError('UNKNOWN_FIELD', { field: key, expected: expectedList() });
    }
    return toWorkItem(wire);
  }

  async function readMultipart(req: FastifyRequest): Promise<WorkItem> {
    const wire: Record<string, unknown> = {};
    const files: Record<string, Uint8Array> = {};
    for await (const part of req.parts()) {
      const name = part.fieldname;
      if (!name) throw new VitrineError('BAD_REQUEST', { reason: 'a multipart part has no field name (Content-Disposition: form-data; name="…")' });
      if (!inputNames.has(name)) throw new VitrineError('UNKNOWN_FIELD', { field: name, expected: expectedList() });
      if (name in wire || name in files) throw new VitrineError('INVALID_INPUT', { field: name, reason: 'sent more than once' });
      const component = iface.inputs.find((i) => i.name === name)!.component;
      if (part.type === 'file') {
        if (!component.isFile) {
          part.file.resume();
          throw new VitrineError('INVALID_INPUT', { field: name, reason: `a ${component.kind} input takes a text field, not a file` });
        }
        files[name] = await part.toBuffer().catch((err: unknown) => {
          if ((err as { code?: unknown }).code !== 'FST_REQ_FILE_TOO_LARGE') throw err;
          throw new VitrineError('IMAGE_TOO_LARGE', { field: name, reason: `the file is larger than ${maxFileBytes} bytes` });
        });
      } else {
        // busboy cuts an over-long field short and says so; a cut value must never reach the app.
        if (part.valueTruncated) {
          throw component.isFile
            ? new VitrineError('IMAGE_TOO_LARGE', { field: name, reason: `the field is longer than ${maxFieldBytes} bytes` })
            : new VitrineError('BODY_TOO_LARGE', { field: name, limit: maxFieldBytes });
        }
        wire[name] = component.fromMultipart(String(part.value), { field: name });
      }
    }
    return readWire(wire, files);
  }

  /** Fills defaults, validates against the schemas (naming the first bad field), converts to transport values. */
  function toWorkItem(wire: Record<string, unknown>, satisfiedByFiles: string[] = []): WorkItem {
    for (const { name, component } of iface.inputs) {
      if (satisfiedByFiles.includes(name)) continue;
      if (wire[name] === undefined) {
        if (component.defaultValue === undefined) throw new VitrineError('MISSING_INPUT', { field: name });
        wire[name] = component.defaultValue;
      }
    }
    const shape = satisfiedByFiles.length === 0 ? requestSchema : schemaWithout(satisfiedByFiles);
    const parsed = shape.safeParse(wire);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = String(issue.path[0] ?? iface.inputs[0]!.name);
      const where = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join('.')})` : '';
      throw new VitrineError('INVALID_INPUT', { field, reason: `${issue.message}${where}` });
    }
    const item: WorkItem = {};
    for (const { name, component } of iface.inputs) {
      if (satisfiedByFiles.includes(name)) continue;
      item[name] = component.toTransport((parsed.data as Record<string, unknown>)[name], { field: name });
    }
    return item;
  }

  /**
   * The request schema less the inputs sent as files, built once per set of names: zod compiles
   * each new object schema on first use, which cost 50–90 µs per multipart request when rebuilt (measured).
   */
  function schemaWithout(names: string[]): z.ZodType {
    const key = names.join('\0');
    let schema = schemasWithout.get(key);
    if (!schema) schemasWithout.set(key, (schema = requestSchema.omit(Object.fromEntries(names.map((n) => [n, true])) as never)));
    return schema;
  }

  function expectedList(): string {
    return [...inputNames].map((n) => `"${n}"`).join(', ');
  }
};

/** Why the app could not load, said once: a worker sends only the message, catalogue prefix included. */
function loadFailureReason(err: unknown): string {
  if (isVitrineError(err) && err.code === 'MODEL_UNAVAILABLE' && typeof err.params.reason === 'string') return err.params.reason;
  const message = err instanceof Error ? err.message : String(err);
  const prefix = formatMessage(ERRORS.MODEL_UNAVAILABLE.message, { reason: '' });
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}

/** The media type of a Content-Type header, short and without parameters, for an error message. */
function mediaTypeName(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return '(none)';
  const type = header.split(';')[0]!.trim();
  return type.length > 100 ? `${type.slice(0, 100)}…` : type;
}

/** Example file paths → table entries; non-file values stay in the config as wire values. */
function collectExamples(iface: VitrineInterface): ExampleFile[] {
  const out: ExampleFile[] = [];
  (iface.options.examples ?? []).forEach((ex, index) => {
    const values: Record<string, unknown> = iface.singleInput ? { [iface.inputs[0]!.name]: ex } : ((ex ?? {}) as Record<string, unknown>);
    for (const { name, component } of iface.inputs) {
      const v = values[name];
      if (!component.isFile || v === undefined) continue;
      const path = v instanceof URL ? fileURLToPath(v) : String(v).startsWith('file:') ? fileURLToPath(String(v)) : resolve(String(v));
      out.push({ index, input: name, file: basename(path), path });
    }
  });
  return out;
}

function buildConfig(iface: VitrineInterface, files: ExampleFile[], flagging: boolean) {
  const o = iface.options;
  const describe = ({ name, component }: { name: string; component: VitrineInterface['inputs'][number]['component'] }) => ({
    name,
    kind: component.kind,
    tag: component.tag,
    label: component.label ?? name.charAt(0).toUpperCase() + name.slice(1),
    ...(component.info ? { info: component.info } : {}),
    props: component.props,
  });
  const examples = (o.examples ?? []).map((ex, index) => {
    const values: Record<string, unknown> = iface.singleInput ? { [iface.inputs[0]!.name]: ex } : { ...((ex ?? {}) as Record<string, unknown>) };
    for (const f of files.filter((f) => f.index === index)) values[f.input] = `examples/${index}/${encodeURIComponent(f.file)}`;
    return values;
  });
  return {
    title: o.title ?? 'Vitrine',
    description: o.description ?? '',
    article: o.article ?? null,
    inputs: iface.inputs.map(describe),
    outputs: iface.outputs.map(describe),
    examples,
    batch: o.batch ?? null,
    api: { predict: 'api/predict', config: 'api/config', flag: flagging ? 'api/flag' : null, openapi: 'openapi.json', docs: 'docs' },
  };
}

function mediaTypeOf(file: string): string {
  const ext = file.toLowerCase().split('.').pop();
  const types: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };
  return types[ext ?? ''] ?? 'application/octet-stream';
}

export type { FastifyInstance };
