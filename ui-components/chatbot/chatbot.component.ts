/** `<vt-chatbot>`: a conversation — user and assistant messages as bubbles, Markdown inside, the newest announced to screen readers. */
import { css, html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { renderMarkdown } from '../internal/markdown-render.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** One message, as Gradio 5+ and the wire have it. */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/**
 * Shows the messages; the chat page (ChatInterface) adds the box to write in. Keeps the newest
 * message in view as it grows while a reply streams.
 *
 * @csspart base - The wrapper. @csspart log - The list of messages. @csspart message - One message (also `user`, `assistant`, `system`).
 */
export class VtChatbot extends FieldElement<ChatMessage[]> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .log { display: flex; flex-direction: column; gap: 8px; padding: 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); min-height: 160px; max-height: 60vh; overflow-y: auto; margin: 0; list-style: none; }
      .message { max-width: 85%; padding: 8px 12px; border-radius: 12px; overflow-wrap: anywhere; }
      .message > :first-child { margin-top: 0; }
      .message > :last-child { margin-bottom: 0; }
      .user { align-self: flex-end; background: var(--_primary); color: var(--_on-primary, #fff); }
      .user a { color: inherit; }
      .assistant { align-self: flex-start; background: var(--_bg); border: 1px solid var(--_border); }
      .system { align-self: center; font-size: 0.8125rem; color: var(--_muted); }
      .placeholder { color: var(--_muted); margin: auto; }
      .who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
    `,
  ];

  @property({ attribute: false }) value: ChatMessage[] = [];
  /** Render messages as Markdown (default) or as plain text. */
  @property({ type: Boolean }) markdown = true;
  /** Shown while there is no message. */
  @property() placeholder = '';

  reset(): void {
    this.value = [];
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('value')) {
      const log = this.renderRoot.querySelector('.log');
      if (log !== null) log.scrollTop = log.scrollHeight;
    }
  }

  override render() {
    const messages = Array.isArray(this.value) ? this.value.filter((m) => typeof m?.content === 'string') : [];
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <ol class="log" part="log" role="log" aria-labelledby="label" aria-live="polite">
        ${messages.length === 0 && this.placeholder ? html`<li class="placeholder">${this.placeholder}</li>` : nothing}
        ${messages.map(
          (m) => html`<li class="message ${m.role}" part="message ${m.role}">
            <span class="who">${m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Assistant' : 'System'}:</span>
            ${this.markdown ? renderMarkdown(m.content, document.baseURI) : m.content}
          </li>`,
        )}
      </ol>
      ${this.renderInfo()}
    </div>`;
  }
}
