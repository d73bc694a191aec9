/** `<vt-audio>`: a sound uploaded, dropped or recorded from the microphone (sent as WAV), or returned and played. */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { encodeWav } from '../../framework/media/wav.ts';
import { dropHandlers } from '../internal/drop.ts';
import { MediaFieldElement } from '../internal/media-field.ts';
import { mediaStyles } from '../internal/media.styles.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/**
 * A recording is decoded by the browser and sent as 16-bit WAV, which every server-side decoder
 * reads, whatever container the browser's recorder makes (WebM/Opus in Chromium, MP4 in Safari).
 *
 * @event vt-change - When the user picks, drops or finishes recording a sound.
 * @csspart base - The wrapper. @csspart drop - The drop zone. @csspart player - The audio element.
 * @csspart record-button - Record / Stop.
 */
export class VtAudio extends MediaFieldElement {
  static override styles = [themeStyles, mediaStyles];

  /** `upload`, `microphone`. */
  @property({ type: Array }) sources: string[] = ['upload', 'microphone'];
  @state() private recording = false;
  protected readonly defaultType = 'audio/wav';
  private recorder: MediaRecorder | undefined;
  private readonly dropZone = dropHandlers((files) => void this.takeFile(files[0]!));

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.recorder?.stream.getTracks().forEach((t) => t.stop());
  }

  private async toggleRecording(): Promise<void> {
    if (this.recorder !== undefined) {
      this.recorder.stop();
      return;
    }
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      this.problem = `The microphone is not available: ${err instanceof Error ? err.message : String(err)}`;
      return;
    }
    const chunks: Blob[] = [];
    const recorder = new MediaRecorder(stream);
    recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
    recorder.addEventListener('stop', () => {
      stream.getTracks().forEach((t) => t.stop());
      this.recorder = undefined;
      this.recording = false;
      void this.finishRecording(new Blob(chunks, { type: recorder.mimeType }));
    });
    this.recorder = recorder;
    this.recording = true;
    this.problem = '';
    recorder.start();
  }

  private async finishRecording(blob: Blob): Promise<void> {
    try {
      const context = new AudioContext();
      const buffer = await context.decodeAudioData(await blob.arrayBuffer());
      void context.close();
      const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
      const wav = encodeWav(channels, buffer.sampleRate);
      await this.takeFile(new Blob([wav as Uint8Array<ArrayBuffer>], { type: 'audio/wav' }));
    } catch (err) {
      this.problem = `The recording could not be read: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  override render() {
    const player = this.src ? html`<audio part="player" controls src=${this.src} aria-labelledby="label"></audio>` : nothing;
    if (this.readonly) {
      return html`<div class="field" part="base">${this.renderLabel(false)}${this.src ? player : html`<p class="empty">No sound yet</p>`}${this.renderInfo()}</div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="drop" part="drop" role="group" aria-labelledby="label" aria-describedby=${this.describedBy} @dragover=${this.dropZone.over} @dragleave=${this.dropZone.leave} @drop=${this.dropZone.drop}>
        ${player}
        <div class="row">
          ${this.sources.includes('upload')
            ? html`<input type="file" accept="audio/*" aria-label="Upload a sound" ?disabled=${this.disabled || this.recording} @change=${(e: Event) => {
                const f = (e.target as HTMLInputElement).files?.[0];
                if (f) void this.takeFile(f);
              }} />`
            : nothing}
          ${this.sources.includes('microphone')
            ? html`<button class="button" part="record-button" type="button" aria-pressed=${this.recording ? 'true' : 'false'} ?disabled=${this.disabled} @click=${this.toggleRecording}>
                ${this.recording ? 'Stop recording' : 'Record from microphone'}
              </button>`
            : nothing}
        </div>
      </div>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
