/** Registers `<vt-radio>`. */
import { VtRadio } from './radio.component.ts';

export { VtRadio };
VtRadio.define('vt-radio');

declare global {
  interface HTMLElementTagNameMap {
    'vt-radio': VtRadio;
  }
}
