/** Registers `<vt-audio>`. */
import { VtAudio } from './audio.component.ts';

export { VtAudio };
VtAudio.define('vt-audio');

declare global {
  interface HTMLElementTagNameMap {
    'vt-audio': VtAudio;
  }
}
