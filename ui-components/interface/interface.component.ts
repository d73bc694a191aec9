/** `<vt-interface>`: fetches an interface's `/api/config` and builds its whole demo from it; its concerns live in controllers beside it. */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { resolveBase, type ComponentConfig, type InterfaceConfig } from '../internal/config.ts';
import { renderMarkdown } from '../internal/markdown-render.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { VitrineElement } from '../internal/vitrine-element.ts';
import { apiPanel } from './api-panel.ts';
import '../progress/progress.ts';
import { ConfigController } from './config-controller.ts';
import { ExamplesController } from './examples-controller.ts';
import { createField, loadElements, type Field } from './fields.ts';
import { FlagController } from './flag-controller.ts';
import { interfaceStyles } from './interface.styles.ts';
import { RunController } from './run-controller.ts';
import { TokenController } from './token-controller.ts';

/** `<vt-chat>`, a ChatInterface's page, as an entry {@link loadElements} loads from the bundle's `elements/` folder. */
const CHAT_ELEMENT: ComponentConfig = { name: 'chat', kind: 'chat', tag: 'vt-chat', element: 'elements/chat.js', file: false, sample: null, label: 'Chat', props: {} };

/** Dataset-sized thumbnails (28×28) are scaled up without smoothing; photos keep smooth scaling. */
function onThumbnailLoad(event: Event): void {
  const img = event.target as HTMLImageElement;
  img.classList.toggle('pixelated', img.naturalWidth <= 64 && img.naturalHeight <= 64);
}

/**
 * The whole demo: title, description, inputs, Submit and Clear, outputs, examples, a "Use via API"
 * panel and the article. `src` may be another origin (the server must allow it via CORS).
 *
 * @event vt-load - The config is loaded and the demo is built.
 * @event vt-submit - The user ran the interface (Submit, Ctrl+Enter or an example).
 * @event vt-partial - A streaming function sent partial outputs; the outputs show them.
 * @event vt-result - A prediction came back; the outputs show it.
 * @event vt-error - A prediction failed; the message is shown inline.
 * @csspart base - The wrapper. @csspart header - Title and description. @csspart title - The h1.
 * @csspart description - The description. @csspart inputs-panel, outputs-panel - The two panels.
 * @csspart input, output - Each input and output element. @csspart submit-button, clear-button, stop-button - The actions.
 * @csspart error - The inline API error. @csspart examples - The gallery. @csspart example - One example.
 * @csspart api - The "Use via API" panel. @csspart article - The article.
 * @csspart flag - The reason box and Flag button shown after a result. @csspart flag-button - The Flag button.
 * @csspart token - The access-token form, shown when the API answers 401.
 * @csspart progress - The progress bar, shown while a function that reports progress runs.
 * @csspart chat - A ChatInterface's `<vt-chat>`, shown instead of the inputs and outputs.
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

  /** Sends the predictions (default: `fetch` to the server); a static build answers them from a Web Worker this way. */
  @property({ attribute: false }) fetcher: typeof fetch | undefined;
  /** Which "Use via API" snippet was just copied (or failed to be). */
  @state() private copied = '';

  private inputs: Field[] = [];
  private outputs: Field[] = [];

  private readonly tokens = new TokenController(this, { given: () => this.token, key: () => `vitrine-token:${this.baseUrl.href}` });
  private readonly examples = new ExamplesController(this);
  private readonly runs = new RunController(this, {
    url: () => new URL(this.config.config?.api.predict ?? 'api/predict', this.baseUrl),
    headers: () => this.tokens.header(),
    fetch: (input, init) => (this.fetcher ?? fetch)(input, init),
    onStatus: (status) => this.tokens.noteStatus(status),
    onPartial: (outputs) => {
      for (const { config: entry, el } of this.outputs) if (entry.name in outputs) el.value = outputs[entry.name] ?? null;
      this.emit('vt-partial', { outputs });
    },
    onResult: (run) => {
      for (const { config: entry, el } of this.outputs) el.value = run.outputs[entry.name] ?? null;
      this.emit('vt-result', { outputs: run.outputs });
    },
    onFailure: (failure) => {
      for (const { el } of this.outputs) el.reset();
      this.emit('vt-error', failure);
    },
  });
  /** What `<vt-chat>` (a ChatInterface's page) asks of this element: the token, and every answer's status. */
  private readonly chatHeaders = () => this.tokens.header();
  private readonly chatStatus = (status: number) => this.tokens.noteStatus(status);
  private readonly flags = new FlagController(this, {
    url: () => (this.config.config?.api.flag ? new URL(this.config.config.api.flag, this.baseUrl) : null),
    headers: () => this.tokens.header(),
    onStatus: (status) => this.tokens.noteStatus(status),
  });
  private readonly config = new ConfigController(this, {
    base: () => this.baseUrl,
    src: () => this.src,
    onLoading: () => this.runs.cancel(),
    onLoaded: async (config, base, signal) => {
      // A chat is one element of its own (with its inputs' elements: the history's draws the conversation), not fields.
      const fields = config.layout === 'chat' ? { inputs: [], outputs: [] } : config;
      await loadElements(fields === config ? [...config.inputs, ...config.outputs] : [...config.inputs, CHAT_ELEMENT]);
      this.inputs = fields.inputs.map((entry) => createField(entry, false));
      this.outputs = fields.outputs.map((entry) => createField(entry, true));
      this.examples.reset();
      this.requestUpdate();
      await this.updateComplete;
      this.emit('vt-load', { config });
      void this.examples.prefetch(
        config.examples.slice(0, 48).flatMap((example) => this.inputs.map(({ config: entry, el }) => el.exampleView(example[entry.name], base))),
        signal,
      );
    },
  });

  /** The absolute base URL every config URL resolves against (always ends in `/`). */
  get baseUrl(): URL {
    return resolveBase(this.src, document.baseURI);
  }

  /** The loaded config, or null while loading or after a failure. */
  get interfaceConfig(): InterfaceConfig | null {
    return this.config.config;
  }

  /**
   * Sends the current input values to the predict endpoint and shows the outputs or the API's
   * error message.
   *
   * @example
   * document.querySelector('vt-interface')?.submit();
   */
  async submit(): Promise<void> {
    if (this.config.config === null) return;
    for (const { el } of this.inputs) if (!el.reportValidity()) return;
    await this.send(this.begin());
  }

  /** Resets every input and output, drops the error and cancels a running request. */
  clear(): void {
    this.runs.cancel();
    for (const { el, initial } of [...this.inputs, ...this.outputs]) {
      el.reset();
      if (initial !== null && initial !== undefined) el.value = initial;
    }
  }

  private begin(status?: string): AbortSignal {
    this.flags.reset();
    return this.runs.begin(status);
  }

  /** Sends the inputs' current values; a missing value is left out so the API names it. */
  private async send(signal: AbortSignal): Promise<void> {
    const inputs: Record<string, unknown> = {};
    for (const { config: entry, el } of this.inputs) if (el.value !== null && el.value !== undefined) inputs[entry.name] = el.value;
    this.emit('vt-submit', { inputs });
    await this.runs.send(signal, inputs);
  }

  /** Keeps the typed token for this tab and runs again with it. */
  private useToken(event: SubmitEvent): void {
    event.preventDefault();
    const field = this.renderRoot.querySelector<HTMLInputElement>('#token');
    if (this.tokens.use(field?.value ?? '') && !this.runs.busy) void this.submit();
  }

  private renderToken() {
    if (!this.tokens.needed) return nothing;
    return html`<form class="token" part="token" @submit=${this.useToken}>
      <label for="token">This demo needs an access token</label>
      <input id="token" class="control" type="password" autocomplete="off" spellcheck="false" required />
      <button type="submit" class="button">Use token</button>
    </form>`;
  }

  /** Sends the last run's inputs and outputs, and the optional reason, to the flag endpoint. */
  private async flag(): Promise<void> {
    const run = this.runs.last;
    if (run === null) return;
    const reasonInput = this.renderRoot.querySelector<HTMLInputElement>('#flag-reason');
    if ((await this.flags.send(run, reasonInput?.value ?? '')) && reasonInput) reasonInput.value = '';
  }

  private renderFlag(config: InterfaceConfig) {
    if (config.api.flag === null || this.runs.last === null) return nothing;
    const sent = this.flags.state === 'sent';
    return html`<div class="flag-wrap"><div class="flag" part="flag">
      <label class="visually-hidden" for="flag-reason">Why flag this result? (optional)</label>
      <input id="flag-reason" class="control" type="text" maxlength="1000" placeholder="Why flag this result? (optional)" ?disabled=${sent} />
      <button
        type="button"
        class="button"
        part="flag-button"
        aria-disabled=${this.flags.state === 'sending' || sent ? 'true' : 'false'}
        @click=${() => void this.flag()}
      >
        ${sent ? 'Flagged' : 'Flag'}
      </button>
    </div>
    <p class="status flag-status ${this.flags.state === 'failed' ? 'failed' : ''}" role="status">${this.flags.message}</p></div>`;
  }

  private async runExample(index: number): Promise<void> {
    const example = this.config.config?.examples[index];
    if (example === undefined) return;
    const signal = this.begin('Loading the example…');
    try {
      const values = await Promise.all(
        this.inputs.map(({ config: entry, el }) => this.examples.value(el.exampleView(example[entry.name], this.baseUrl), example[entry.name], signal)),
      );
      if (signal.aborted) return;
      this.inputs.forEach(({ el }, i) => {
        const value = values[i];
        if (value !== undefined) el.value = value;
      });
    } catch (err) {
      if (signal.aborted) return;
      this.runs.fail({ error: 'EXAMPLE_UNAVAILABLE', message: `Could not load example ${index + 1}: ${err instanceof Error ? err.message : String(err)}`, status: null });
      this.runs.end(signal);
      return;
    }
    await this.send(signal);
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
    if (!this.runs.busy) void this.submit();
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
    return html`<section class="examples" part="examples" aria-labelledby="examples-heading">
      <h2 id="examples-heading" class="section-title">Examples</h2>
      <ul class="gallery" role="list">
        ${config.examples.map((example, index) => {
          const parts = this.inputs
            .filter(({ config: entry }) => example[entry.name] !== undefined)
            .map(({ config: entry, el }) => {
              const view = el.exampleView(example[entry.name], this.baseUrl);
              return { text: view.text, image: this.examples.thumbnail(view) };
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

  /** A ChatInterface: the chat instead of inputs beside outputs. */
  private renderChat(config: InterfaceConfig) {
    return html`<vt-chat part="chat" .config=${config} .base=${this.baseUrl} .headers=${this.chatHeaders} .onStatus=${this.chatStatus} .fetcher=${this.fetcher}></vt-chat>
      ${this.renderToken()} ${this.renderApi(config)}
      ${config.article === null ? nothing : html`<article class="article markdown" part="article">${renderMarkdown(config.article, this.baseUrl.href)}</article>`}`;
  }

  private renderApi(config: InterfaceConfig) {
    return apiPanel(config, this.baseUrl, this.copied, (what, text) => void this.copy(what, text));
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
            ${this.runs.busy ? html`<button type="button" class="button" part="stop-button" @click=${() => this.runs.stop()}>Stop</button>` : nothing}
            <button
              type="button"
              class="button primary submit"
              part="submit-button"
              aria-disabled=${this.runs.busy ? 'true' : 'false'}
              aria-keyshortcuts="Control+Enter"
              @click=${this.onSubmitClick}
            >
              ${this.runs.busy ? html`<span class="spinner" aria-hidden="true"></span>Running…` : 'Submit'}
            </button>
          </div>
        </section>
        <section class="panel outputs" part="outputs-panel" aria-labelledby="outputs-heading" aria-busy=${this.runs.busy ? 'true' : 'false'}>
          <h2 id="outputs-heading" class="section-title">Outputs</h2>
          ${this.runs.busy
            ? this.runs.progress
              ? html`<vt-progress part="progress" .value=${this.runs.progress.progress} .description=${this.runs.progress.desc ?? ''}></vt-progress>`
              : html`<div class="progress" aria-hidden="true"></div>`
            : nothing}
          ${this.runs.problem
            ? html`<div class="error" role="alert" part="error">${this.runs.problem}${this.runs.problemDetail
                ? html`<pre class="error-detail" part="error-detail">${this.runs.problemDetail}</pre>`
                : nothing}</div>`
            : nothing}
          ${this.renderToken()}
          <div class="fields">${this.outputs.map((f) => f.el)}</div>
          <p class="status run-status" role="status">${this.runs.status}</p>
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
    const config = this.config.config;
    return html`<div class="app" part="base">
      <header class="header" part="header">
        ${config === null ? nothing : html`<h1 part="title">${config.title}</h1>`}
        ${config?.description
          ? html`<div class="markdown description" part="description">${renderMarkdown(config.description, this.baseUrl.href)}</div>`
          : nothing}
      </header>
      ${this.config.problem
        ? html`<div class="error" role="alert" part="error">${this.config.problem}</div>`
        : config === null
          ? html`<p class="loading" role="status">Loading the interface…</p>`
          : config.layout === 'chat'
            ? this.renderChat(config)
            : this.renderDemo(config)}
    </div>`;
  }
}
