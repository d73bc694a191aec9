/**
 * POST /api/predict for a client that accepts `text/event-stream` (the page, `vitrine/client`,
 * `curl -N`): the answer stays plain JSON — same status codes, same body — unless the function
 * reports progress or yields a partial output before it ends; then it becomes an event stream of
 * `progress` and `partial` messages ending in one `complete` or `error`.
 */
import type { PassThrough } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { VitrineError, isVitrineError } from '../errors.ts';
import type { ProgressSink } from '../runtime/execute.ts';
import type { PartialSink } from '../runtime/stream.ts';
import { namedMessage, openEventStream, send } from './sse.ts';

/** The upgrade of one predict answer to a stream, started by the first progress report or partial output. */
export interface ProgressUpgrade {
  readonly onProgress: ProgressSink;
  /** Sends a streaming function's partial outputs (checked wire values) as a `partial` message. */
  readonly onPartial: PartialSink;
  /** True once the answer is a stream: the route must then answer through `end` or `fail`. */
  readonly started: boolean;
  /** Sends the outputs as the `complete` message and closes the stream; returns the reply (already sent). */
  end(outputs: Record<string, unknown>): FastifyReply;
  /** Sends the error's JSON body (as the error handler would) as the `error` message and closes the stream. */
  fail(err: unknown, requestId: string): FastifyReply;
}

/**
 * True when the request's Accept header lists `text/event-stream` (RFC 9110 §12.5.1; q=0 refuses it).
 *
 * @example
 * acceptsEventStream({ headers: { accept: 'application/json, text/event-stream' } }); // true
 */
export function acceptsEventStream(req: Pick<FastifyRequest, 'headers'>): boolean {
  const accept = req.headers.accept;
  if (typeof accept !== 'string') return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    return type === 'text/event-stream' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/**
 * Prepares the upgrade; nothing is sent until the first progress report or partial output.
 *
 * @example
 * const upgrade = progressUpgrade(reply);
 * const body = await run({ onProgress: upgrade.onProgress, onPartial: upgrade.onPartial });
 * return upgrade.started ? upgrade.end(body) : body;
 */
export function progressUpgrade(reply: FastifyReply): ProgressUpgrade {
  let out: PassThrough | undefined;
  return {
    onProgress(fraction, description) {
      out ??= openEventStream(reply);
      send(out, namedMessage('progress', { progress: fraction, desc: description ?? null }));
    },
    onPartial(outputs) {
      out ??= openEventStream(reply);
      send(out, namedMessage('partial', outputs));
    },
    get started() {
      return out !== undefined;
    },
    end(outputs) {
      if (out) {
        send(out, namedMessage('complete', outputs));
        out.end();
      }
      return reply;
    },
    fail(err, requestId) {
      const known = isVitrineError(err) ? err : new VitrineError('INTERNAL', { requestId });
      if (!isVitrineError(err)) reply.log.error({ err }, 'unhandled error');
      if (out) {
        send(out, namedMessage('error', { status: known.status, ...known.toBody(known.status >= 500 ? requestId : undefined) }));
        out.end();
      }
      return reply;
    },
  };
}
