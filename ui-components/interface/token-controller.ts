/** The bearer token `<vt-interface>` sends: given as an attribute, or asked for after a 401 and kept for the tab. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What the token controller needs from its host and the page. */
export interface TokenOptions {
  /** The token set on the element (`token="…"`); it wins over one typed in. */
  given: () => string;
  /** The key this interface's token is kept under: one per interface. */
  key: () => string;
  /** Where a typed token is kept for the tab; absent or throwing (a sandboxed frame), it stays in memory. */
  storage?: () => Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

/**
 * Knows the token to send, and whether the page must ask for one: the API answered 401.
 *
 * @example
 * const token = new TokenController(this, { given: () => this.token, key: () => `vitrine-token:${base}` });
 * fetch(url, { headers: { ...token.header() } });
 */
export class TokenController implements ReactiveController {
  /** The API refused a request for want of a token: the token form is shown. */
  needed = false;
  readonly #host: ReactiveControllerHost;
  readonly #opts: TokenOptions;
  /** A token typed into the page, for when storage cannot keep it. */
  #typed = '';

  constructor(host: ReactiveControllerHost, opts: TokenOptions) {
    this.#host = host;
    this.#opts = opts;
    host.addController(this);
  }

  hostConnected(): void {}

  /** The Authorization header for an API call, when a token is known. */
  header(): Record<string, string> {
    let token = this.#opts.given() || this.#typed;
    if (!token) {
      try {
        token = this.#storage()?.getItem(this.#opts.key()) ?? '';
      } catch {
        // Storage can be off (a sandboxed frame): only a typed token is known then.
      }
    }
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** Notes an API answer's status: a 401 means the page must ask for a token. */
  noteStatus(status: number): void {
    if (status !== 401 || this.needed) return;
    this.needed = true;
    this.#host.requestUpdate();
  }

  /**
   * Keeps a token the user typed, for this tab, and stops asking; false when it is empty.
   *
   * @example
   * if (token.use(field.value)) void this.submit();
   */
  use(typed: string): boolean {
    const token = typed.trim();
    if (!token) return false;
    this.#typed = token;
    try {
      this.#storage()?.setItem(this.#opts.key(), token);
    } catch {
      // Kept in memory for as long as the page is open.
    }
    this.needed = false;
    this.#host.requestUpdate();
    return true;
  }

  #storage(): Pick<Storage, 'getItem' | 'setItem'> | undefined {
    return this.#opts.storage ? this.#opts.storage() : globalThis.sessionStorage;
  }
}
