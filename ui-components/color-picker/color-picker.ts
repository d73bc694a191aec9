/** Registers `<vt-color-picker>`. */
import { VtColorPicker } from './color-picker.component.ts';

export { VtColorPicker };
VtColorPicker.define('vt-color-picker');

declare global {
  interface HTMLElementTagNameMap {
    'vt-color-picker': VtColorPicker;
  }
}
