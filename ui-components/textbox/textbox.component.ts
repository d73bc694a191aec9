/** `<vt-textbox>`: a text input (one line or several) or, read-only, a text output. */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { textboxStyles } from './textbox.styles.ts';

/**
 * @event vt-input - On every keystroke.
 * @event vt-change - When the user commits the text (leaves the field or presses Enter on one line).
 * @csspart base - The wrapper. @csspart label - The label. @csspart control - The input or textarea.
 * @csspart info - The help text.
 */
export class VtTextbox extends FieldElement<string> {
  static override styles = [themeStyles, textboxStyles];

  /** The text; `''` when empty. */
  @property() value = '';
  /** Visible lines: 1 gives a single-line input, more a textarea. */
  @property({ type: Number }) lines = 1;
  @property() placeholder = '';
  @property({ type: Number, attribute: 'max-length' }) maxLength: number | undefined;

  reset(): void {
    this.value = '';
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLInputElement | HTMLTextAreaElement).value;
    this.emitInput();
  }

  private onChange(): void {
    this.emitChange();
  }

  override render() {
    // An owner may hand over a non-string by mistake; show it rather than fail to render.
    const text = typeof this.value === 'string' ? this.value : this.value == null ? '' : String(this.value);
    const multiline = this.lines > 1 || (this.readonly && text.includes('\n'));
    const common = {
      placeholder: this.placeholder || undefined,
      maxLength: this.maxLength !== undefined && this.maxLength > 0 ? this.maxLength : undefined,
    };
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      ${multiline
        ? html`<textarea
            id="control"
            class="control"
            part="control"
            rows=${Math.max(this.lines, 2)}
            .value=${live(text)}
            placeholder=${ifDefined(common.placeholder)}
            maxlength=${ifDefined(common.maxLength)}
            ?readonly=${this.readonly}
            ?disabled=${this.disabled}
            aria-describedby=${this.describedBy}
            @input=${this.onInput}
            @change=${this.onChange}
          ></textarea>`
        : html`<input
            id="control"
            class="control"
            part="control"
            type="text"
            .value=${live(text)}
            placeholder=${ifDefined(common.placeholder)}
            maxlength=${ifDefined(common.maxLength)}
            ?readonly=${this.readonly}
            ?disabled=${this.disabled}
            aria-describedby=${this.describedBy}
            @input=${this.onInput}
            @change=${this.onChange}
          />`}
      ${this.renderInfo()}
    </div>`;
  }
}
