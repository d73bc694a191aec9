/** `<vt-slider>`: a number picked on a range, with its value shown next to the label. */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { sliderStyles } from './slider.styles.ts';

/**
 * @event vt-input - While the thumb moves.
 * @event vt-change - When the user releases the thumb or a key press settles.
 * @csspart base - The wrapper. @csspart label - The label. @csspart control - The range input.
 * @csspart value - The number shown beside the label. @csspart info - The help text.
 */
export class VtSlider extends FieldElement<number> {
  static override styles = [themeStyles, sliderStyles];

  @property({ type: Number }) min = 0;
  @property({ type: Number }) max = 100;
  @property({ type: Number }) step = 1;
  /** The number; NaN is never stored (the range input clamps it to min..max). */
  @property({ type: Number }) value = 0;

  reset(): void {
    this.value = this.min;
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLInputElement).valueAsNumber;
    this.emitInput();
  }

  private onChange(event: Event): void {
    this.value = (event.target as HTMLInputElement).valueAsNumber;
    this.emitChange();
  }

  override render() {
    return html`<div class="field" part="base">
      <div class="head">
        ${this.renderLabel()}
        <output class="value" part="value" for="control" aria-hidden="true">${this.value}</output>
      </div>
      <input
        id="control"
        part="control"
        type="range"
        min=${this.min}
        max=${this.max}
        step=${this.step}
        .value=${live(String(this.value))}
        ?disabled=${this.disabled || this.readonly}
        aria-describedby=${this.describedBy}
        @input=${this.onInput}
        @change=${this.onChange}
      />
      ${this.renderInfo()}
    </div>`;
  }
}
