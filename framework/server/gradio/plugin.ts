/**
 * Gradio's client protocol (`sse_v3`) for one mounted interface, so `@gradio/client`, `gradio_client`
 * and the two-step curl route work unchanged: `/config` and, under `/gradio_api`, `info`, `upload`,
 * `queue/join` + `queue/data`, `heartbeat`, `cancel`, `call/{api_name}` and `file=`. Every job goes
 * through the interface's own pipeline (pipeline.ts): same validation, queue, batching and workers.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { VitrineError, isVitrineError } from '../../errors.ts';
import { DEFAULT_IMAGE_LIMITS } from '../../image/index.ts';
import type { WorkItem } from '../../runtime/execute.ts';
import type { ExampleFile } from '../interface-config.ts';
import type { Pipeline } from '../pipeline.ts';
import { hasBearer, unauthorized } from '../security.ts';
import { API_NAME, API_PREFIX, gradioConfig } from './config.ts';
import { FileStore, PLAYABLE } from './files.ts';
import { apiInfo } from './info.ts';
import { EventQueue, completedWithError } from './queue.ts';
import { CallBodySchema, CancelBodySchema, JoinBodySchema, dataToWire, parseBody, wireToData, type FileSources } from './values.ts';

/** What `buildApp({ gradio })` accepts; every field has a default. */
export interface GradioOptions {
  /** Where uploads and produced files go (default: a new folder under the OS temp dir, deleted on close). */
  dir?: string;
  /** Largest upload in bytes (default: the largest file input's limit, 10 MiB unless set; never above the body limit). */
  maxFileBytes?: number;
  /** Bytes of uploads kept at once (default 512 MiB); beyond it an upload answers 507. */
  maxStoredBytes?: number;
  /** How long an uploaded or produced file stays fetchable, in ms (default 1 hour). */
  fileLifetimeMs?: number;
  /**
   * URL prefixes (`https://host/path/`) a FileData path may point to, fetched by the server
   * (no redirects, 10 s, the input's size limit). Default none: URLs are refused (SSRF).
   */
  allowedUrls?: readonly string[];
  /** Heartbeat interval on open event streams, in ms (default 15 000, as Gradio). */
  heartbeatMs?: number;
}

export interface GradioPluginOptions extends GradioOptions {
  pipeline: Pipeline;
  examples: readonly ExampleFile[];
  /** The server's bearer token, checked here on the reading routes (security.ts checks the writing ones). */
  token: string | undefined;
  bodyLimit: number;
}

export const GRADIO_DEFAULTS = {
  maxStoredBytes: 512 * 1024 * 1024,
  fileLifetimeMs: 60 * 60 * 1000,
  heartbeatMs: 15_000,
  maxSessions: 10_000,
  /** Undelivered messages of a session nobody reads are dropped after this long (ms). */
  idleMs: 10 * 60 * 1000,
  /** Files in one upload request. */
  maxFilesPerUpload: 16,
} as const;

/**
 * Registers the protocol's routes under the interface's prefix.
 *
 * @example
 * await app.register(gradioPlugin, { pipeline, examples, token: undefined, bodyLimit: 15 << 20 });
 */
export const gradioPlugin: FastifyPluginAsync<GradioPluginOptions> = async function gradioPlugin(app, opts) {
  const { pipeline } = opts;
  const iface = pipeline.iface;
  const fileLimits = iface.inputs.filter((i) => i.component.isFile).map((i) => i.component.maxFileBytes ?? DEFAULT_IMAGE_LIMITS.maxBytes);
  const maxFileBytes = Math.min(opts.bodyLimit, opts.maxFileBytes ?? Math.max(DEFAULT_IMAGE_LIMITS.maxBytes, ...fileLimits));
  const allowedUrls = (opts.allowedUrls ?? []).map((u) => new URL(u).href);
  const store = new FileStore({
    dir: opts.dir,
    maxFileBytes,
    maxStoredBytes: opts.maxStoredBytes ?? GRADIO_DEFAULTS.maxStoredBytes,
    lifetimeMs: opts.fileLifetimeMs ?? GRADIO_DEFAULTS.fileLifetimeMs,
  });
  store.open();
  const events = new EventQueue({
    heartbeatMs: opts.heartbeatMs ?? GRADIO_DEFAULTS.heartbeatMs,
    maxSessions: GRADIO_DEFAULTS.maxSessions,
    idleMs: GRADIO_DEFAULTS.idleMs,
  });
  /** Jobs whose outcome is still being turned into messages (an image written to the store). */
  const finishing = new Set<Promise<void>>();
  let averageSeconds: number | undefined;

  // Readers end before the server closes (it waits for open responses); files go after the last job.
  app.addHook('preClose', async () => events.close());
  app.addHook('onClose', async () => {
    await Promise.allSettled([...finishing]);
    await store.close();
  });
  // The JS client shows `detail` (else the bare error code) when a request is refused.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.startsWith('{')) return payload;
    try {
      const body = JSON.parse(payload) as Record<string, unknown>;
      return typeof body.message === 'string' && body.detail === undefined ? JSON.stringify({ ...body, detail: body.message }) : payload;
    } catch {
      return payload;
    }
  });

  const rootOf = (req: FastifyRequest) => `${req.protocol}://${req.host || 'localhost'}${app.prefix}`;
  const requireToken = async (req: FastifyRequest) => {
    if (opts.token !== undefined && !hasBearer(req, opts.token)) throw unauthorized(req);
  };
  // `predict` is answered under every app's own name too (a ChatInterface's `chat`), as the route older clients call.
  const checkApiName = (name: string) => {
    if (name !== iface.apiName && name !== API_NAME) throw new VitrineError('NOT_FOUND', { method: 'the endpoint', url: `/${name.slice(0, 64)} (this app has one: /${iface.apiName})` });
  };

  app.get('/config', async (req) => gradioConfig(iface, rootOf(req), { maxFileBytes }));
  app.get(`${API_PREFIX}/info`, async (req) => apiInfo(iface, rootOf(req), firstExample()));

  app.post(`${API_PREFIX}/upload`, async (req) => {
    if (!req.isMultipart()) {
      throw new VitrineError('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '(none)').slice(0, 100), expected: 'multipart/form-data with parts named "files"' });
    }
    const max = GRADIO_DEFAULTS.maxFilesPerUpload;
    const paths: string[] = [];
    for await (const part of req.parts({ limits: { fileSize: maxFileBytes, files: max, fields: 4, parts: max + 4 } })) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'files') {
        part.file.resume();
        throw new VitrineError('BAD_REQUEST', { reason: `upload takes file parts named "files"; got "${part.fieldname.slice(0, 64)}"` });
      }
      paths.push((await store.saveUpload(part.file, part.filename)).path);
    }
    if (paths.length === 0) throw new VitrineError('BAD_REQUEST', { reason: 'upload takes one or more file parts named "files"' });
    return paths;
  });

  app.post(`${API_PREFIX}/queue/join`, async (req) => {
    const body = parseBody(JoinBodySchema, req.body);
    if (body.fn_index !== undefined && body.fn_index !== null && body.fn_index !== 0) {
      throw new VitrineError('BAD_REQUEST', { reason: `No function with index ${body.fn_index}; this app has one: fn_index 0, api_name "/${iface.apiName}"` });
    }
    return { event_id: await startEvent(req, body.session_hash, body.data) };
  });
  app.get<{ Querystring: { session_hash?: string } }>(`${API_PREFIX}/queue/data`, { onRequest: requireToken }, async (req, reply) => {
    const hash = req.query.session_hash;
    if (typeof hash !== 'string' || hash === '') throw new VitrineError('BAD_REQUEST', { reason: 'queue/data needs ?session_hash=…' });
    return events.attach(hash, reply, 'queue');
  });
  app.get(`${API_PREFIX}/heartbeat/:session_hash`, { onRequest: requireToken }, async (_req, reply) => events.heartbeat(reply));
  // Not token-guarded, like Gradio's: the JS client sends no token here, and the random event id is the capability.
  app.post(`${API_PREFIX}/cancel`, async (req) => {
    const body = parseBody(CancelBodySchema, req.body);
    const cancelled = events.cancel(body.session_hash ?? body.event_id, body.event_id) || events.cancel(body.event_id, body.event_id);
    return { success: cancelled };
  });
  app.post(`${API_PREFIX}/reset`, async () => ({ success: true }));

  // The two-step route: POST answers exactly {"event_id": …}; GET streams that event's outcome.
  app.post<{ Params: { api_name: string } }>(`${API_PREFIX}/call/:api_name`, async (req) => {
    checkApiName(req.params.api_name);
    const body = parseBody(CallBodySchema, req.body ?? {});
    const eventId = randomUUID().replaceAll('-', '');
    await startEvent(req, eventId, body.data, eventId);
    return { event_id: eventId };
  });
  app.get<{ Params: { api_name: string; event_id: string } }>(`${API_PREFIX}/call/:api_name/:event_id`, { onRequest: requireToken }, async (req, reply) => {
    checkApiName(req.params.api_name);
    return events.attach(req.params.event_id, reply, 'call');
  });

  // Only paths this server handed out: the store looks them up in its table, never on the disk.
  app.get(`${API_PREFIX}/file=*`, async (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const file = store.lookup(path);
    if (!file) throw new VitrineError('NOT_FOUND', { method: 'GET', url: `${API_PREFIX}/file=${path.slice(0, 100)}` });
    const inline = file.mimeType.startsWith('image/') || PLAYABLE.test(file.mimeType);
    reply
      .type(file.mimeType)
      .header('content-length', String(file.size))
      .header('cache-control', 'private, max-age=3600')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${file.name}"`);
    return createReadStream(file.diskPath);
  });

  /**
   * Reads and checks the inputs, then queues the job in the interface's pipeline and returns its
   * event id. A full queue is a 503 on the spot (Gradio's clients expect it there); a bad input is
   * the event's error message, as when Gradio's own preprocessing fails.
   */
  async function startEvent(req: FastifyRequest, sessionHash: string, data: unknown[] | Record<string, unknown>, eventId?: string): Promise<string> {
    const began = performance.now();
    let item: WorkItem | undefined;
    let refused: VitrineError | undefined;
    try {
      const { wire, files } = await dataToWire(iface, data, sourcesFor(req));
      item = pipeline.read(wire, files);
    } catch (err) {
      if (!isVitrineError(err)) throw err;
      refused = err;
    }
    const full = events.refusal(sessionHash) ?? (item ? pipeline.refusal() : undefined);
    if (full) {
      pipeline.record(full, began);
      throw full;
    }
    const event = events.add(sessionHash, eventId);
    if (item === undefined) {
      pipeline.record(refused, began);
      events.push(sessionHash, completedWithError(event.id, refused!.message));
      return event.id;
    }
    events.push(sessionHash, { msg: 'estimation', event_id: event.id, rank: pipeline.queued(), queue_size: pipeline.queued() + 1, rank_eta: averageSeconds ?? null });
    let started = began;
    // A stream's partials become messages one after the other (an image is stored first), and the
    // event's process_completed only after the last of them.
    let generated: Promise<void> = Promise.resolve();
    const onPartial = (outputs: Record<string, unknown>) => {
      generated = generated
        .then(() => wireToData(iface, outputs, store, rootOf(req)))
        .then((data) => {
          const duration = (performance.now() - started) / 1000;
          events.push(sessionHash, {
            msg: 'process_generating',
            event_id: event.id,
            output: { data, is_generating: true, duration, average_duration: averageSeconds ?? null, render_config: null, changed_state_ids: [] },
            success: true,
            time_limit: null,
          });
        })
        .catch((err: unknown) => req.log.error({ err }, 'a partial output could not be sent'));
    };
    const job = pipeline
      .run(item, {
        signal: event.signal,
        log: req.log,
        requestId: String(req.id),
        hooks: {
          onStart: () => {
            started = performance.now();
            events.push(sessionHash, { msg: 'process_starts', event_id: event.id, eta: averageSeconds ?? null });
          },
          onProgress: (progress, desc) =>
            events.push(sessionHash, { msg: 'progress', event_id: event.id, progress_data: [{ index: null, length: null, unit: 'steps', progress, desc: desc ?? null }] }),
          onPartial,
        },
      })
      .then(async (outputs) => {
        await generated;
        return wireToData(iface, outputs, store, rootOf(req));
      })
      .then(
        (outputData) => {
          const duration = (performance.now() - started) / 1000;
          averageSeconds = averageSeconds === undefined ? duration : 0.9 * averageSeconds + 0.1 * duration;
          pipeline.record(200, began);
          events.push(sessionHash, {
            msg: 'process_completed',
            event_id: event.id,
            output: { data: outputData, is_generating: false, duration, average_duration: averageSeconds, render_config: null, changed_state_ids: [] },
            success: true,
            title: null,
          });
        },
        async (err: unknown) => {
          await generated;
          pipeline.record(err, began);
          if (!isVitrineError(err)) req.log.error({ err }, 'a Gradio job failed unexpectedly');
          const known = isVitrineError(err) ? err : new VitrineError('INTERNAL', { requestId: String(req.id) });
          events.push(sessionHash, completedWithError(event.id, known.message));
        },
      )
      .finally(() => finishing.delete(job));
    finishing.add(job);
    return event.id;
  }

  function sourcesFor(req: FastifyRequest): FileSources {
    // Normalised as URL does it (a default port drops out), to compare with the URLs clients send.
    const origin = URL.parse(`${req.protocol}://${req.host || 'localhost'}`)?.origin ?? 'null';
    return {
      store,
      origin,
      allowedUrls,
      localExample: (url) => {
        const m = /^(.*)\/examples\/(\d+)\/([^/]+)$/.exec(url.pathname);
        if (!m || m[1] !== app.prefix) return undefined;
        return opts.examples.find((e) => String(e.index) === m[2] && e.file === decodeURIComponent(m[3]!))?.path;
      },
      readExample: (path) => readFile(path),
    };
  }

  /** The first example as the page's config holds it (file inputs as URL paths under the interface). */
  function firstExample(): Record<string, unknown> | undefined {
    const first = iface.options.examples?.[0];
    if (first === undefined) return undefined;
    const values: Record<string, unknown> = iface.singleInput ? { [iface.inputs[0]!.name]: first } : { ...(first as Record<string, unknown>) };
    for (const f of opts.examples.filter((e) => e.index === 0)) values[f.input] = `examples/0/${encodeURIComponent(f.file)}`;
    return values;
  }
};
