/** Server-sent events (WHATWG HTML §9.2): the response headers and the framing of one message, for every stream the server sends. */
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * Opens an event stream on `reply` and returns the stream its messages are written to. Fastify
 * still runs its hooks (security headers, x-request-id) and destroys the stream when the client
 * goes away. Proxies must neither buffer nor compress it: Gradio's issue #6804 (nginx buffering).
 *
 * @example
 * const out = openEventStream(reply); out.write(dataMessage({ msg: 'heartbeat', event_id: null }));
 */
export function openEventStream(reply: FastifyReply): PassThrough {
  const out = new PassThrough();
  reply
    .code(200)
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no');
  void reply.send(out);
  return out;
}

/**
 * One message of a single `data:` line: JSON has no raw line breaks, so the value is never split
 * over several lines (Gradio's Python client splits messages on blank lines and refuses any line
 * that does not start with `data:`).
 *
 * @example
 * dataMessage({ msg: 'close_stream', event_id: null }); // 'data: {"msg":"close_stream","event_id":null}\n\n'
 */
export function dataMessage(value: unknown): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}

/**
 * One message with an event name, as Gradio's two-step `call` route and the predict stream send.
 *
 * @example
 * namedMessage('complete', ['Sneaker']); // 'event: complete\ndata: ["Sneaker"]\n\n'
 */
export function namedMessage(event: string, value: unknown): string {
  return `event: ${event}\n${dataMessage(value)}`;
}

/**
 * Writes to a stream unless the client has gone (a destroyed stream drops what it is given).
 *
 * @example
 * send(out, dataMessage(message));
 */
export function send(out: PassThrough, text: string): boolean {
  if (out.destroyed || out.writableEnded) return false;
  out.write(text);
  return true;
}
