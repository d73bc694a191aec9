/** `<vt-markdown>`: Markdown shown formatted (escaped text, checked links, no raw HTML); as an input, a text area. */
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { renderMarkdown } from '../internal/markdown-render.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user edits the text (input mode).
 * @csspart base - The wrapper. @csspart label - The label. @csspart content - The rendered Markdown. @csspart control - The text area.
 */
export class VtMarkdown extends FieldElement<string | null> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .content { padding: 8px 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); min-height: 40px; overflow-wrap: anywhere; }
      .content > :first-child { margin-top: 0; }
      .content > :last-child { margin-bottom: 0; }
      textarea { min-height: 120px; resize: vertical; }
    `,
  ];

  @property() value: string | null = null;

  reset(): void {
    this.value = null;
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    this.emitInput();
  }

  override render() {
    if (!this.readonly) {
      return html`<div class="field" part="base">
        ${this.renderLabel()}
        <textarea id="control" class="control" part="control" .value=${this.value ?? ''} ?disabled=${this.disabled} aria-describedby=${this.describedBy} @input=${this.onInput} @change=${() => this.emitChange()}></textarea>
        ${this.renderInfo()}
      </div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="content" part="content" role="region" aria-labelledby="label" aria-live="polite">${renderMarkdown(this.value ?? '', document.baseURI)}</div>
      ${this.renderInfo()}
    </div>`;
  }
}
