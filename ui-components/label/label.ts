/** Registers `<vt-label>`. */
import { VtLabel } from './label.component.ts';

export { VtLabel };
VtLabel.define('vt-label');

declare global {
  interface HTMLElementTagNameMap {
    'vt-label': VtLabel;
  }
}
