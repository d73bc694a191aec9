/** Registers `<vt-number>`. */
import { VtNumber } from './number.component.ts';

export { VtNumber };
VtNumber.define('vt-number');

declare global {
  interface HTMLElementTagNameMap {
    'vt-number': VtNumber;
  }
}
