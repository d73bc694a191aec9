/** The one path every entry to an interface's function takes (POST /api/predict, Gradio's protocol): read, queue, run, count. */
import type { FastifyBaseLogger } from 'fastify';
import type { VitrineError } from '../errors.ts';
import type { VitrineInterface } from '../interface.ts';
import type { WorkItem } from '../runtime/execute.ts';
import type { JobHooks } from '../runtime/scheduler.ts';

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
 * Built once per mounted interface (interface-plugin.ts) around its scheduler: every entry reads
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
  /** Queues and runs one item; resolves with the checked outputs (wire values) or rejects with a VitrineError. */
  run(item: WorkItem, opts: RunOptions): Promise<Record<string, unknown>>;
  /** Counts one answered request in /metrics: its status (or error) and, for a 200, its latency since `began` (performance.now()). */
  record(outcome: number | unknown, began: number): void;
}
