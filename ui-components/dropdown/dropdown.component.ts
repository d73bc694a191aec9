/** `<vt-dropdown>`: one string picked from a fixed list of choices. */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { dropdownStyles } from './dropdown.styles.ts';

/**
 * @event vt-change - When the user picks a choice.
 * @csspart base - The wrapper. @csspart label - The label. @csspart control - The select.
 * @csspart info - The help text.
 */
export class VtDropdown extends FieldElement<string | null> {
  static override styles = [themeStyles, dropdownStyles];

  /** The choices, in order. */
  @property({ type: Array }) choices: string[] = [];
  /** The picked choice, or null before the user picks one. */
  @property() value: string | null = null;
  /** Text of the empty first option shown while nothing is picked. */
  @property() placeholder = 'Choose…';

  reset(): void {
    this.value = null;
  }

  private onChange(event: Event): void {
    const select = event.target as HTMLSelectElement;
    this.value = select.value === '' ? null : select.value;
    this.emitInput();
    this.emitChange();
  }

  override updated(): void {
    // Set after the options exist: a select's value cannot name an option not yet rendered, and the
    // options' `selected` attribute stops applying once the user has picked.
    const select = this.renderRoot.querySelector('select');
    const picked = this.value !== null && this.choices.includes(this.value) ? this.value : '';
    if (select !== null && select.value !== picked) select.value = picked;
  }

  override render() {
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <select
        id="control"
        class="control"
        part="control"
        ?disabled=${this.disabled || this.readonly}
        aria-describedby=${this.describedBy}
        @change=${this.onChange}
      >
        <option value="" disabled>${this.placeholder}</option>
        ${this.choices.map((choice) => html`<option .value=${choice}>${choice}</option>`)}
      </select>
      ${this.renderInfo()}
    </div>`;
  }
}
