/** Registers `<vt-checkbox-group>`. */
import { VtCheckboxGroup } from './checkbox-group.component.ts';

export { VtCheckboxGroup };
VtCheckboxGroup.define('vt-checkbox-group');

declare global {
  interface HTMLElementTagNameMap {
    'vt-checkbox-group': VtCheckboxGroup;
  }
}
