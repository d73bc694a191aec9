/** `<vt-radio>`: one string out of a few choices, all shown as radio buttons (arrow keys move between them). */
import { html } from 'lit';
import { choicesStyles } from '../internal/choices.styles.ts';
import { property } from 'lit/decorators.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user picks a choice.
 * @csspart base - The wrapper (a fieldset). @csspart label - The legend. @csspart option - One choice. @csspart info - The help text.
 */
export class VtRadio extends FieldElement<string | null> {
  static override styles = [themeStyles, choicesStyles];

  /** The choices, in order. */
  @property({ type: Array }) choices: string[] = [];
  /** The picked choice, or null. */
  @property() value: string | null = null;

  reset(): void {
    this.value = null;
  }

  private onChange(event: Event): void {
    this.value = (event.target as HTMLInputElement).value;
    this.emitInput();
    this.emitChange();
  }

  override render() {
    return html`<fieldset class="field" part="base" aria-describedby=${this.describedBy}>
      <legend class="field-label" part="label">${this.labelText}</legend>
      <div class="options" role="radiogroup" aria-label=${this.labelText}>
        ${this.choices.map(
          (choice) => html`<label class="option" part="option"
            ><input
              type="radio"
              name="choice"
              .value=${choice}
              .checked=${choice === this.value}
              ?disabled=${this.disabled || this.readonly}
              @change=${this.onChange}
            />${choice}</label
          >`,
        )}
      </div>
      ${this.renderInfo()}
    </fieldset>`;
  }
}
