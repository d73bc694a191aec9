/** Registers `<vt-markdown>`. */
import { VtMarkdown } from './markdown.component.ts';

export { VtMarkdown };
VtMarkdown.define('vt-markdown');

declare global {
  interface HTMLElementTagNameMap {
    'vt-markdown': VtMarkdown;
  }
}
