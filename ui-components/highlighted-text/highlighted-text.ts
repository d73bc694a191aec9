/** Registers `<vt-highlighted-text>`. */
import { VtHighlightedText } from './highlighted-text.component.ts';

export { VtHighlightedText };
VtHighlightedText.define('vt-highlighted-text');

declare global {
  interface HTMLElementTagNameMap {
    'vt-highlighted-text': VtHighlightedText;
  }
}
