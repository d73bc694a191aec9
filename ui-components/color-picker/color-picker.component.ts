/** `<vt-color-picker>`: a colour from the browser's own picker, with its hex code beside it. */
import { css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user picks a colour.
 * @csspart base - The wrapper. @csspart control - The colour input. @csspart code - The hex code.
 */
export class VtColorPicker extends FieldElement<string> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .row { display: flex; align-items: center; gap: 8px; }
      input[type='color'] { width: 48px; height: 36px; padding: 2px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_bg); }
      code { font-size: 0.875rem; }
    `,
  ];

  /** The colour as `#rrggbb`. */
  @property() value = '#4f46e5';

  reset(): void {
    this.value = '#4f46e5';
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLInputElement).value;
    this.emitInput();
  }

  override render() {
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <div class="row">
        <input id="control" part="control" type="color" .value=${this.value} ?disabled=${this.disabled || this.readonly} aria-describedby=${this.describedBy} @input=${this.onInput} @change=${() => this.emitChange()} />
        <code part="code">${this.value}</code>
      </div>
      ${this.renderInfo()}
    </div>`;
  }
}
