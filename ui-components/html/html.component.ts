/** `<vt-html>`: an app's HTML, sanitised by DOMPurify before it is shown (no scripts, handlers, forms or frames; the page's CSP besides). */
import DOMPurify from 'dompurify';
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** What the markup may never contain, beyond DOMPurify's own rules: whatever could act or leave the page. */
const FORBID_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'link'];

/**
 * Sanitises markup for display: scripts and event handlers removed, links opened safely.
 *
 * @example
 * sanitizeHtml('<b onclick="x()">hi</b><script>x()</script>'); // '<b>hi</b>'
 */
export function sanitizeHtml(markup: string): string {
  return DOMPurify.sanitize(markup, { FORBID_TAGS, FORBID_ATTR: ['style', 'srcset'], ALLOW_DATA_ATTR: false });
}

/**
 * @event vt-change - When the user edits the markup (input mode).
 * @csspart base - The wrapper. @csspart label - The label. @csspart content - The sanitised markup. @csspart control - The text area.
 */
export class VtHtml extends FieldElement<string | null> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .content { min-height: 24px; overflow-wrap: anywhere; }
      .content img { max-width: 100%; }
      textarea { min-height: 120px; resize: vertical; font-family: ui-monospace, monospace; }
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
      <div class="content" part="content" role="region" aria-labelledby="label" aria-live="polite">${unsafeHTML(sanitizeHtml(this.value ?? ''))}</div>
      ${this.renderInfo()}
    </div>`;
  }
}
