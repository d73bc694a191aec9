/** `<vt-markdown>`: Markdown shown formatted (escaped text, checked links, no raw HTML); as an input, a text area. */
import { css } from 'lit';
import { TextContentField } from '../internal/text-content-field.ts';
import { renderMarkdown } from '../internal/markdown-render.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user edits the text (input mode).
 * @csspart base - The wrapper. @csspart label - The label. @csspart content - The rendered Markdown. @csspart control - The text area.
 */
export class VtMarkdown extends TextContentField {
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

  protected renderContent(text: string) {
    return renderMarkdown(text, document.baseURI);
  }
}
