/** Registers `<vt-dataframe>`. */
import { VtDataframe } from './dataframe.component.ts';

export { VtDataframe };
VtDataframe.define('vt-dataframe');

declare global {
  interface HTMLElementTagNameMap {
    'vt-dataframe': VtDataframe;
  }
}
