/**
 * Reads the answer of `POST api/predict` sent with `Accept: application/json, text/event-stream`:
 * plain JSON, or — once the function reports progress or yields a partial output — an event stream
 * of `progress` and `partial` messages ending in one `complete` or `error`
 * (framework/server/predict-stream.ts).
 */

import { isEventStream, readEvents } from '../../framework/client/events.ts';

export { PREDICT_ACCEPT } from '../../framework/client/events.ts';

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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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
  if (!isEventStream(response)) {
    const body: unknown = await response.json().catch(() => undefined);
    return { ok: response.ok, status: response.status, body };
  }
  for await (const { event, data } of readEvents(response.body!)) {
    const parsed: unknown = JSON.parse(data);
    if (event === 'progress' && isRecord(parsed) && typeof parsed.progress === 'number') {
      onProgress({ progress: parsed.progress, desc: typeof parsed.desc === 'string' ? parsed.desc : null });
    } else if (event === 'partial' && isRecord(parsed)) {
      onPartial(parsed);
    } else if (event === 'complete') {
      return { ok: true, status: 200, body: parsed };
    } else if (event === 'error') {
      const status = isRecord(parsed) && typeof parsed.status === 'number' ? parsed.status : 500;
      return { ok: false, status, body: parsed };
    }
  }
  throw new Error('the server closed the event stream before the result');
}
