/** `<vt-html>`: an app's HTML, sanitised by DOMPurify before it is shown (no scripts, handlers, forms or frames; the page's CSP besides). */
import DOMPurify from 'dompurify';
import { css } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { TextContentField } from '../internal/text-content-field.ts';
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
export class VtHtml extends TextContentField {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .content { min-height: 24px; overflow-wrap: anywhere; }
      .content img { max-width: 100%; }
      textarea { min-height: 120px; resize: vertical; font-family: ui-monospace, monospace; }
    `,
  ];

  protected renderContent(text: string) {
    return unsafeHTML(sanitizeHtml(text));
  }
}
