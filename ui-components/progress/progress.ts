/** Registers `<vt-progress>`. */
import { VtProgress } from './progress.component.ts';

export { VtProgress };
VtProgress.define('vt-progress');

declare global {
  interface HTMLElementTagNameMap {
    'vt-progress': VtProgress;
  }
}
