/** Registers `<vt-video>`. */
import { VtVideo } from './video.component.ts';

export { VtVideo };
VtVideo.define('vt-video');

declare global {
  interface HTMLElementTagNameMap {
    'vt-video': VtVideo;
  }
}
