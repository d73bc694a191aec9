/** The event stream `POST api/predict` answers a client that accepts one (framework/server/predict-stream.ts): its SSE framing, read in Node or the browser. */

/** One message: its event name (`progress`, `partial`, `complete`, `error`) and its data line. */
export interface StreamMessage {
  event: string;
  data: string;
}

/** The `Accept` header that lets the server stream progress and partial outputs (it answers JSON otherwise). */
export const PREDICT_ACCEPT = 'application/json, text/event-stream';

/**
 * Splits SSE text into `{ event, data }` messages (WHATWG HTML §9.2.6: `field: value` lines, a blank
 * line ends a message); returns the messages and the unfinished rest.
 *
 * @example
 * parseEvents('event: progress\ndata: {"progress":0.5}\n\nevent: res'); // [[{ event: 'progress', data: '{"progress":0.5}' }], 'event: res']
 */
export function parseEvents(text: string): [StreamMessage[], string] {
  const normalised = text.replace(/\r\n?/g, '\n');
  const blocks = normalised.split('\n\n');
  const rest = blocks.pop() ?? '';
  const messages = blocks.map((block) => {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    return { event, data: data.join('\n') };
  });
  return [messages, rest];
}

/**
 * True when a response is an event stream rather than a JSON body.
 *
 * @example
 * if (isEventStream(res)) for await (const m of readEvents(res.body!)) handle(m);
 */
export function isEventStream(response: Response): boolean {
  return (response.headers.get('content-type') ?? '').startsWith('text/event-stream') && response.body !== null;
}

/**
 * The messages of an event stream as they arrive; stopping the loop early cancels the body.
 *
 * @example
 * for await (const { event, data } of readEvents(res.body!)) if (event === 'complete') return JSON.parse(data);
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const [messages, rest] = parseEvents(buffered + decoder.decode(value, { stream: true }));
      buffered = rest;
      yield* messages;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
