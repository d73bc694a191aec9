/** Registers `<vt-image>`. */
import { VtImage } from './image.component.ts';

export { VtImage };
export type { ImageSource } from './image.component.ts';
VtImage.define('vt-image');

declare global {
  interface HTMLElementTagNameMap {
    'vt-image': VtImage;
  }
}
