/** `connect(url)`: a client of one Vitrine app, in Node or the browser, typed by the app's Interface when given. */
import type { ErrorCode } from '../errors.ts';
import { VitrineClientError, errorFromBody, errorFromResponse } from './errors.ts';
import { PREDICT_ACCEPT, isEventStream, readEvents } from './events.ts';
import { checkInputs, describeOpenApi, requestBody, type AppDescription } from './inputs.ts';
import type { PredictInputs, PredictOutputs } from './types.ts';

export interface ConnectOptions {
  /** Bearer token, for a server started with `VITRINE_TOKEN`. */
  token?: string;
  /**
   * Check inputs against the server's description (`openapi.json`, fetched once, read with zod,
   * which is imported then) before sending, so a mistake fails at once with the server's error
   * code. Default true; needed to send a file path as a file.
   */
  validate?: boolean;
  /** 503 answers with `Retry-After` (queue full, model loading) are retried up to this many times (default 3). */
  retries?: number;
  /** A `Retry-After` longer than this is not waited for: the 503 is thrown (default 30 000 ms). */
  maxRetryDelayMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * What happens to one call, in order. `progress` comes while the function runs when it reports it
 * (`ctx.progress`); `partial` for each output a streaming function yields (an `async function*`),
 * typed like the final outputs, the last of them equal to `complete`'s.
 */
export type JobEvent<Outputs> =
  | { type: 'sending'; attempt: number }
  | { type: 'waiting'; code: ErrorCode | undefined; retryInMs: number; attempt: number }
  | { type: 'progress'; progress: number | null; total?: number; unit?: string; description?: string }
  | { type: 'partial'; outputs: Outputs }
  | { type: 'complete'; outputs: Outputs }
  | { type: 'error'; error: VitrineClientError };

/** One call: its result, and its events for whoever iterates them (optional: nothing is lost by not listening). */
export interface Job<Outputs> extends AsyncIterable<JobEvent<Outputs>> {
  readonly result: Promise<Outputs>;
}

export interface Client<App> {
  /** The app's base URL, ending in `/`. */
  readonly url: string;
  /**
   * Runs the app once: one key per input (files as Blob, Buffer, `data:` URL, or a path in Node),
   * one key per output back. Throws a {@link VitrineClientError} with the server's error code.
   */
  predict(inputs: PredictInputs<App>, options?: CallOptions): Promise<PredictOutputs<App>>;
  /** The same call, with its events: progress reports and a streaming function's partial outputs as they come. */
  submit(inputs: PredictInputs<App>, options?: CallOptions): Job<PredictOutputs<App>>;
  /** What the server says the app takes and returns (fetched once). */
  describe(): Promise<AppDescription>;
}

const DEFAULTS = { retries: 3, maxRetryDelayMs: 30_000 };

/**
 * A client of the app at `url` (its page's address). With the app's type, `predict` takes and
 * returns its wire types, so a wrong input does not compile; without it, inputs are checked at run
 * time against the server's description.
 *
 * @example
 * import { connect } from 'vitrine/client';
 * import type app from './app.ts';
 * const client = connect<typeof app>('http://127.0.0.1:7860/');
 * const { label } = await client.predict({ image: './sneaker.png' });
 */
export function connect<App = undefined>(url: string | URL, options: ConnectOptions = {}): Client<App> {
  const base = baseUrl(url);
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const retries = options.retries ?? DEFAULTS.retries;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? DEFAULTS.maxRetryDelayMs;
  const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  let description: Promise<AppDescription> | undefined;

  function describe(): Promise<AppDescription> {
    description ??= (async () => {
      const res = await send(() => fetchImpl(new URL('openapi.json', base), { headers }));
      if (!res.ok) throw await errorFromResponse(res);
      return describeOpenApi(await res.json());
    })();
    // A failed fetch is not kept: the next call asks again.
    description.catch(() => (description = undefined));
    return description;
  }

  function submit(inputs: PredictInputs<App>, callOptions: CallOptions = {}): Job<PredictOutputs<App>> {
    const events = eventStream<PredictOutputs<App>>();
    const result = (async () => {
      const values = inputs as Record<string, unknown>;
      const app = options.validate === false ? undefined : await describe();
      if (app) checkInputs(values, app);
      const { body, contentType } = await requestBody(values, app);
      for (let attempt = 1; ; attempt++) {
        events.push({ type: 'sending', attempt });
        const res = await send(() =>
          fetchImpl(new URL('api/predict', base), {
            method: 'POST',
            // The server streams progress and partial outputs to a client that accepts events, else answers JSON.
            headers: { ...headers, accept: PREDICT_ACCEPT, ...(contentType === undefined ? {} : { 'content-type': contentType }) },
            body,
            signal: callOptions.signal ?? null,
          }),
        );
        if (res.ok && isEventStream(res)) return readStream<PredictOutputs<App>>(res, events.push);
        if (res.ok) return (await res.json()) as PredictOutputs<App>;
        const error = await errorFromResponse(res);
        const waitMs = error.retryAfter === undefined ? undefined : error.retryAfter * 1000;
        if (res.status !== 503 || waitMs === undefined || attempt > retries || waitMs > maxRetryDelayMs) throw error;
        events.push({ type: 'waiting', code: error.code === 'BAD_RESPONSE' ? undefined : (error.code as ErrorCode), retryInMs: waitMs, attempt });
        await sleep(waitMs, callOptions.signal);
      }
    })().then(
      (outputs) => {
        events.push({ type: 'complete', outputs });
        events.end();
        return outputs;
      },
      (err: unknown) => {
        const error = err instanceof VitrineClientError ? err : new VitrineClientError('NETWORK_ERROR', String(err), { cause: err });
        events.push({ type: 'error', error });
        events.end();
        throw error;
      },
    );
    // Whoever only iterates the events must not get an unhandled rejection; `result` still rejects.
    result.catch(() => {});
    return { result, [Symbol.asyncIterator]: events.iterator };
  }

  return {
    url: base.href,
    predict: (inputs, callOptions) => submit(inputs, callOptions).result,
    submit,
    describe,
  };
}

/**
 * Reads a predict event stream to its `complete` message, passing on progress and partial outputs;
 * an `error` message is thrown as the server's error.
 */
async function readStream<Outputs>(res: Response, push: (event: JobEvent<Outputs>) => void): Promise<Outputs> {
  try {
    for await (const { event, data } of readEvents(res.body!)) {
      const value = JSON.parse(data) as Record<string, unknown>;
      const outputs = value as Outputs;
      if (event === 'progress') {
        push({ type: 'progress', progress: typeof value.progress === 'number' ? value.progress : null, ...(typeof value.desc === 'string' ? { description: value.desc } : {}) });
      } else if (event === 'partial') push({ type: 'partial', outputs });
      else if (event === 'complete') return outputs;
      else if (event === 'error') throw errorFromBody(value, typeof value.status === 'number' ? value.status : 500);
    }
  } catch (err) {
    if (err instanceof VitrineClientError) throw err;
    if ((err as { name?: unknown }).name === 'AbortError') throw new VitrineClientError('ABORTED', 'the call was aborted', { cause: err });
    throw new VitrineClientError('BAD_RESPONSE', `the server's event stream broke off: ${String(err)}`, { cause: err });
  }
  throw new VitrineClientError('BAD_RESPONSE', 'the server closed the event stream before the result');
}

/** `http://host/app` and `http://host/app/` both mean the app at `/app/`; a relative URL resolves against the page. */
function baseUrl(url: string | URL): URL {
  const page = (globalThis as { location?: { href: string } }).location?.href;
  const u = new URL(url, page);
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  u.search = '';
  u.hash = '';
  return u;
}

/** fetch, with its failures as client errors (the request never got an answer). */
async function send(request: () => Promise<Response>): Promise<Response> {
  try {
    return await request();
  } catch (err) {
    if ((err as { name?: unknown }).name === 'AbortError') throw new VitrineClientError('ABORTED', 'the call was aborted', { cause: err });
    throw new VitrineClientError('NETWORK_ERROR', `no answer from the server: ${(err as { cause?: { code?: string } }).cause?.code ?? String(err)}`, { cause: err });
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolveSleep, reject) => {
    if (signal?.aborted) return reject(new VitrineClientError('ABORTED', 'the call was aborted'));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new VitrineClientError('ABORTED', 'the call was aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolveSleep();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Events kept in order from the start, so an iterator opened late still sees every one. */
function eventStream<Outputs>() {
  const seen: Array<JobEvent<Outputs>> = [];
  const waiting = new Set<() => void>();
  let ended = false;
  const wake = () => {
    for (const w of waiting) w();
    waiting.clear();
  };
  return {
    push(event: JobEvent<Outputs>) {
      seen.push(event);
      wake();
    },
    end() {
      ended = true;
      wake();
    },
    iterator(): AsyncIterator<JobEvent<Outputs>> {
      let next = 0;
      return {
        async next() {
          while (next >= seen.length && !ended) await new Promise<void>((r) => waiting.add(r));
          return next < seen.length ? { value: seen[next++]!, done: false } : { value: undefined, done: true };
        },
      };
    },
  };
}
