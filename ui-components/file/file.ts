/** Registers `<vt-file>`. */
import { VtFile } from './file.component.ts';

export { VtFile };
VtFile.define('vt-file');

declare global {
  interface HTMLElementTagNameMap {
    'vt-file': VtFile;
  }
}
