/** Registers `<vt-checkbox>`. */
import { VtCheckbox } from './checkbox.component.ts';

export { VtCheckbox };
VtCheckbox.define('vt-checkbox');

declare global {
  interface HTMLElementTagNameMap {
    'vt-checkbox': VtCheckbox;
  }
}
