/** `<vt-json>`: any JSON value — pretty-printed when read-only, edited as text otherwise. */
import { html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { jsonStyles } from './json.styles.ts';

/**
 * @event vt-input - On every edit that leaves valid JSON in the box.
 * @event vt-change - When the user commits valid JSON.
 * @csspart base - The wrapper. @csspart label - The label. @csspart control - The textarea.
 * @csspart output - The read-only view. @csspart info - The help text.
 */
export class VtJson extends FieldElement<unknown> {
  static override styles = [themeStyles, jsonStyles];

  /** Any JSON value; null when empty. Invalid text leaves the last valid value in place. */
  @property({ attribute: false }) value: unknown = null;
  /** The text in the editor; follows `value` unless the user is mid-edit. */
  @state() private text = 'null';
  @state() private problem = '';
  private editing = false;

  reset(): void {
    this.value = null;
    this.problem = '';
  }

  override reportValidity(): boolean {
    if (this.problem === '') return true;
    this.renderRoot.querySelector('textarea')?.focus();
    return false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // An owner's new value replaces the text; a value that came from the user's own typing does not,
    // so their formatting survives.
    if (changed.has('value') && !this.editing) {
      this.text = format(this.value);
      this.problem = '';
    }
    this.editing = false;
  }

  private parse(event: Event): boolean {
    const text = (event.target as HTMLTextAreaElement).value;
    this.text = text;
    try {
      const parsed: unknown = text.trim() === '' ? null : JSON.parse(text);
      this.editing = true;
      this.value = parsed;
      this.problem = '';
      return true;
    } catch (err) {
      this.problem = `Not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
      return false;
    }
  }

  private onInput(event: Event): void {
    if (this.parse(event)) this.emitInput();
  }

  private onChange(event: Event): void {
    if (this.parse(event)) this.emitChange();
  }

  override render() {
    if (this.readonly) {
      return html`<div class="field" part="base">
        ${this.renderLabel(false)}
        <pre class="output" part="output" tabindex="0" role="region" aria-labelledby="label" aria-describedby=${this.describedBy}><code>${format(this.value)}</code></pre>
        ${this.renderInfo()}
      </div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <textarea
        id="control"
        class="control"
        part="control"
        rows="6"
        spellcheck="false"
        .value=${live(this.text)}
        ?disabled=${this.disabled}
        aria-invalid=${this.problem ? 'true' : 'false'}
        aria-describedby=${this.problem ? 'problem' : this.describedBy}
        @input=${this.onInput}
        @change=${this.onChange}
      ></textarea>
      ${this.problem ? html`<p class="problem" id="problem" part="problem">${this.problem}</p>` : null}
      ${this.renderInfo()}
    </div>`;
  }
}

function format(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch {
    return String(value);
  }
}
