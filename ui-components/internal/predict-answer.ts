/**
 * Reads the answer of `POST api/predict` sent with `Accept: application/json, text/event-stream`:
 * plain JSON, or — once the function reports progress or yields a partial output — an event stream
 * of `progress` and `partial` messages ending in one `complete` or `error`
 * (framework/server/predict-stream.ts).
 */

/** One progress report, as the server sends it. */
export interface ProgressReport {
  progress: number;
  desc: string | null;
}

/** The outcome: the JSON body and the HTTP status it stands for (an error message carries its own). */
export interface PredictAnswer {
  ok: boolean;
  status: number;
  body: unknown;
}

/** The `Accept` header that lets the server stream progress and partial outputs. */
export const PREDICT_ACCEPT = 'application/json, text/event-stream';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Splits SSE text into `{ event, data }` messages (WHATWG HTML §9.2.6: `field: value` lines, a blank
 * line ends a message); returns the messages and the unfinished rest.
 *
 * @example
 * parseEvents('event: progress\ndata: {"progress":0.5}\n\nevent: res'); // [[{ event: 'progress', data: '{"progress":0.5}' }], 'event: res']
 */
export function parseEvents(text: string): [Array<{ event: string; data: string }>, string] {
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
 * Reads a predict response to its end, calling `onProgress` for each report and `onPartial` for
 * each partial output (one key per output) of a function that streams.
 *
 * @example
 * const answer = await readPredictAnswer(await fetch(url, { headers: { accept: PREDICT_ACCEPT } }), (p) => show(p), (o) => draw(o));
 */
export async function readPredictAnswer(
  response: Response,
  onProgress: (report: ProgressReport) => void,
  onPartial: (outputs: Record<string, unknown>) => void = () => {},
): Promise<PredictAnswer> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream') || response.body === null) {
    const body: unknown = await response.json().catch(() => undefined);
    return { ok: response.ok, status: response.status, body };
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const [messages, rest] = parseEvents(buffered + value);
    buffered = rest;
    for (const { event, data } of messages) {
      const parsed: unknown = JSON.parse(data);
      if (event === 'progress' && isRecord(parsed) && typeof parsed.progress === 'number') {
        onProgress({ progress: parsed.progress, desc: typeof parsed.desc === 'string' ? parsed.desc : null });
      } else if (event === 'partial' && isRecord(parsed)) {
        onPartial(parsed);
      } else if (event === 'complete') {
        await reader.cancel();
        return { ok: true, status: 200, body: parsed };
      } else if (event === 'error') {
        await reader.cancel();
        const status = isRecord(parsed) && typeof parsed.status === 'number' ? parsed.status : 500;
        return { ok: false, status, body: parsed };
      }
    }
  }
  throw new Error('the server closed the event stream before the result');
}
