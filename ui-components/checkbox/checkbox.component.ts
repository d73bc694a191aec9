/** `<vt-checkbox>`: a boolean input or, read-only, a boolean output. */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { checkboxStyles } from './checkbox.styles.ts';

/**
 * @event vt-change - When the user ticks or unticks the box.
 * @csspart base - The wrapper. @csspart control - The checkbox. @csspart label - The label.
 * @csspart info - The help text.
 */
export class VtCheckbox extends FieldElement<boolean> {
  static override styles = [themeStyles, checkboxStyles];

  @property({ type: Boolean }) value = false;

  reset(): void {
    this.value = false;
  }

  private onChange(event: Event): void {
    this.value = (event.target as HTMLInputElement).checked;
    this.emitInput();
    this.emitChange();
  }

  private onClick(event: Event): void {
    // A read-only checkbox stays focusable and announced (unlike a disabled one) but cannot flip.
    if (this.readonly) event.preventDefault();
  }

  override render() {
    return html`<div class="field" part="base">
      <label class="row">
        <input
          id="control"
          part="control"
          type="checkbox"
          .checked=${live(this.value)}
          ?disabled=${this.disabled}
          aria-readonly=${this.readonly ? 'true' : 'false'}
          aria-describedby=${this.describedBy}
          @click=${this.onClick}
          @change=${this.onChange}
        />
        <span class="field-label" part="label">${this.labelText}</span>
      </label>
      ${this.renderInfo()}
    </div>`;
  }
}
