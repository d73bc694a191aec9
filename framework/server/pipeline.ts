/** The one path every entry to an interface's function takes (POST /api/predict, Gradio's protocol): read, queue, run, count. */
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import { VitrineError, fromTransfer, isVitrineError } from '../errors.ts';
import type { VitrineInterface } from '../interface.ts';
import type { WorkItem } from '../runtime/execute.ts';
import type { ServerMetrics } from '../runtime/metrics.ts';
import type { JobHooks, Scheduler } from '../runtime/scheduler.ts';
import type { AppReadiness } from './app-state.ts';
import { appErrorDetail } from './dev-errors.ts';
import { outputsSchema, type WorkItemReader } from './wire-reader.ts';

/** What one run needs besides its work item. */
export interface RunOptions {
  /** Aborting drops the request while it is still queued (the client went away, or cancelled). */
  signal: AbortSignal;
  hooks?: JobHooks;
  /** The request's logger (its lines carry the request id) and the id quoted in a 500's message. */
  log: FastifyBaseLogger;
  requestId: string;
}

/**
 * Built once per mounted interface ({@link createPipeline}) around its scheduler: every entry reads
 * wire values into a work item the same way, and runs it through the same bounded queue, batching,
 * executor and output check, so nothing runs twice and there is no second queue.
 */
export interface Pipeline {
  readonly iface: VitrineInterface;
  /** The `app` label of the metrics and logs: the mount prefix, ending in `/`. */
  readonly appLabel: string;
  /**
   * Wire values (one key per input; missing ones take the component's default) plus inputs sent as
   * file bytes → the work item. Throws the catalogue's 400/413/415 errors, naming the field.
   */
  read(wire: Record<string, unknown>, files?: Record<string, Uint8Array>): WorkItem;
  /** QUEUE_FULL (503 + Retry-After) when a run started now would be refused, else undefined. */
  refusal(): VitrineError | undefined;
  /** Requests waiting in the queue now (a new one's rank). */
  queued(): number;
  /**
   * Queues and runs one item; resolves with the checked outputs (wire values) or rejects with a
   * VitrineError. A streaming function's partials reach `hooks.onPartial` checked the same way;
   * one that breaks the output schema stops the function and fails the run.
   */
  run(item: WorkItem, opts: RunOptions): Promise<Record<string, unknown>>;
  /** Counts one answered request in /metrics: its status (or error) and, for a 200, its latency since `began` (performance.now()). */
  record(outcome: number | unknown, began: number): void;
}

/** What {@link createPipeline} builds the pipeline of one interface from. */
export interface PipelineParts {
  iface: VitrineInterface;
  appLabel: string;
  read: WorkItemReader;
  readiness: AppReadiness;
  scheduler: Scheduler;
  metrics: ServerMetrics;
  /** Longest a request waits for the app's first load before a 503 (ms). */
  loadWaitMs: number;
  /** A 500 carries the app's message and stack frames (`detail`): `vitrine serve --reload`, NODE_ENV=development. */
  development?: boolean;
}

/**
 * The pipeline of one interface: the predict route and Gradio's protocol both run through it.
 *
 * @example
 * const pipeline = createPipeline({ iface, appLabel: '/', read, readiness, scheduler, metrics, loadWaitMs: 60_000 });
 * const outputs = await pipeline.run(pipeline.read({ text: 'hi' }), { signal, log: req.log, requestId: req.id });
 */
export function createPipeline(p: PipelineParts): Pipeline {
  const outputs: z.ZodType<Record<string, unknown>> = outputsSchema(p.iface.outputs);
  const label = { app: p.appLabel };

  function check(values: Record<string, unknown>, opts: RunOptions): Record<string, unknown> {
    const checked = outputs.safeParse(values);
    if (checked.success) return checked.data;
    const issue = checked.error.issues[0];
    const field = String(issue?.path[0] ?? p.iface.outputs[0]!.name);
    opts.log.error({ issue, app: p.appLabel }, 'the app returned a value that breaks its output schema');
    const detail = p.development && issue ? `${[field, ...issue.path.slice(1)].map(String).join('.')}: ${issue.message}` : undefined;
    throw new VitrineError('INVALID_OUTPUT', { field, requestId: opts.requestId }, {}, detail);
  }

  async function run(item: WorkItem, opts: RunOptions): Promise<Record<string, unknown>> {
    // A request that arrives while the model loads waits for it (bounded), instead of a 503.
    await p.readiness.whenReady(p.loadWaitMs, opts.signal);
    // Every partial is checked, streamed to this caller or not: a call fails the same way for all.
    const listen = opts.hooks?.onPartial;
    let refused: unknown;
    const stop = new AbortController();
    const onPartial = (values: Record<string, unknown>) => {
      if (refused !== undefined) return;
      try {
        const checked = check(values, opts);
        listen?.(checked);
      } catch (err) {
        refused = err;
        stop.abort(err);
      }
    };
    const hooks = { ...opts.hooks, onPartial };
    const outcome = await p.scheduler.submit(item, AbortSignal.any([opts.signal, stop.signal]), hooks);
    if (refused !== undefined) throw refused;
    if (!outcome.ok) {
      if ('error' in outcome) throw fromTransfer(outcome.error);
      opts.log.error({ err: outcome.appError, app: p.appLabel }, 'the app failed');
      throw new VitrineError('APP_ERROR', { requestId: opts.requestId }, {}, p.development ? appErrorDetail(outcome.appError) : undefined);
    }
    return check(outcome.outputs, opts);
  }

  function record(outcome: number | unknown, began: number): void {
    const code = typeof outcome === 'number' ? outcome : isVitrineError(outcome) ? outcome.status : 500;
    p.metrics.requests.inc({ ...label, status: String(code) });
    if (code === 200) p.metrics.latency.observe(label, (performance.now() - began) / 1000);
    if (isVitrineError(outcome) && outcome.code === 'QUEUE_FULL') p.metrics.rejections.inc({ ...label, reason: 'queue_full' });
  }

  return {
    iface: p.iface,
    appLabel: p.appLabel,
    read: (wire, files) => p.read.fromWire(wire, files),
    refusal: () => p.scheduler.refusal(),
    queued: () => p.scheduler.queued,
    run,
    record,
  };
}
