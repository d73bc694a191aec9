/** `POST {base}/api/predict`: read the request, run it through the interface's pipeline, answer JSON (or an event stream of progress and partial outputs). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError } from '../errors.ts';
import type { JobHooks } from '../runtime/scheduler.ts';
import type { Pipeline } from './pipeline.ts';
import { acceptsEventStream, progressUpgrade } from './predict-stream.ts';
import type { WorkItemReader } from './wire-reader.ts';

/**
 * Registers `POST api/predict`.
 *
 * @example
 * registerPredictRoute(app, { read, pipeline });
 */
export function registerPredictRoute(app: FastifyInstance, r: { read: WorkItemReader; pipeline: Pipeline }): void {
  // Measured (scripts/bench.ts, 28×28 PNG, 8 connections): the two info lines pino writes per
  // request were a third of the main thread's time (docs/decisions/006-no-per-request-log-lines.md).
  // Predict logs warnings and errors; its per-request lines come back with LOG_LEVEL=debug.
  const logEachPredict = app.log.level === 'debug' || app.log.level === 'trace';
  app.post('/api/predict', logEachPredict ? {} : { logLevel: 'warn' }, async (req, reply) => {
    const began = performance.now();
    // A client that accepts an event stream (the page) gets one once the function reports
    // progress or yields a partial output.
    const upgrade = acceptsEventStream(req) ? progressUpgrade(reply) : undefined;
    try {
      const body = await predict(req, reply, upgrade ? { onProgress: upgrade.onProgress, onPartial: upgrade.onPartial } : {});
      r.pipeline.record(200, began);
      return upgrade?.started ? upgrade.end(body) : body;
    } catch (err) {
      r.pipeline.record(err, began);
      if (upgrade?.started) return upgrade.fail(err, String(req.id));
      throw err;
    }
  });

  async function predict(req: FastifyRequest, reply: FastifyReply, hooks: JobHooks): Promise<Record<string, unknown>> {
    // The request is checked first: a bad one is a 400 whatever the model's state, and a
    // retry after a 503 is then known to be well formed.
    const item = req.isMultipart() ? await r.read.fromMultipart(req) : r.read.fromJson(req.body);
    // The client going away drops a queued request and stops a streaming function (its return() runs).
    const aborter = new AbortController();
    const onClose = () => {
      if (!reply.raw.writableFinished) aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'the client closed the connection' }));
    };
    reply.raw.once('close', onClose);
    try {
      return await r.pipeline.run(item, { signal: aborter.signal, hooks, log: req.log, requestId: String(req.id) });
    } finally {
      reply.raw.off('close', onClose);
    }
  }
}
