/** Registers `<vt-dropdown>`. */
import { VtDropdown } from './dropdown.component.ts';

export { VtDropdown };
VtDropdown.define('vt-dropdown');

declare global {
  interface HTMLElementTagNameMap {
    'vt-dropdown': VtDropdown;
  }
}
