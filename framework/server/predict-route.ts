/** `POST {base}/api/predict`: read the request, wait for the app if it is loading, queue it, check the outputs, count it. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VitrineError, fromTransfer, isVitrineError } from '../errors.ts';
import type { VitrineInterface } from '../interface.ts';
import type { ServerMetrics } from '../runtime/metrics.ts';
import type { Scheduler } from '../runtime/scheduler.ts';
import type { AppReadiness } from './app-state.ts';
import { outputsSchema, type WorkItemReader } from './wire-reader.ts';

/** What the predict route works with; the plugin builds each part once per interface. */
export interface PredictRoute {
  iface: VitrineInterface;
  /** The metrics label of this interface: its mount prefix. */
  appLabel: string;
  read: WorkItemReader;
  readiness: AppReadiness;
  scheduler: Scheduler;
  metrics: ServerMetrics;
  /** Longest a request waits for the app's first load before a 503 (ms). */
  loadWaitMs: number;
}

/**
 * Registers `POST api/predict`.
 *
 * @example
 * registerPredictRoute(app, { iface, appLabel: '/', read, readiness, scheduler, metrics, loadWaitMs: 60_000 });
 */
export function registerPredictRoute(app: FastifyInstance, r: PredictRoute): void {
  const outputs: z.ZodType<Record<string, unknown>> = outputsSchema(r.iface.outputs);
  const label = { app: r.appLabel };

  // Measured (scripts/bench.ts, 28×28 PNG, 8 connections): the two info lines pino writes per
  // request were a third of the main thread's time (docs/decisions/006-no-per-request-log-lines.md).
  // Predict logs warnings and errors; its per-request lines come back with LOG_LEVEL=debug.
  const logEachPredict = app.log.level === 'debug' || app.log.level === 'trace';
  app.post('/api/predict', logEachPredict ? {} : { logLevel: 'warn' }, async (req, reply) => {
    const began = performance.now();
    const body = await predict(req, reply).catch((err: unknown) => {
      const code = isVitrineError(err) ? err.status : 500;
      r.metrics.requests.inc({ ...label, status: String(code) });
      if (isVitrineError(err) && err.code === 'QUEUE_FULL') r.metrics.rejections.inc({ ...label, reason: 'queue_full' });
      throw err;
    });
    r.metrics.requests.inc({ ...label, status: '200' });
    r.metrics.latency.observe(label, (performance.now() - began) / 1000);
    return body;
  });

  async function predict(req: FastifyRequest, reply: FastifyReply): Promise<Record<string, unknown>> {
    // The request is checked first: a bad one is a 400 whatever the model's state, and a
    // retry after a 503 is then known to be well formed.
    const item = req.isMultipart() ? await r.read.fromMultipart(req) : r.read.fromJson(req.body);
    const aborter = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'the client closed the connection' }));
    };
    reply.raw.once('close', onClose);
    let outcome;
    try {
      await r.readiness.whenReady(r.loadWaitMs, aborter.signal);
      outcome = await r.scheduler.submit(item, aborter.signal);
    } finally {
      reply.raw.off('close', onClose);
    }
    if (!outcome.ok) {
      if ('error' in outcome) throw fromTransfer(outcome.error);
      req.log.error({ err: outcome.appError, app: r.appLabel }, 'the app failed');
      throw new VitrineError('APP_ERROR', { requestId: String(req.id) });
    }
    const checked = outputs.safeParse(outcome.outputs);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = String(issue?.path[0] ?? r.iface.outputs[0]!.name);
      req.log.error({ issue, app: r.appLabel }, 'the app returned a value that breaks its output schema');
      throw new VitrineError('INVALID_OUTPUT', { field, requestId: String(req.id) });
    }
    return checked.data;
  }
}
