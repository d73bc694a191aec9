/** Registers `<vt-json>`. */
import { VtJson } from './json.component.ts';

export { VtJson };
VtJson.define('vt-json');

declare global {
  interface HTMLElementTagNameMap {
    'vt-json': VtJson;
  }
}
