/** Registers `<vt-textbox>`. */
import { VtTextbox } from './textbox.component.ts';

export { VtTextbox };
VtTextbox.define('vt-textbox');

declare global {
  interface HTMLElementTagNameMap {
    'vt-textbox': VtTextbox;
  }
}
