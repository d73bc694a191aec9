/** Whether one mounted app can answer: loading, ready or unavailable, and waiting (bounded) for the first load. */
import { ERRORS, VitrineError, formatMessage, isVitrineError } from '../errors.ts';

/** What `{base}/healthz` and the server's `/healthz` report about one app. */
export interface AppState {
  status: 'loading' | 'ready' | 'unavailable';
  reason?: string;
}

/**
 * Follows an executor's start: `loading` until it resolves (`ready`) or rejects (`unavailable`,
 * with the reason said once). A request that arrives while the app loads waits for it rather than
 * being refused, up to a bound, so a newcomer's first request is answered.
 *
 * @example
 * const app = new AppReadiness(executor.start(), { maxWaiting: 256, onUnavailable: (reason) => log.error(reason) });
 * await app.whenReady(60_000, request.signal); // throws MODEL_UNAVAILABLE (503) past the bound
 */
export class AppReadiness {
  #state: AppState = { status: 'loading' };
  readonly #settled: Promise<void>;
  readonly #maxWaiting: number;
  #waiting = 0;

  /** `maxWaiting`: requests allowed to wait for the load (the queue's length); one more is refused at once. */
  constructor(started: Promise<void>, opts: { maxWaiting?: number; onUnavailable?: (reason: string) => void } = {}) {
    this.#maxWaiting = opts.maxWaiting ?? Infinity;
    this.#settled = started.then(
      () => {
        this.#state = { status: 'ready' };
      },
      (err: unknown) => {
        this.#state = { status: 'unavailable', reason: loadFailureReason(err) };
        opts.onUnavailable?.(this.#state.reason!);
      },
    );
  }

  /** The app's state now. */
  get state(): AppState {
    return this.#state;
  }

  /**
   * Resolves once the app is ready: at once when it is, after the load when it is loading.
   * Rejects with MODEL_UNAVAILABLE when the load failed, when it is still loading after
   * `maxWaitMs` or `maxWaiting` others already wait (with `Retry-After`), or with `signal`'s
   * reason when the client goes away.
   */
  async whenReady(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#state.status === 'loading' && this.#waiting < this.#maxWaiting) {
      this.#waiting++;
      try {
        await this.#wait(maxWaitMs, signal);
      } finally {
        this.#waiting--;
      }
    }
    if (this.#state.status === 'unavailable') throw new VitrineError('MODEL_UNAVAILABLE', { reason: this.#state.reason ?? 'it failed to load' });
    if (this.#state.status === 'loading') {
      throw new VitrineError('MODEL_UNAVAILABLE', { reason: 'the model is still loading; retry in a moment' }, { 'retry-after': '1' });
    }
  }

  #wait(maxWaitMs: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const settle = (abortReason?: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (abortReason === undefined) resolve();
        else reject(abortReason);
      };
      const onAbort = () => settle(signal!.reason ?? new Error('aborted'));
      const timer = setTimeout(settle, maxWaitMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      void this.#settled.then(() => settle());
    });
  }
}

/** Why the app could not load, said once: a worker sends only the message, catalogue prefix included. */
export function loadFailureReason(err: unknown): string {
  if (isVitrineError(err) && err.code === 'MODEL_UNAVAILABLE' && typeof err.params.reason === 'string') return err.params.reason;
  const message = err instanceof Error ? err.message : String(err);
  const prefix = formatMessage(ERRORS.MODEL_UNAVAILABLE.message, { reason: '' });
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
