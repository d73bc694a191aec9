/** Registers `<vt-slider>`. */
import { VtSlider } from './slider.component.ts';

export { VtSlider };
VtSlider.define('vt-slider');

declare global {
  interface HTMLElementTagNameMap {
    'vt-slider': VtSlider;
  }
}
