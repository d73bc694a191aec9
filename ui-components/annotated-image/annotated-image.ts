/** Registers `<vt-annotated-image>`. */
import { VtAnnotatedImage } from './annotated-image.component.ts';

export { VtAnnotatedImage };
VtAnnotatedImage.define('vt-annotated-image');

declare global {
  interface HTMLElementTagNameMap {
    'vt-annotated-image': VtAnnotatedImage;
  }
}
