/** Flagging the last result: sends its inputs, outputs, request id and an optional reason, once per result. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isApiError } from '../internal/config.ts';
import type { Run } from './run-controller.ts';

export type FlagState = 'idle' | 'sending' | 'sent' | 'failed';

/** What the flag controller needs from its host. */
export interface FlagOptions {
  /** The flag URL, absolute; null when the server has flagging off. */
  url: () => URL | null;
  /** Extra request headers (the bearer token). */
  headers: () => Record<string, string>;
  /** Told every answer's status (a 401 asks for a token). */
  onStatus?: (status: number) => void;
  fetch?: typeof fetch;
}

/**
 * Sends `POST api/flag` for a result, at most once per result.
 *
 * @example
 * const flag = new FlagController(this, { url: () => new URL('api/flag', base), headers: () => ({}) });
 * if (await flag.send(run.last, 'it is a sandal')) reasonInput.value = '';
 */
export class FlagController implements ReactiveController {
  state: FlagState = 'idle';
  /** The status line under the Flag button. */
  message = '';
  readonly #host: ReactiveControllerHost;
  readonly #opts: FlagOptions;
  /** The result being or last flagged: a new result makes an answer about an older one moot. */
  #for: Run | null = null;

  constructor(host: ReactiveControllerHost, opts: FlagOptions) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Forgets the last flag (a new run started). */
  reset(): void {
    this.#for = null;
    this.state = 'idle';
    this.message = '';
    this.#host.requestUpdate();
  }

  /**
   * Sends the flag; true once it is stored. Does nothing while one is sending or after it was
   * sent, or when flagging is off.
   */
  async send(run: Run, reason: string): Promise<boolean> {
    const url = this.#opts.url();
    if (url === null || this.state === 'sending' || this.state === 'sent') return false;
    this.#for = run;
    this.#set('sending', 'Sending the flag…');
    const trimmed = reason.trim();
    try {
      const response = await (this.#opts.fetch ?? fetch)(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.#opts.headers() },
        body: JSON.stringify({
          inputs: run.inputs,
          outputs: run.outputs,
          ...(trimmed ? { reason: trimmed } : {}),
          ...(run.requestId ? { requestId: run.requestId } : {}),
        }),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (this.#for !== run) return false;
      this.#opts.onStatus?.(response.status);
      if (!response.ok) {
        this.#set('failed', `Could not flag: ${isApiError(body) ? body.message : `the server answered ${response.status}`}`);
        return false;
      }
      this.#set('sent', 'Flagged. Thank you.');
      return true;
    } catch (err) {
      if (this.#for === run) this.#set('failed', `Could not flag: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  #set(state: FlagState, message: string): void {
    this.state = state;
    this.message = message;
    this.#host.requestUpdate();
  }
}
