/** `<vt-checkbox-group>`: any number of strings out of a list of choices, kept in the order of the choices. */
import { html } from 'lit';
import { choicesStyles } from '../internal/choices.styles.ts';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user ticks or unticks a choice.
 * @csspart base - The wrapper (a fieldset). @csspart label - The legend. @csspart option - One choice. @csspart info - The help text.
 */
export class VtCheckboxGroup extends FieldElement<string[]> {
  static override styles = [themeStyles, choicesStyles];

  /** The choices, in order. */
  @property({ type: Array }) choices: string[] = [];
  /** The ticked choices. */
  @property({ type: Array }) value: string[] = [];

  reset(): void {
    this.value = [];
  }

  private onChange(event: Event): void {
    const box = event.target as HTMLInputElement;
    const ticked = new Set(this.value);
    if (box.checked) ticked.add(box.value);
    else ticked.delete(box.value);
    this.value = this.choices.filter((c) => ticked.has(c));
    this.emitInput();
    this.emitChange();
  }

  override render() {
    const ticked = new Set(Array.isArray(this.value) ? this.value : []);
    return html`<fieldset class="field" part="base" aria-describedby=${this.describedBy}>
      <legend class="field-label" part="label">${this.labelText}</legend>
      <div class="options">
        ${this.choices.map(
          (choice) => html`<label class="option" part="option"
            ><input type="checkbox" .value=${choice} .checked=${ticked.has(choice)} ?disabled=${this.disabled || this.readonly} @change=${this.onChange} />${choice}</label
          >`,
        )}
      </div>
      ${this.renderInfo()}
    </fieldset>`;
  }
}
