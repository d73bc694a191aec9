/** `<vt-number>`: a number input or, read-only, a number output. */
import { html } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { numberStyles } from './number.styles.ts';

/**
 * @event vt-input - On every edit that leaves a number (or an empty field) in the box.
 * @event vt-change - When the user commits the number.
 * @csspart base - The wrapper. @csspart label - The label. @csspart control - The input.
 * @csspart info - The help text.
 */
export class VtNumber extends FieldElement<number | null> {
  static override styles = [themeStyles, numberStyles];

  /** The number, or null when the box is empty. */
  @property({ type: Number }) value: number | null = null;
  @property({ type: Number }) min: number | undefined;
  @property({ type: Number }) max: number | undefined;
  @property({ type: Number }) step: number | undefined;
  /** What the user typed when it is not (yet) a number in range; shown as the reason. */
  @state() private problem = '';

  reset(): void {
    this.value = null;
    this.problem = '';
  }

  override reportValidity(): boolean {
    const input = this.renderRoot.querySelector('input');
    if (this.problem !== '' || (input !== null && !input.checkValidity())) {
      this.problem ||= input?.validationMessage || 'Enter a valid number';
      input?.focus();
      return false;
    }
    return true;
  }

  private read(event: Event): boolean {
    const input = event.target as HTMLInputElement;
    if (input.value.trim() === '') {
      this.value = null;
      this.problem = '';
      return true;
    }
    const n = input.valueAsNumber;
    if (!Number.isFinite(n)) {
      this.problem = 'Enter a number';
      return false;
    }
    this.value = n;
    this.problem = input.checkValidity() ? '' : input.validationMessage;
    return true;
  }

  private onInput(event: Event): void {
    if (this.read(event)) this.emitInput();
  }

  private onChange(event: Event): void {
    if (this.read(event)) this.emitChange();
  }

  override render() {
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <input
        id="control"
        class="control"
        part="control"
        type="number"
        inputmode="decimal"
        .value=${this.value === null ? '' : String(this.value)}
        min=${ifDefined(this.min)}
        max=${ifDefined(this.max)}
        step=${this.step ?? 'any'}
        ?readonly=${this.readonly}
        ?disabled=${this.disabled}
        aria-invalid=${this.problem ? 'true' : 'false'}
        aria-describedby=${this.problem ? 'problem' : this.describedBy}
        @input=${this.onInput}
        @change=${this.onChange}
      />
      ${this.problem ? html`<p class="problem" id="problem" part="problem">${this.problem}</p>` : null}
      ${this.renderInfo()}
    </div>`;
  }
}
