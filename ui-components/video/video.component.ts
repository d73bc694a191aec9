/** `<vt-video>`: a video picked or dropped (input) or returned (output), played by the browser as it is. */
import { html, nothing } from 'lit';
import { dropHandlers } from '../internal/drop.ts';
import { MediaFieldElement } from '../internal/media-field.ts';
import { mediaStyles } from '../internal/media.styles.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * @event vt-change - When the user picks or drops a video.
 * @csspart base - The wrapper. @csspart drop - The drop zone. @csspart player - The video element.
 */
export class VtVideo extends MediaFieldElement {
  static override styles = [themeStyles, mediaStyles];

  protected readonly defaultType = 'video/mp4';
  private readonly dropZone = dropHandlers((files) => void this.take(files[0]!));

  constructor() {
    super();
    this.maxBytes = 50 * 1024 * 1024;
  }

  private async take(file: File): Promise<void> {
    if (!file.type.startsWith('video/')) {
      this.problem = `${file.name} is not a video.`;
      return;
    }
    await this.takeFile(file);
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
