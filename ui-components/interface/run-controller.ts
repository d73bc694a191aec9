/** Running an interface: one prediction at a time, its busy state, status line and error, and the last result (which Flag sends). */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isApiError } from '../internal/config.ts';
import { PREDICT_ACCEPT, readPredictAnswer, type ProgressReport } from '../internal/predict-answer.ts';

/** A successful run: what was sent, what came back and the server's id for it. */
export interface Run {
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  requestId: string | null;
}

/** A failed run, as `vt-error` tells it: the API's code when it sent one. */
export interface RunFailure {
  error: string;
  message: string;
  status: number | null;
  /** The app's own error message and stack frames: only a development server sends them. */
  detail?: string;
}

/** What the run controller needs from its host. */
export interface RunOptions {
  /** The predict URL, absolute. */
  url: () => URL;
  /** Extra request headers (the bearer token). */
  headers: () => Record<string, string>;
  /** Told every answer's status (a 401 asks for a token). */
  onStatus?: (status: number) => void;
  /** A streaming function yielded partial outputs: show them while it goes on. */
  onPartial?: (outputs: Record<string, unknown>) => void;
  /** The outputs came back: show them. */
  onResult: (run: Run) => void;
  /** The run failed: clear the outputs, tell listeners. */
  onFailure: (failure: RunFailure) => void;
  fetch?: typeof fetch;
}

/**
 * One prediction at a time: a new run cancels the one in flight, Clear and Stop cancel it too
 * (the request is aborted, which stops a streaming function on the server).
 *
 * @example
 * const run = new RunController(this, { url: () => new URL('api/predict', base), headers: () => ({}), onResult, onFailure });
 * const signal = run.begin();
 * await run.send(signal, { text: 'hi' });
 */
export class RunController implements ReactiveController {
  busy = false;
  /** The error shown inline, empty when there is none. */
  problem = '';
  /** Under the error, what a development server said about it (the app's message and frames); else empty. */
  problemDetail = '';
  /** The status line: running, loading an example, done in … s. */
  status = '';
  /** The last successful run, which the Flag button sends. */
  last: Run | null = null;
  /** The running function's last progress report; null until it sends one (an indeterminate bar shows then). */
  progress: ProgressReport | null = null;
  readonly #host: ReactiveControllerHost;
  readonly #opts: RunOptions;
  #current: AbortController | null = null;

  constructor(host: ReactiveControllerHost, opts: RunOptions) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.cancel();
  }

  /**
   * Starts a run, cancelling the one in flight; the signal aborts when this run is cancelled.
   *
   * @example
   * const signal = run.begin('Loading the example…');
   */
  begin(status = 'Running…'): AbortSignal {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    this.busy = true;
    this.progress = null;
    this.problem = '';
    this.problemDetail = '';
    this.status = status;
    this.last = null;
    this.#host.requestUpdate();
    return controller.signal;
  }

  /** Cancels the run in flight and forgets the last result and error (Clear). */
  cancel(): void {
    this.#current?.abort();
    this.#current = null;
    this.busy = false;
    this.problem = '';
    this.problemDetail = '';
    this.status = '';
    this.last = null;
    this.#host.requestUpdate();
  }

  /**
   * Stops the run in flight and keeps what it showed (a streaming function's last partial outputs).
   *
   * @example
   * stopButton.onclick = () => run.stop();
   */
  stop(): void {
    if (!this.busy) return;
    this.#current?.abort();
    this.#current = null;
    this.busy = false;
    this.status = 'Stopped.';
    this.#host.requestUpdate();
  }

  /**
   * Sends the inputs as JSON to the predict URL and reports the partial outputs as they stream,
   * then the outputs or the failure; a run cancelled meanwhile reports nothing more.
   */
  async send(signal: AbortSignal, inputs: Record<string, unknown>): Promise<void> {
    const started = performance.now();
    try {
      const response = await (this.#opts.fetch ?? fetch)(this.#opts.url(), {
        method: 'POST',
        // The answer streams the function's progress reports, if it makes any, before the result.
        headers: { 'content-type': 'application/json', accept: PREDICT_ACCEPT, ...this.#opts.headers() },
        body: JSON.stringify(inputs),
        signal,
      });
      const answer = await readPredictAnswer(
        response,
        (report) => {
          if (this.#current?.signal !== signal) return;
          this.progress = report;
          this.#host.requestUpdate();
        },
        (outputs) => {
          if (this.#current?.signal === signal) this.#opts.onPartial?.(outputs);
        },
      );
      const body = answer.body;
      if (signal.aborted) return;
      this.#opts.onStatus?.(answer.status);
      if (!answer.ok || typeof body !== 'object' || body === null || Array.isArray(body)) {
        if (isApiError(body)) this.fail({ error: body.error, message: body.message, status: answer.status, ...(typeof body.detail === 'string' ? { detail: body.detail } : {}) });
        else this.fail({ error: 'HTTP_ERROR', message: `The server answered ${response.status} ${response.statusText}`.trim(), status: answer.status });
        return;
      }
      this.last = { inputs, outputs: body as Record<string, unknown>, requestId: response.headers.get('x-request-id') };
      this.status = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`;
      this.#opts.onResult(this.last);
    } catch (err) {
      if (signal.aborted) return;
      this.fail({ error: 'NETWORK_ERROR', message: `Could not reach the server: ${err instanceof Error ? err.message : String(err)}`, status: null });
    } finally {
      this.end(signal);
    }
  }

  /** Shows a failure inline (the API's message, or what went wrong before it) and reports it. */
  fail(failure: RunFailure): void {
    this.problem = failure.message;
    this.problemDetail = failure.detail ?? '';
    this.status = '';
    this.#host.requestUpdate();
    this.#opts.onFailure(failure);
  }

  /** Ends the run `signal` belongs to, unless a newer one has started. */
  end(signal: AbortSignal): void {
    if (this.#current?.signal !== signal) return;
    this.#current = null;
    this.busy = false;
    this.#host.requestUpdate();
  }
}
