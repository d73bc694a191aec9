/** Registers `<vt-html>`. */
import { VtHtml } from './html.component.ts';

export { VtHtml };
VtHtml.define('vt-html');

declare global {
  interface HTMLElementTagNameMap {
    'vt-html': VtHtml;
  }
}
