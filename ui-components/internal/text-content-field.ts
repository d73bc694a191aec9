/** The base of the elements that show text formatted as an output and edit it as plain text as an input (`<vt-markdown>`, `<vt-html>`). */
import { html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { FieldElement } from './field-element.ts';

export abstract class TextContentField extends FieldElement<string | null> {
  @property() value: string | null = null;

  reset(): void {
    this.value = null;
  }

  /** The value formatted for reading: the output mode's content. */
  protected abstract renderContent(text: string): unknown;

  private onInput(event: Event): void {
    this.value = (event.target as HTMLTextAreaElement).value;
    this.emitInput();
  }

  override render(): TemplateResult {
    if (!this.readonly) {
      return html`<div class="field" part="base">
        ${this.renderLabel()}
        <textarea id="control" class="control" part="control" .value=${this.value ?? ''} ?disabled=${this.disabled} aria-describedby=${this.describedBy} @input=${this.onInput} @change=${() => this.emitChange()}></textarea>
        ${this.renderInfo()}
      </div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="content" part="content" role="region" aria-labelledby="label" aria-live="polite">${this.renderContent(this.value ?? '')}</div>
      ${this.renderInfo()}
    </div>`;
  }
}
