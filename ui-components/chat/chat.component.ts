/** `<vt-chat>`: the page of a ChatInterface — the conversation (`<vt-chatbot>`), a message box, Send/Stop, Retry and Clear; the reply streams in as it is written. */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ChatMessage } from '../../framework/components/chatbot.ts';
import type { InterfaceConfig } from '../internal/config.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { VitrineElement } from '../internal/vitrine-element.ts';
import { RunController } from '../interface/run-controller.ts';
import { chatStyles } from './chat.styles.ts';

/**
 * A chat with a ChatInterface app, built by `<vt-interface>` from a config whose layout is `chat`
 * (which loads this module, `elements/chat.js`, and the Chatbot kind's `<vt-chatbot>` that draws
 * the conversation, only for such a config).
 * It keeps the conversation itself and sends it with every message (`{ message, history }`), so the
 * server keeps no state. Enter sends, Shift+Enter starts a new line.
 *
 * @event vt-submit - The user sent a message (Send, Enter, an example or Retry).
 * @event vt-partial - The reply so far arrived; the last message shows it.
 * @event vt-result - The reply is complete.
 * @event vt-error - The call failed; the message is shown inline.
 * @csspart base - The wrapper. @csspart log - The conversation, a `<vt-chatbot>`.
 * @csspart input - The message box. @csspart send-button, stop-button, retry-button, clear-button - The actions.
 * @csspart examples - The example messages. @csspart error - The inline error.
 */
export class VtChat extends VitrineElement {
  static override styles = [themeStyles, chatStyles];

  /** The ChatInterface's config (`/api/config`). */
  @property({ attribute: false }) config: InterfaceConfig | null = null;
  /** The interface's base URL, which the config's URLs resolve against. */
  @property({ attribute: false }) base: URL = new URL(document.baseURI);
  /** Extra request headers (the bearer token). */
  @property({ attribute: false }) headers: () => Record<string, string> = () => ({});
  /** Told every answer's status (a 401 asks the owner for a token). */
  @property({ attribute: false }) onStatus: (status: number) => void = () => {};
  /** Sends the messages (default: `fetch` to the server); a static build answers them from a Web Worker. */
  @property({ attribute: false }) fetcher: typeof fetch | undefined;

  /** The conversation shown: finished messages, then the reply being written. */
  @state() messages: ChatMessage[] = [];
  @state() private draft = '';

  private readonly runs = new RunController(this, {
    url: () => new URL(this.config?.api.predict ?? 'api/predict', this.base),
    headers: () => this.headers(),
    fetch: (input, init) => (this.fetcher ?? fetch)(input, init),
    onStatus: (status) => this.onStatus(status),
    onPartial: (outputs) => {
      this.showReply(outputs.response);
      this.emit('vt-partial', { outputs });
    },
    onResult: (run) => {
      this.showReply(run.outputs.response);
      this.emit('vt-result', { outputs: run.outputs });
    },
    onFailure: (failure) => {
      this.dropEmptyReply();
      this.emit('vt-error', failure);
    },
  });

  /**
   * Sends `message` with the conversation so far; does nothing while a reply is being written.
   *
   * @example
   * document.querySelector('vt-interface')?.shadowRoot?.querySelector('vt-chat')?.send('Hello');
   */
  async send(message: string): Promise<void> {
    const text = message.trim();
    if (text === '' || this.runs.busy || this.config === null) return;
    const history = this.messages;
    this.messages = [...history, { role: 'user', content: text }, { role: 'assistant', content: '' }];
    this.draft = '';
    const inputs = { message: text, history };
    this.emit('vt-submit', { inputs });
    await this.runs.send(this.runs.begin('Writing…'), inputs);
  }

  /** Stops the reply being written; what it said so far stays. */
  stop(): void {
    this.runs.stop();
    this.dropEmptyReply();
  }

  /** Sends the last message again, in place of its reply. */
  async retry(): Promise<void> {
    const lastUser = this.messages.findLastIndex((m) => m.role === 'user');
    if (lastUser < 0 || this.runs.busy) return;
    const message = this.messages[lastUser]!.content;
    this.messages = this.messages.slice(0, lastUser);
    await this.send(message);
  }

  /** Forgets the conversation and stops a reply being written. */
  clear(): void {
    this.runs.cancel();
    this.messages = [];
    this.draft = '';
  }

  private showReply(reply: unknown): void {
    const last = this.messages.at(-1);
    if (last?.role !== 'assistant' || typeof reply !== 'string') return;
    this.messages = [...this.messages.slice(0, -1), { role: 'assistant', content: reply }];
  }

  /** A reply that never started is not part of the conversation. */
  private dropEmptyReply(): void {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant' && last.content === '') this.messages = this.messages.slice(0, -1);
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.send(this.draft);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send(this.draft);
    }
  }

  override render() {
    const config = this.config;
    if (config === null) return nothing;
    const busy = this.runs.busy;
    const message = config.inputs.find((i) => i.name === 'message');
    const placeholder = typeof message?.props.placeholder === 'string' ? message.props.placeholder : 'Type a message';
    const examples = config.examples.map((e) => e.message).filter((m): m is string => typeof m === 'string');
    const history = config.inputs.find((i) => i.name === 'history');
    return html`<div class="chat" part="base">
      <vt-chatbot
        part="log"
        label="Conversation"
        placeholder="No messages yet."
        aria-busy=${busy ? 'true' : 'false'}
        .markdown=${history?.props.markdown !== false}
        .value=${this.messages}
      ></vt-chatbot>
      ${this.runs.problem ? html`<div class="error" role="alert" part="error">${this.runs.problem}</div>` : nothing}
      <form class="composer" @submit=${this.onSubmit}>
        <label class="visually-hidden" for="message">Message</label>
        <textarea
          id="message"
          class="control"
          part="input"
          rows="2"
          maxlength=${typeof message?.props.maxLength === 'number' ? message.props.maxLength : nothing}
          placeholder=${placeholder}
          .value=${this.draft}
          @input=${(e: InputEvent) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${this.onKeydown}
        ></textarea>
        ${busy
          ? html`<button type="button" class="button" part="stop-button" @click=${() => this.stop()}>Stop</button>`
          : html`<button type="submit" class="button primary" part="send-button">Send</button>`}
      </form>
      <div class="actions">
        <button type="button" class="button" part="retry-button" ?disabled=${busy || !this.messages.some((m) => m.role === 'user')} @click=${() => void this.retry()}>
          Retry
        </button>
        <button type="button" class="button" part="clear-button" @click=${() => this.clear()}>Clear</button>
      </div>
      ${examples.length === 0
        ? nothing
        : html`<ul class="examples" part="examples" aria-label="Examples">
            ${examples.map((e) => html`<li><button type="button" class="button" ?disabled=${busy} @click=${() => void this.send(e)}>${e}</button></li>`)}
          </ul>`}
      <p class="status" role="status">${this.runs.status}</p>
    </div>`;
  }
}
