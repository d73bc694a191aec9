/** The base of every input/output element: name, label, help text, read-only and disabled states. */
import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { VitrineElement } from './vitrine-element.ts';

/** How the examples gallery shows one example value of a field, and the file it names, if any. */
export interface ExampleView {
  /** A short text for the gallery and the example button's accessible name. */
  text: string;
  /** A file the value names (an image's URL): the interface fetches it and gives the field its data: URL. */
  file?: URL;
  /** What to show instead of the text when there is no file (an inline `data:` image). */
  thumbnail?: string;
  /** The file is no picture (a sound, a video): the gallery shows its name only. */
  noThumbnail?: boolean;
}

export abstract class FieldElement<T> extends VitrineElement {
  /** The input's name in the API request (`vt-change` carries it too). */
  @property({ reflect: true }) name = '';
  /** The visible label, also the control's accessible name. */
  @property() label = '';
  /** Help text shown under the control and linked with `aria-describedby`. */
  @property() info = '';
  /** Output mode: shows the value, no editing. */
  @property({ type: Boolean, reflect: true }) readonly = false;
  /** Greys the control out and ignores the user. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The wire value; setting it never fires an event. */
  abstract value: T;

  /** The label text, falling back to the name so no control is ever unnamed. */
  protected get labelText(): string {
    return this.label || this.name || this.localName.replace(/^vt-/, '');
  }

  /** The visible label, bound to the control with the id `control`. */
  protected renderLabel(forControl = true): TemplateResult {
    return forControl
      ? html`<label class="field-label" part="label" for="control" id="label">${this.labelText}</label>`
      : html`<span class="field-label" part="label" id="label">${this.labelText}</span>`;
  }

  /** The help text, referenced as `info` by `aria-describedby`. */
  protected renderInfo(): TemplateResult | typeof nothing {
    return this.info ? html`<p class="field-info" part="info" id="info">${this.info}</p>` : nothing;
  }

  /** For `aria-describedby`: the help text's id when there is one. */
  protected get describedBy(): string | typeof nothing {
    return this.info ? 'info' : nothing;
  }

  /** Whether the current value can be sent; shows why not and focuses the control otherwise. */
  reportValidity(): boolean {
    return true;
  }

  /**
   * How an example value of this field looks in the gallery (the per-kind hook of the examples:
   * a file-valued element overrides it). The default is the value as short text.
   *
   * @example
   * textbox.exampleView('a red square', base); // { text: 'a red square' }
   */
  exampleView(value: unknown, _base: URL): ExampleView {
    const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
    return { text: text.length > 60 ? `${text.slice(0, 57)}…` : text };
  }

  /** Puts back the empty value (used by Clear); fires nothing. */
  abstract reset(): void;

  /** Fires `vt-input` with the current value (a user edit in progress). */
  protected emitInput(): void {
    this.emit('vt-input', { name: this.name, value: this.value });
  }

  /** Fires `vt-change` with the current value (a committed user edit). */
  protected emitChange(): void {
    this.emit('vt-change', { name: this.name, value: this.value });
  }
}
