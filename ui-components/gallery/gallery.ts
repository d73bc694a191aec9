/** Registers `<vt-gallery>`. */
import { VtGallery } from './gallery.component.ts';

export { VtGallery };
VtGallery.define('vt-gallery');

declare global {
  interface HTMLElementTagNameMap {
    'vt-gallery': VtGallery;
  }
}
