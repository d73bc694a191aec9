/** `<vt-interface>`: fetches an interface's `/api/config` and builds its whole demo from it. */
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  isApiError,
  parseConfig,
  resolveBase,
  type ComponentConfig,
  type InterfaceConfig,
} from '../internal/config.ts';
import type { FieldElement } from '../internal/field-element.ts';
import { urlToDataUrl } from '../internal/files.ts';
import { PREDICT_ACCEPT, readPredictAnswer, type ProgressReport } from '../internal/predict-answer.ts';
import { renderMarkdown } from '../internal/markdown-render.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { VitrineElement } from '../internal/vitrine-element.ts';
import { apiSnippets } from './api-snippets.ts';
import { gradioSnippets } from './gradio-snippets.ts';
import { interfaceStyles } from './interface.styles.ts';
import '../progress/progress.ts';

/** The only tags a config may ask for: a remote config must not create arbitrary elements. */
const FIELD_TAGS = new Set(['vt-image', 'vt-label', 'vt-textbox', 'vt-number', 'vt-slider', 'vt-checkbox', 'vt-dropdown', 'vt-json']);
/** Set by the interface itself, never from a config's props. */
const RESERVED_PROPS = new Set(['name', 'label', 'info', 'readonly', 'disabled']);

type AnyField = FieldElement<unknown>;

/** One built input or output: its config entry, its element and the value Clear puts back. */
interface Field {
  config: ComponentConfig;
  el: AnyField;
  initial: unknown;
}

/** Dataset-sized thumbnails (28×28) are scaled up without smoothing; photos keep smooth scaling. */
function onThumbnailLoad(event: Event): void {
  const img = event.target as HTMLImageElement;
  img.classList.toggle('pixelated', img.naturalWidth <= 64 && img.naturalHeight <= 64);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The whole demo: title, description, inputs, Submit and Clear, outputs, examples, a "Use via API"
 * panel and the article. `src` may be another origin (the server must allow it via CORS).
 *
 * @event vt-load - The config is loaded and the demo is built.
 * @event vt-submit - The user ran the interface (Submit, Ctrl+Enter or an example).
 * @event vt-result - A prediction came back; the outputs show it.
 * @event vt-error - A prediction failed; the message is shown inline.
 * @csspart base - The wrapper. @csspart header - Title and description. @csspart title - The h1.
 * @csspart description - The description. @csspart inputs-panel, outputs-panel - The two panels.
 * @csspart input, output - Each input and output element. @csspart submit-button, clear-button - The actions.
 * @csspart error - The inline API error. @csspart examples - The gallery. @csspart example - One example.
 * @csspart api - The "Use via API" panel. @csspart article - The article.
 * @csspart flag - The reason box and Flag button shown after a result. @csspart flag-button - The Flag button.
 * @csspart token - The access-token form, shown when the API answers 401.
 * @csspart progress - The progress bar, shown while a function that reports progress runs.
 */
export class VtInterface extends VitrineElement {
  static override styles = [themeStyles, interfaceStyles];

  /** The interface's base URL (absolute or relative to the page); empty means the page's own directory. */
  @property() src = '';

  /**
   * Bearer token for a server started with `VITRINE_TOKEN`. Left empty, the page asks for one
   * when the API answers 401 and keeps it for this tab (sessionStorage).
   */
  @property() token = '';

  @state() private config: InterfaceConfig | null = null;
  @state() private loadProblem = '';
  @state() private busy = false;
  @state() private problem = '';
  @state() private status = '';
  @state() private copied = '';
  /** The running function's last progress report; null until it sends one (an indeterminate bar shows then). */
  @state() private progress: ProgressReport | null = null;
  /** The last successful run, which the Flag button sends. */
  @state() private lastRun: { inputs: Record<string, unknown>; outputs: Record<string, unknown>; requestId: string | null } | null = null;
  @state() private flagState: 'idle' | 'sending' | 'sent' | 'failed' = 'idle';
  @state() private flagMessage = '';
  /** The API refused the request for want of a token: the token field is shown. */
  @state() private needsToken = false;
  /** A token typed into the page, when sessionStorage cannot keep it. */
  private typedToken = '';

  /** Example images already fetched, as data URLs, by absolute URL. */
  @state() private exampleImages = new Map<string, string>();

  private inputs: Field[] = [];
  private outputs: Field[] = [];
  private loadedFrom: string | null = null;
  private loadController: AbortController | null = null;
  private runController: AbortController | null = null;

  /** The absolute base URL every config URL resolves against (always ends in `/`). */
  get baseUrl(): URL {
    return resolveBase(this.src, document.baseURI);
  }

  /** The loaded config, or null while loading or after a failure. */
  get interfaceConfig(): InterfaceConfig | null {
    return this.config;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runController?.abort();
    this.loadController?.abort();
    // Reconnecting reloads only if the config never arrived.
    if (this.config === null) this.loadedFrom = null;
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    let base: string;
    try {
      base = this.baseUrl.href;
    } catch {
      if (this.loadedFrom !== `invalid:${this.src}`) {
        this.loadedFrom = `invalid:${this.src}`;
        this.loadController?.abort();
        this.config = null;
        this.loadProblem = `Could not load the interface: "${this.src}" is not a valid URL`;
      }
      return;
    }
    if (base !== this.loadedFrom) {
      this.loadedFrom = base;
      void this.load(base);
    }
  }

  private async load(base: string): Promise<void> {
    this.loadController?.abort();
    this.runController?.abort();
    const controller = new AbortController();
    this.loadController = controller;
    this.config = null;
    this.loadProblem = '';
    this.problem = '';
    this.status = '';
    this.busy = false;
    try {
      const response = await fetch(new URL('api/config', base), { signal: controller.signal, headers: { accept: 'application/json' } });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw new Error(isApiError(body) ? body.message : `the server answered ${response.status}`);
      const config = parseConfig(body);
      this.inputs = config.inputs.map((entry) => this.createField(entry, false));
      this.outputs = config.outputs.map((entry) => this.createField(entry, true));
      this.config = config;
      this.exampleImages = new Map();
      await this.updateComplete;
      this.emit('vt-load', { config });
      if (new URL(base).origin !== location.origin) void this.prefetchExampleImages(config, controller.signal);
    } catch (err) {
      if (controller.signal.aborted) return;
      this.loadProblem = `Could not load the interface from ${base}: ${errorMessage(err)}`;
    }
  }

  /**
   * An embedding page's CSP allows the interface's origin in connect-src (the API needs it) but
   * rarely in img-src, so cross-origin thumbnails are fetched and shown as data URLs.
   */
  private async prefetchExampleImages(config: InterfaceConfig, signal: AbortSignal): Promise<void> {
    const urls = new Set<string>();
    for (const example of config.examples.slice(0, 48)) {
      for (const { config: entry } of this.inputs) {
        const value = example[entry.name];
        if (entry.kind === 'image' && typeof value === 'string' && !value.startsWith('data:')) urls.add(new URL(value, this.baseUrl).href);
      }
    }
    for (const url of urls) {
      try {
        const data = await urlToDataUrl(new URL(url), signal);
        this.exampleImages = new Map(this.exampleImages).set(url, data);
      } catch {
        if (signal.aborted) return;
      }
    }
  }

  /** An example image's value: the cached data URL when there is one, else fetched now. */
  private async exampleImage(url: URL, signal: AbortSignal): Promise<string> {
    return this.exampleImages.get(url.href) ?? urlToDataUrl(url, signal);
  }

  private createField(entry: ComponentConfig, output: boolean): Field {
    const tag = FIELD_TAGS.has(entry.tag) && customElements.get(entry.tag) !== undefined ? entry.tag : 'vt-json';
    const el = document.createElement(tag) as AnyField;
    const declared = (el.constructor as typeof VitrineElement).elementProperties;
    for (const [key, value] of Object.entries(entry.props)) {
      // Only the element's declared reactive properties, and never null: a config from another
      // origin must not reach innerHTML or event handlers, and null means "unset" on the wire.
      if (declared.has(key) && !RESERVED_PROPS.has(key) && value !== null) (el as unknown as Record<string, unknown>)[key] = value;
    }
    el.name = entry.name;
    el.label = entry.label ?? entry.name;
    el.info = entry.info ?? '';
    el.readonly = output;
    el.setAttribute('part', output ? 'output' : 'input');
    return { config: entry, el, initial: el.value };
  }

  /**
   * Sends the current input values to the predict endpoint and shows the outputs or the API's
   * error message.
   *
   * @example
   * document.querySelector('vt-interface')?.submit();
   */
  async submit(): Promise<void> {
    if (this.config === null) return;
    for (const { el } of this.inputs) if (!el.reportValidity()) return;
    await this.run(this.beginRun());
  }

  /** Resets every input and output, drops the error and cancels a running request. */
  clear(): void {
    this.runController?.abort();
    this.runController = null;
    this.busy = false;
    for (const { el, initial } of [...this.inputs, ...this.outputs]) {
      el.reset();
      if (initial !== null && initial !== undefined) el.value = initial;
    }
    this.problem = '';
    this.status = '';
    this.lastRun = null;
  }

  private beginRun(): AbortController {
    this.runController?.abort();
    const controller = new AbortController();
    this.runController = controller;
    this.busy = true;
    this.progress = null;
    this.problem = '';
    this.status = 'Running…';
    this.lastRun = null;
    this.flagState = 'idle';
    this.flagMessage = '';
    return controller;
  }

  private endRun(controller: AbortController): void {
    if (this.runController !== controller) return;
    this.runController = null;
    this.busy = false;
  }

  private async run(controller: AbortController): Promise<void> {
    const config = this.config;
    if (config === null) return;
    const inputs: Record<string, unknown> = {};
    // A missing value is left out so the API answers with its own "missing input" message.
    for (const { config: entry, el } of this.inputs) if (el.value !== null && el.value !== undefined) inputs[entry.name] = el.value;
    this.emit('vt-submit', { inputs });
    const started = performance.now();
    try {
      const response = await fetch(new URL(config.api.predict, this.baseUrl), {
        method: 'POST',
        // The answer streams the function's progress reports, if it makes any, before the result.
        headers: { 'content-type': 'application/json', accept: PREDICT_ACCEPT, ...this.authorization() },
        body: JSON.stringify(inputs),
        signal: controller.signal,
      });
      const answer = await readPredictAnswer(response, (report) => {
        if (this.runController === controller) this.progress = report;
      });
      const body = answer.body;
      if (controller.signal.aborted) return;
      if (answer.status === 401) this.needsToken = true;
      if (!answer.ok || !isRecord(body)) {
        if (isApiError(body)) this.fail(body.error, body.message, answer.status);
        else this.fail('HTTP_ERROR', `The server answered ${response.status} ${response.statusText}`.trim(), answer.status);
        return;
      }
      for (const { config: entry, el } of this.outputs) el.value = body[entry.name] ?? null;
      this.lastRun = { inputs, outputs: body, requestId: response.headers.get('x-request-id') };
      this.status = `Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`;
      this.emit('vt-result', { outputs: body });
    } catch (err) {
      if (controller.signal.aborted) return;
      this.fail('NETWORK_ERROR', `Could not reach the server: ${errorMessage(err)}`, null);
    } finally {
      this.endRun(controller);
    }
  }

  /** Where this tab keeps a typed token: one key per interface. */
  private get tokenKey(): string {
    return `vitrine-token:${this.baseUrl.href}`;
  }

  /** The Authorization header for the API calls, when a token is known. */
  private authorization(): Record<string, string> {
    let token = this.token || this.typedToken;
    if (!token) {
      try {
        token = sessionStorage.getItem(this.tokenKey) ?? '';
      } catch {
        // Storage can be off (a sandboxed frame): the typed token stays in memory only.
      }
    }
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  /** Keeps the typed token for this tab and runs again with it. */
  private useToken(event: SubmitEvent): void {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#token');
    const token = field?.value.trim() ?? '';
    if (!token) return;
    this.typedToken = token;
    try {
      sessionStorage.setItem(this.tokenKey, token);
    } catch {
      // Kept in memory for as long as the page is open.
    }
    this.needsToken = false;
    if (!this.busy) void this.submit();
  }

  private renderToken() {
    if (!this.needsToken) return nothing;
    return html`<form class="token" part="token" @submit=${this.useToken}>
      <label for="token">This demo needs an access token</label>
      <input id="token" class="control" type="password" autocomplete="off" spellcheck="false" required />
      <button type="submit" class="button">Use token</button>
    </form>`;
  }

  private fail(error: string, message: string, status: number | null): void {
    this.problem = message;
    this.status = '';
    for (const { el } of this.outputs) el.reset();
    this.emit('vt-error', { error, message, status });
  }

  /** Sends the last run's inputs and outputs, and the optional reason, to the flag endpoint. */
  private async flag(): Promise<void> {
    const config = this.config;
    const run = this.lastRun;
    if (config === null || config.api.flag === null || run === null || this.flagState === 'sending' || this.flagState === 'sent') return;
    const reasonInput = this.renderRoot.querySelector<HTMLInputElement>('#flag-reason');
    const reason = reasonInput?.value.trim() ?? '';
    this.flagState = 'sending';
    this.flagMessage = 'Sending the flag…';
    try {
      const response = await fetch(new URL(config.api.flag, this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.authorization() },
        body: JSON.stringify({
          inputs: run.inputs,
          outputs: run.outputs,
          ...(reason ? { reason } : {}),
          ...(run.requestId ? { requestId: run.requestId } : {}),
        }),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (this.lastRun !== run) return;
      if (response.status === 401) this.needsToken = true;
      if (!response.ok) {
        this.flagState = 'failed';
        this.flagMessage = `Could not flag: ${isApiError(body) ? body.message : `the server answered ${response.status}`}`;
        return;
      }
      this.flagState = 'sent';
      this.flagMessage = 'Flagged. Thank you.';
      if (reasonInput) reasonInput.value = '';
    } catch (err) {
      if (this.lastRun !== run) return;
      this.flagState = 'failed';
      this.flagMessage = `Could not flag: ${errorMessage(err)}`;
    }
  }

  private renderFlag(config: InterfaceConfig) {
    if (config.api.flag === null || this.lastRun === null) return nothing;
    const sent = this.flagState === 'sent';
    return html`<div class="flag-wrap"><div class="flag" part="flag">
      <label class="visually-hidden" for="flag-reason">Why flag this result? (optional)</label>
      <input id="flag-reason" class="control" type="text" maxlength="1000" placeholder="Why flag this result? (optional)" ?disabled=${sent} />
      <button
        type="button"
        class="button"
        part="flag-button"
        aria-disabled=${this.flagState === 'sending' || sent ? 'true' : 'false'}
        @click=${() => void this.flag()}
      >
        ${sent ? 'Flagged' : 'Flag'}
      </button>
    </div>
    <p class="status flag-status ${this.flagState === 'failed' ? 'failed' : ''}" role="status">${this.flagMessage}</p></div>`;
  }

  private async runExample(index: number): Promise<void> {
    const config = this.config;
    const example = config?.examples[index];
    if (config === null || example === undefined) return;
    const controller = this.beginRun();
    this.status = 'Loading the example…';
    try {
      const values = await Promise.all(
        this.inputs.map(async ({ config: entry }) => {
          const value = example[entry.name];
          if (entry.kind === 'image' && typeof value === 'string' && !value.startsWith('data:')) {
            return this.exampleImage(new URL(value, this.baseUrl), controller.signal);
          }
          return value;
        }),
      );
      if (controller.signal.aborted) return;
      this.inputs.forEach(({ el }, i) => {
        const value = values[i];
        if (value !== undefined) el.value = value;
      });
    } catch (err) {
      if (controller.signal.aborted) return;
      this.fail('EXAMPLE_UNAVAILABLE', `Could not load example ${index + 1}: ${errorMessage(err)}`, null);
      this.endRun(controller);
      return;
    }
    await this.run(controller);
  }

  private onInputsKeydown(event: KeyboardEvent): void {
    // Ctrl+Enter (⌘+Enter) runs from any input, as in most notebook-style tools.
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void this.submit();
    }
  }

  private onSubmitClick(): void {
    // The button stays focusable while busy (aria-disabled, not disabled) so keyboard focus is kept.
    if (!this.busy) void this.submit();
  }

  private async copy(what: string, text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = what;
    } catch {
      this.copied = `${what}-failed`;
    }
  }

  private renderExamples(config: InterfaceConfig) {
    if (config.examples.length === 0 || this.inputs.length === 0) return nothing;
    const base = this.baseUrl;
    const sameOrigin = base.origin === location.origin;
    return html`<section class="examples" part="examples" aria-labelledby="examples-heading">
      <h2 id="examples-heading" class="section-title">Examples</h2>
      <ul class="gallery" role="list">
        ${config.examples.map((example, index) => {
          const parts = this.inputs
            .filter(({ config: entry }) => example[entry.name] !== undefined)
            .map(({ config: entry }) => {
              const value = example[entry.name];
              if (entry.kind === 'image' && typeof value === 'string') {
                const absolute = value.startsWith('data:') ? value : new URL(value, base).href;
                const url = this.exampleImages.get(absolute) ?? (sameOrigin || absolute.startsWith('data:') ? absolute : null);
                const name = value.startsWith('data:') ? 'image' : decodeURIComponent(value.split('/').pop() ?? value);
                return { text: name, image: url };
              }
              const text = typeof value === 'string' ? value : JSON.stringify(value);
              return { text: text.length > 60 ? `${text.slice(0, 57)}…` : text, image: null };
            });
          const description = parts.map((p) => p.text).join(', ');
          return html`<li>
            <button
              type="button"
              class="example"
              part="example"
              aria-label=${`Run example ${index + 1}: ${description}`}
              @click=${() => void this.runExample(index)}
            >
              ${parts.map((p) =>
                p.image !== null
                  ? html`<img src=${p.image} alt="" loading="lazy" @load=${onThumbnailLoad} />`
                  : html`<span class="example-text">${p.text}</span>`,
              )}
            </button>
          </li>`;
        })}
      </ul>
    </section>`;
  }

  private renderApi(config: InterfaceConfig) {
    const base = this.baseUrl;
    const snippets = apiSnippets(config, base);
    const gradio = gradioSnippets(config, base);
    const shown = [
      { what: 'curl', title: 'curl', text: snippets.curl },
      { what: 'javascript', title: 'JavaScript', text: snippets.javascript },
      { what: 'gradio-js', title: 'Gradio JS client (@gradio/client)', text: gradio.javascript },
      { what: 'gradio-python', title: 'Gradio Python client (gradio_client)', text: gradio.python },
    ];
    const docs = config.api.docs === null ? null : new URL(config.api.docs, base).href;
    const copyLabel = (what: string) => (this.copied === what ? 'Copied' : this.copied === `${what}-failed` ? 'Copy failed' : 'Copy');
    return html`<details class="api" part="api">
      <summary>Use via API</summary>
      <div class="api-body">
        <p>
          Send <code>POST</code> to <code>${snippets.url}</code> with one JSON key per input (images as
          <code>data:</code> URLs or base64), or <code>multipart/form-data</code> with one part per input. The answer has one key
          per output; errors are <code>{"error", "message"}</code>.
          ${docs === null ? nothing : html`<a href=${docs} target="_blank" rel="noopener">API docs</a>`}
        </p>
        <p>
          Gradio's clients work too, unchanged: the same calls as for a Gradio app on Hugging Face Spaces, with this URL.
        </p>
        ${shown.map(
          ({ what, title, text }) => html`<div class="snippet">
            <div class="snippet-head">
              <h3 class="snippet-title" id=${`snippet-${what}`}>${title}</h3>
              <button type="button" class="button small" aria-label=${`Copy the ${title} snippet`} @click=${() => void this.copy(what, text)}>
                ${copyLabel(what)}
              </button>
            </div>
            <pre tabindex="0" aria-labelledby=${`snippet-${what}`}><code>${text}</code></pre>
          </div>`,
        )}
      </div>
    </details>`;
  }

  private renderDemo(config: InterfaceConfig) {
    const base = this.baseUrl.href;
    return html`
      <div class="panels">
        <section class="panel" part="inputs-panel" aria-labelledby="inputs-heading" @keydown=${this.onInputsKeydown}>
          <h2 id="inputs-heading" class="section-title">Inputs</h2>
          <div class="fields">${this.inputs.map((f) => f.el)}</div>
          <div class="actions">
            <button type="button" class="button" part="clear-button" @click=${this.clear}>Clear</button>
            <button
              type="button"
              class="button primary submit"
              part="submit-button"
              aria-disabled=${this.busy ? 'true' : 'false'}
              aria-keyshortcuts="Control+Enter"
              @click=${this.onSubmitClick}
            >
              ${this.busy ? html`<span class="spinner" aria-hidden="true"></span>Running…` : 'Submit'}
            </button>
          </div>
        </section>
        <section class="panel outputs" part="outputs-panel" aria-labelledby="outputs-heading" aria-busy=${this.busy ? 'true' : 'false'}>
          <h2 id="outputs-heading" class="section-title">Outputs</h2>
          ${this.busy
            ? this.progress
              ? html`<vt-progress part="progress" .value=${this.progress.progress} .description=${this.progress.desc ?? ''}></vt-progress>`
              : html`<div class="progress" aria-hidden="true"></div>`
            : nothing}
          ${this.problem ? html`<div class="error" role="alert" part="error">${this.problem}</div>` : nothing}
          ${this.renderToken()}
          <div class="fields">${this.outputs.map((f) => f.el)}</div>
          <p class="status run-status" role="status">${this.status}</p>
          ${this.renderFlag(config)}
        </section>
      </div>
      ${this.renderExamples(config)} ${this.renderApi(config)}
      ${config.article === null
        ? nothing
        : html`<article class="article markdown" part="article">${renderMarkdown(config.article, base)}</article>`}
    `;
  }

  override render() {
    const config = this.config;
    return html`<div class="app" part="base">
      <header class="header" part="header">
        ${config === null ? nothing : html`<h1 part="title">${config.title}</h1>`}
        ${config?.description
          ? html`<div class="markdown description" part="description">${renderMarkdown(config.description, this.baseUrl.href)}</div>`
          : nothing}
      </header>
      ${this.loadProblem
        ? html`<div class="error" role="alert" part="error">${this.loadProblem}</div>`
        : config === null
          ? html`<p class="loading" role="status">Loading the interface…</p>`
          : this.renderDemo(config)}
    </div>`;
  }
}
