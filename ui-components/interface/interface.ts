/** Registers `<vt-interface>`. */
import { VtInterface } from './interface.component.ts';

export { VtInterface };
VtInterface.define('vt-interface');

declare global {
  interface HTMLElementTagNameMap {
    'vt-interface': VtInterface;
  }
}
