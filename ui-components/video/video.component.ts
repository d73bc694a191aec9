/** `<vt-video>`: a video picked or dropped (input) or returned (output), played by the browser as it is. */
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { dropHandlers } from '../internal/drop.ts';
import { FieldElement, type ExampleView } from '../internal/field-element.ts';
import { blobToDataUrl, dataUrlToObjectUrl, fileExampleView } from '../internal/files.ts';
import { mediaStyles } from '../internal/media.styles.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user picks or drops a video.
 * @csspart base - The wrapper. @csspart drop - The drop zone. @csspart player - The video element.
 */
export class VtVideo extends FieldElement<string | null> {
  static override styles = [themeStyles, mediaStyles];

  /** The video as a `data:` URL, or null. */
  @property() value: string | null = null;
  @property({ type: Number }) maxBytes = 50 * 1024 * 1024;
  @state() private src = '';
  @state() private problem = '';
  private readonly dropZone = dropHandlers((files) => void this.take(files[0]!));

  reset(): void {
    this.value = null;
  }

  /** An example names its file by URL: the gallery shows the name and the interface fetches the file. */
  override exampleView(value: unknown, base: URL): ExampleView {
    return fileExampleView(value, base) ?? super.exampleView(value, base);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('value')) return;
    if (this.src) URL.revokeObjectURL(this.src);
    this.src = this.value ? dataUrlToObjectUrl(this.value.startsWith('data:') ? this.value : `data:video/mp4;base64,${this.value}`) : '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.src) URL.revokeObjectURL(this.src);
  }

  private async take(file: File): Promise<void> {
    if (!file.type.startsWith('video/')) {
      this.problem = `${file.name} is not a video.`;
      return;
    }
    if (file.size > this.maxBytes) {
      this.problem = `${file.name} is larger than ${Math.round(this.maxBytes / (1 << 20))} MiB.`;
      return;
    }
    this.problem = '';
    this.value = await blobToDataUrl(file);
    this.emitInput();
    this.emitChange();
  }

  override render() {
    const player = this.src ? html`<video part="player" controls preload="metadata" src=${this.src} aria-labelledby="label"></video>` : nothing;
    if (this.readonly) {
      return html`<div class="field" part="base">${this.renderLabel(false)}${this.src ? player : html`<p class="empty">No video yet</p>`}${this.renderInfo()}</div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <div class="drop" part="drop" @dragover=${this.dropZone.over} @dragleave=${this.dropZone.leave} @drop=${this.dropZone.drop}>
        ${player}
        <input id="control" type="file" accept="video/*" ?disabled=${this.disabled} aria-describedby=${this.describedBy} @change=${(e: Event) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (f) void this.take(f);
        }} />
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
