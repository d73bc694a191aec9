/** Loading an interface's `/api/config` whenever its base URL changes, and saying why when it cannot be loaded. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { isApiError, type InterfaceConfig } from '../internal/config.ts';

/** What the config controller needs from its host. */
export interface ConfigOptions {
  /** The interface's base URL, absolute and ending in `/`; throws when `src` is not a URL. */
  base: () => URL;
  /** The `src` as written, for the message when it is not a URL. */
  src: () => string;
  /** A new load begins: whatever was built from the last config is stale. */
  onLoading?: () => void;
  /** The config arrived: build the demo from it (`signal` aborts when a newer load starts). */
  onLoaded: (config: InterfaceConfig, base: URL, signal: AbortSignal) => void | Promise<void>;
  fetch?: typeof fetch;
}

/**
 * Loads `{base}api/config` when the host first updates and again whenever its base URL changes;
 * a load still running when the host is disconnected is dropped, and reconnecting retries it.
 * The body is the server's InterfaceConfig (one zod schema on the server; the page imports its
 * type): a body that is not one fails while the demo is built, and that failure is shown.
 *
 * @example
 * const config = new ConfigController(this, { base: () => this.baseUrl, src: () => this.src, onLoaded: (c) => this.build(c) });
 */
export class ConfigController implements ReactiveController {
  /** The loaded config, null while loading or after a failure. */
  config: InterfaceConfig | null = null;
  /** Why the config could not be loaded, empty otherwise. */
  problem = '';
  readonly #host: ReactiveControllerHost;
  readonly #opts: ConfigOptions;
  /** The base URL loaded (or being loaded) last, or `invalid:<src>`. */
  #loadedFrom: string | null = null;
  #current: AbortController | null = null;

  constructor(host: ReactiveControllerHost, opts: ConfigOptions) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {}

  /** Before each render: loads again if the base URL changed. */
  hostUpdate(): void {
    let base: URL;
    try {
      base = this.#opts.base();
    } catch {
      const key = `invalid:${this.#opts.src()}`;
      if (this.#loadedFrom !== key) {
        this.#loadedFrom = key;
        this.#current?.abort();
        this.config = null;
        this.problem = `Could not load the interface: "${this.#opts.src()}" is not a valid URL`;
      }
      return;
    }
    if (base.href !== this.#loadedFrom) {
      this.#loadedFrom = base.href;
      void this.#load(base);
    }
  }

  hostDisconnected(): void {
    this.#current?.abort();
    // Reconnecting loads again only if the config never arrived.
    if (this.config === null) this.#loadedFrom = null;
  }

  async #load(base: URL): Promise<void> {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    this.config = null;
    this.problem = '';
    this.#opts.onLoading?.();
    try {
      const response = await (this.#opts.fetch ?? fetch)(new URL('api/config', base), { signal: controller.signal, headers: { accept: 'application/json' } });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw new Error(isApiError(body) ? body.message : `the server answered ${response.status}`);
      if (controller.signal.aborted) return;
      this.config = body as InterfaceConfig;
      await this.#opts.onLoaded(this.config, base, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return;
      this.config = null;
      this.problem = `Could not load the interface from ${base.href}: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.#host.requestUpdate();
    }
  }
}
