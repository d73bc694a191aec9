/** The base of the elements whose value is one media file (`<vt-audio>`, `<vt-video>`): the value as a `data:` URL, played from a `blob:` URL, examples by file name. */
import type { PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { FieldElement, type ExampleView } from './field-element.ts';
import { blobToDataUrl, dataUrlToObjectUrl, fileExampleView } from './files.ts';

export abstract class MediaFieldElement extends FieldElement<string | null> {
  /** The file as a `data:` URL, or null. */
  @property() value: string | null = null;
  /** Largest file the page takes, in bytes. */
  @property({ type: Number }) maxBytes = 10 * 1024 * 1024;
  /** What the player plays: a `blob:` URL of the value (the page's CSP allows no `data:` media). */
  @state() protected src = '';
  /** Why the last file was refused, shown under the control. */
  @state() protected problem = '';
  /** The media type a bare base64 value is played as. */
  protected abstract readonly defaultType: string;

  reset(): void {
    this.value = null;
  }

  /** An example names its file by URL: the gallery shows the name and the interface fetches the file. */
  override exampleView(value: unknown, base: URL): ExampleView {
    return fileExampleView(value, base) ?? super.exampleView(value, base);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('value')) return;
    if (this.src) URL.revokeObjectURL(this.src);
    this.src = this.value ? dataUrlToObjectUrl(this.value.startsWith('data:') ? this.value : `data:${this.defaultType};base64,${this.value}`) : '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.src) URL.revokeObjectURL(this.src);
  }

  /** Takes a picked, dropped or recorded file as the value (checked against `maxBytes`) and fires vt-change. */
  protected async takeFile(file: Blob & { name?: string }): Promise<void> {
    if (file.size > this.maxBytes) {
      this.problem = `${file.name ?? 'The file'} is larger than ${Math.round(this.maxBytes / (1 << 20))} MiB.`;
      return;
    }
    this.problem = '';
    this.value = await blobToDataUrl(file);
    this.emitInput();
    this.emitChange();
  }
}
