/** `<vt-file>`: one file or several — picked, dropped, filtered by type and size (input); download links (output). */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { dropHandlers } from '../internal/drop.ts';
import { FieldElement } from '../internal/field-element.ts';
import { blobToDataUrl } from '../internal/files.ts';
import { mediaStyles } from '../internal/media.styles.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** One file on the wire: its name and its bytes as a `data:` URL. */
export interface FileWire {
  name: string;
  data: string;
}

function sizeOf(dataUrl: string): number {
  const body = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Math.floor((body.length * 3) / 4);
}

function formatSize(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

/**
 * @event vt-change - When the user picks, drops or removes files.
 * @csspart base - The wrapper. @csspart drop - The drop zone. @csspart list - The files. @csspart problem - Why a file was refused.
 */
export class VtFile extends FieldElement<FileWire | FileWire[] | null> {
  static override styles = [themeStyles, mediaStyles];

  @property({ attribute: false }) value: FileWire | FileWire[] | null = null;
  /** `single` or `multiple`. */
  @property() fileCount: 'single' | 'multiple' = 'single';
  /** Accepted extensions and media types (`.pdf`, `image/*`). */
  @property({ type: Array }) fileTypes: string[] = [];
  @property({ type: Number }) maxBytes = 10 * 1024 * 1024;
  @property({ type: Number }) maxFiles = 10;
  @state() private problem = '';
  private readonly dropZone = dropHandlers((files) => void this.take(files));

  reset(): void {
    this.value = null;
    this.problem = '';
  }

  private get files(): FileWire[] {
    const v = this.value;
    return v === null ? [] : Array.isArray(v) ? v : [v];
  }

  private accepted(file: File): boolean {
    if (this.fileTypes.length === 0) return true;
    const ext = `.${file.name.split('.').pop()?.toLowerCase() ?? ''}`;
    return this.fileTypes.some((t) => (t.startsWith('.') ? t.toLowerCase() === ext : t.endsWith('/*') ? file.type.startsWith(t.slice(0, -1)) : t === file.type));
  }

  private async take(picked: File[]): Promise<void> {
    const multiple = this.fileCount === 'multiple';
    const chosen = multiple ? picked.slice(0, this.maxFiles) : picked.slice(0, 1);
    const refused = chosen.find((f) => !this.accepted(f) || f.size > this.maxBytes);
    if (refused) {
      this.problem = !this.accepted(refused) ? `${refused.name} is not one of ${this.fileTypes.join(', ')}.` : `${refused.name} is ${formatSize(refused.size)}; the limit is ${formatSize(this.maxBytes)}.`;
      return;
    }
    this.problem = '';
    const read = await Promise.all(chosen.map(async (f) => ({ name: f.name, data: await blobToDataUrl(f) })));
    this.value = multiple ? [...this.files, ...read].slice(0, this.maxFiles) : read[0]!;
    this.emitInput();
    this.emitChange();
  }

  private removeFile(index: number): void {
    const rest = this.files.filter((_, i) => i !== index);
    this.value = this.fileCount === 'multiple' ? (rest.length > 0 ? rest : null) : null;
    this.emitInput();
    this.emitChange();
  }

  override render() {
    const files = this.files;
    const list = html`<ul class="list" part="list" aria-label="Files">
      ${files.map(
        (f, i) => html`<li>
          <a href=${f.data.startsWith('data:') ? f.data : `data:application/octet-stream;base64,${f.data}`} download=${f.name}>${f.name}</a>
          <small>(${formatSize(sizeOf(f.data))})</small>
          ${this.readonly ? nothing : html`<button class="button" type="button" aria-label=${`Remove ${f.name}`} @click=${() => this.removeFile(i)}>✕</button>`}
        </li>`,
      )}
    </ul>`;
    if (this.readonly) {
      return html`<div class="field" part="base">
        ${this.renderLabel(false)}
        ${files.length === 0 ? html`<p class="empty">No file yet</p>` : list}
        ${this.renderInfo()}
      </div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <div class="drop" part="drop" @dragover=${this.dropZone.over} @dragleave=${this.dropZone.leave} @drop=${this.dropZone.drop}>
        <p class="empty">Drop ${this.fileCount === 'multiple' ? 'files' : 'a file'} here${this.fileTypes.length > 0 ? ` (${this.fileTypes.join(', ')})` : ''}, or</p>
        <input
          id="control"
          type="file"
          ?multiple=${this.fileCount === 'multiple'}
          accept=${this.fileTypes.join(',') || nothing}
          ?disabled=${this.disabled}
          aria-describedby=${this.describedBy}
          @change=${(e: Event) => void this.take([...((e.target as HTMLInputElement).files ?? [])])}
        />
      </div>
      ${files.length > 0 ? list : nothing}
      ${this.problem ? html`<p class="problem" part="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
