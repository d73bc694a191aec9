/**
 * Gradio's per-session event streams (gradio/routes.py `queue_data`, queueing.py): the messages of
 * a session's events, kept from `queue/join` until a client reads them on `queue/data` (or on the
 * two-step `call` route), ending with `close_stream` once nothing is pending. Jobs themselves run in
 * the interface's one scheduler; this only carries their messages and their cancellation.
 */
import { randomUUID } from 'node:crypto';
import type { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { VitrineError } from '../../errors.ts';
import { dataMessage, namedMessage, openEventStream, send } from '../sse.ts';
import { gradioDiff } from './diff.ts';

/** A message of Gradio's `queue/data` stream (gradio/server_messages.py); `event_id` is null only for heartbeat and close_stream. */
export type GradioMessage = { msg: string; event_id: string | null } & Record<string, unknown>;

/** `queue/data` sends every message as `data:`; the two-step `call` route names its few events. */
type StreamFormat = 'queue' | 'call';

interface Event {
  id: string;
  aborter: AbortController;
  /** Its process_completed was queued: later outcomes (after a cancel) are dropped. */
  completed: boolean;
  /** The full values of its last `process_generating` sent on `queue/data`: the next one is sent as a diff from them. */
  generated: unknown[] | undefined;
}

interface Session {
  hash: string;
  events: Map<string, Event>;
  /** Messages waiting for a reader. */
  buffer: GradioMessage[];
  stream: { out: PassThrough; format: StreamFormat } | undefined;
  /** Last time a message was added or read (ms since epoch), for expiry. */
  touched: number;
}

export interface QueueOptions {
  /** Interval of heartbeat messages on open streams (Gradio's default 15 s; proxies close idle ones). */
  heartbeatMs: number;
  /** Sessions kept at once; a join beyond it answers 503. */
  maxSessions: number;
  /** How long undelivered messages are kept for a client that never reads them (ms). */
  idleMs: number;
}

/** What a client gets for a cancelled event: an error event, so the JS client ends its iterator with a message. */
export const CANCELLED_MESSAGE = 'The job was cancelled';

/**
 * Sessions, their events and their readers.
 *
 * @example
 * const events = new EventQueue({ heartbeatMs: 15_000, maxSessions: 10_000, idleMs: 600_000 });
 * const event = events.add('session-1');
 * events.push('session-1', { msg: 'estimation', event_id: event.id, rank: 0, queue_size: 1, rank_eta: null });
 */
export class EventQueue {
  readonly #opts: QueueOptions;
  readonly #sessions = new Map<string, Session>();
  readonly #heartbeats = new Set<PassThrough>();
  readonly #timer: NodeJS.Timeout;
  #closing = false;

  constructor(opts: QueueOptions) {
    this.#opts = opts;
    this.#timer = setInterval(() => this.#tick(), opts.heartbeatMs);
    this.#timer.unref();
  }

  /** 503 when no more sessions may be opened, else undefined. */
  refusal(sessionHash: string): VitrineError | undefined {
    if (this.#sessions.has(sessionHash) || this.#sessions.size < this.#opts.maxSessions) return undefined;
    return new VitrineError('QUEUE_FULL', { queued: this.#sessions.size, retryAfter: 5 }, { 'retry-after': '5' });
  }

  /** Opens a new event in a session (made on first use); aborting its signal cancels it. */
  add(sessionHash: string, eventId: string = randomUUID().replaceAll('-', '')): { id: string; signal: AbortSignal } {
    let session = this.#sessions.get(sessionHash);
    if (!session) {
      session = { hash: sessionHash, events: new Map(), buffer: [], stream: undefined, touched: Date.now() };
      this.#sessions.set(sessionHash, session);
    }
    const event: Event = { id: eventId, aborter: new AbortController(), completed: false, generated: undefined };
    session.events.set(eventId, event);
    return { id: eventId, signal: event.aborter.signal };
  }

  /**
   * Queues a message of an open event for its session's reader. A `process_completed` closes the
   * event (later messages for it are dropped) and, once the session has nothing pending, the
   * reader gets `close_stream` and its response ends.
   */
  push(sessionHash: string, message: GradioMessage): void {
    const session = this.#sessions.get(sessionHash);
    const event = message.event_id === null ? undefined : session?.events.get(message.event_id);
    if (!session || !event || event.completed) return;
    if (message.msg === 'process_completed') event.completed = true;
    session.touched = Date.now();
    if (session.stream) {
      this.#deliver(session, message);
      return;
    }
    // Only the latest progress of an event is worth keeping for a reader that has not come yet.
    const last = session.buffer.at(-1);
    if (message.msg === 'progress' && last?.msg === 'progress' && last.event_id === message.event_id) session.buffer.pop();
    session.buffer.push(message);
  }

  /**
   * Cancels an event: drops it from the scheduler's queue if it is still waiting, stops a streaming
   * function (its `return()` runs at its next yield), and sends its reader a `process_completed`
   * error now (a plain function already running goes on until its end or its `timeoutMs`; its
   * result is dropped). Returns whether there was such an open event.
   */
  cancel(sessionHash: string, eventId: string): boolean {
    const event = this.#sessions.get(sessionHash)?.events.get(eventId);
    if (!event || event.completed) return false;
    event.aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'the client cancelled the job' }));
    this.push(sessionHash, completedWithError(eventId, CANCELLED_MESSAGE));
    return true;
  }

  /** Whether the two-step `call` route knows this event (its session is named after it). */
  has(sessionHash: string): boolean {
    return this.#sessions.has(sessionHash);
  }

  /**
   * Answers a reader: the session's waiting messages, then its live ones, until nothing is pending.
   * An unknown session is a 404. A second reader of a session replaces the first.
   */
  attach(sessionHash: string, reply: FastifyReply, format: StreamFormat): FastifyReply {
    const session = this.#sessions.get(sessionHash);
    if (!session) throw new VitrineError('NOT_FOUND', { method: 'GET', url: `session ${sessionHash.slice(0, 64)} (join the queue first)` });
    this.#detach(session);
    const out = openEventStream(reply);
    const reader = { out, format };
    session.stream = reader;
    session.touched = Date.now();
    out.on('close', () => {
      if (session.stream !== reader) return;
      session.stream = undefined;
      // The client went away with events pending: what still waits in the queue is dropped
      // (Gradio's clean_events does the same), a stream is stopped; another running call is bounded by timeoutMs.
      for (const event of session.events.values()) {
        if (!event.completed) event.aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'the client closed the connection' }));
      }
    });
    for (const message of session.buffer.splice(0)) if (session.stream === reader) this.#deliver(session, message);
    if (session.stream === reader && pending(session) === 0) this.#finish(session);
    return reply;
  }

  /** Gradio's heartbeat route: a stream kept open (the Python client reconnects at once to one that ends). */
  heartbeat(reply: FastifyReply): FastifyReply {
    const out = openEventStream(reply);
    send(out, 'data: ALIVE\n\n');
    if (this.#closing) out.end();
    else {
      this.#heartbeats.add(out);
      out.on('close', () => this.#heartbeats.delete(out));
    }
    return reply;
  }

  /**
   * Shutting down: heartbeat streams and readers with nothing pending end now; a reader with
   * events still running ends when they complete, as usual.
   */
  close(): void {
    this.#closing = true;
    clearInterval(this.#timer);
    for (const out of this.#heartbeats) out.end();
    this.#heartbeats.clear();
    for (const session of this.#sessions.values()) if (session.stream && pending(session) === 0) this.#finish(session);
  }

  #deliver(session: Session, message: GradioMessage): void {
    const reader = session.stream!;
    const text = reader.format === 'queue' ? dataMessage(this.#diffed(session, message)) : callMessage(message);
    if (text !== undefined) send(reader.out, text);
    if (message.msg === 'process_completed' && message.event_id !== null) {
      session.events.delete(message.event_id);
      if (pending(session) === 0) this.#finish(session);
    }
  }

  /**
   * A `process_generating` as `queue/data` sends it (gradio/blocks.py `handle_streaming_diffs`): the
   * first of an event with full values, each later one with the edits from the one before.
   */
  #diffed(session: Session, message: GradioMessage): GradioMessage {
    const event = message.event_id === null ? undefined : session.events.get(message.event_id);
    if (message.msg !== 'process_generating' || !event) return message;
    const output = message.output as { data: unknown[] };
    const previous = event.generated;
    event.generated = output.data;
    if (previous === undefined) return message;
    return { ...message, output: { ...output, data: output.data.map((value, i) => gradioDiff(previous[i], value)) } };
  }

  /** Nothing pending: `close_stream`, the end of the response, and the session is done with. */
  #finish(session: Session): void {
    const reader = session.stream;
    if (!reader) return;
    if (reader.format === 'queue') send(reader.out, dataMessage({ msg: 'close_stream', event_id: null }));
    this.#detach(session);
    if (session.events.size === 0 && session.buffer.length === 0) this.#sessions.delete(session.hash);
  }

  /** Lets go of a session's reader (ending its response) without touching its events. */
  #detach(session: Session): void {
    const reader = session.stream;
    if (!reader) return;
    session.stream = undefined;
    reader.out.end();
  }

  /** Heartbeats on open streams, and expiry of sessions nobody reads. */
  #tick(): void {
    const now = Date.now();
    for (const out of this.#heartbeats) send(out, 'data: ALIVE\n\n');
    for (const session of this.#sessions.values()) {
      if (session.stream) {
        send(session.stream.out, session.stream.format === 'queue' ? dataMessage({ msg: 'heartbeat', event_id: null }) : namedMessage('heartbeat', null));
      } else if (now - session.touched > this.#opts.idleMs) {
        for (const event of session.events.values()) event.aborter.abort(new VitrineError('BAD_REQUEST', { reason: 'nobody read the job\'s events' }));
        this.#sessions.delete(session.hash);
      }
    }
  }
}

function pending(session: Session): number {
  return session.events.size;
}

/**
 * A `process_completed` that reports an error with its message (gradio/utils.py `error_payload`: the
 * output holds only `error`, `duration`, `visible` and `title`, the keys Python's AppError takes).
 *
 * @example
 * completedWithError('e1', 'Invalid image for "image": not a PNG');
 */
export function completedWithError(eventId: string, message: string): GradioMessage {
  return { msg: 'process_completed', event_id: eventId, output: { error: message, duration: null, visible: true, title: 'Error' }, success: false, title: 'Error' };
}

/**
 * The two-step route's framing (gradio/routes.py `simple_predict_get`): full values on `generating`
 * and `complete`, the error output on `error`; other messages are not sent.
 */
function callMessage(message: GradioMessage): string | undefined {
  if (message.msg === 'process_generating') return namedMessage('generating', (message.output as Record<string, unknown>).data);
  if (message.msg !== 'process_completed') return undefined;
  const output = message.output as Record<string, unknown>;
  return message.success === true ? namedMessage('complete', output.data) : namedMessage('error', output);
}
