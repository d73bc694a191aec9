/** `<vt-image>`: an image input (file picker, drag and drop, paste, webcam) or, read-only, an image output. */
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { FieldElement, type ExampleView } from '../internal/field-element.ts';
import { blobToDataUrl, imageSrc } from '../internal/files.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { imageStyles } from './image.styles.ts';

/** Where an input image may come from. */
export type ImageSource = 'upload' | 'clipboard' | 'webcam';

/** Images at most this many pixels wide and high are scaled up without smoothing (e.g. 28×28). */
const PIXELATED_MAX = 96;

/**
 * The value is a `data:` URL of the file's bytes as they were: the page never decodes or
 * re-encodes an upload, so the server alone decides whether a file is a valid image.
 *
 * @event vt-input - With vt-change, when the user picks, drops, pastes, captures or clears an image.
 * @event vt-change - When the user picks, drops, pastes, captures or clears an image.
 * @csspart base - The wrapper. @csspart label - The label. @csspart frame - The preview area.
 * @csspart drop-zone - The button that opens the file picker and takes drops. @csspart preview - The image.
 * @csspart toolbar - The buttons under the preview. @csspart download - The output's download link.
 * @csspart info - The help text.
 */
export class VtImage extends FieldElement<string | null> {
  static override styles = [themeStyles, imageStyles];

  /** A `data:` URL (or bare base64), or null when there is no image. */
  @property() value: string | null = null;
  /** The size the server resizes pictures to before the app gets them, shown as a hint. */
  @property({ type: Number }) width: number | undefined;
  @property({ type: Number }) height: number | undefined;
  /** The color mode the model works in: L (grayscale), RGB or RGBA. */
  @property() mode: 'L' | 'RGB' | 'RGBA' = 'RGB';
  /** How the server fits the image to width × height; shown as a hint only. */
  @property() fit = '';
  /** Which ways of giving an image are offered. */
  @property({ type: Array }) sources: ImageSource[] = ['upload', 'clipboard', 'webcam'];

  @state() private dragging = false;
  @state() private camera: 'off' | 'starting' | 'live' = 'off';
  @state() private problem = '';
  @state() private previewBroken = false;
  @state() private pixelated = false;

  private stream: MediaStream | null = null;
  /** Bumped by every new pick so a slow FileReader cannot overwrite a newer image. */
  private pickCount = 0;

  constructor() {
    super();
    // Paste is listened to on the host: it reaches it from the focused drop zone inside the shadow
    // root (paste events are composed), and no document-wide listener is left behind.
    this.addEventListener('paste', (event) => this.onPaste(event));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopCamera();
  }

  /**
   * An example image is a file URL (relative to the interface) or an inline data: URL: the
   * gallery shows it as a thumbnail, and the interface fetches a file before running.
   *
   * @example
   * image.exampleView('examples/0/sneaker.png', base); // { text: 'sneaker.png', file: URL …/examples/0/sneaker.png }
   */
  override exampleView(value: unknown, base: URL): ExampleView {
    if (typeof value !== 'string') return super.exampleView(value, base);
    if (value.startsWith('data:')) return { text: 'image', thumbnail: value };
    return { text: decodeURIComponent(value.split('/').pop() ?? value), file: new URL(value, base) };
  }

  reset(): void {
    this.pickCount++;
    this.stopCamera();
    this.value = null;
    this.problem = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('value')) {
      this.previewBroken = false;
      this.pixelated = false;
    }
  }

  private has(source: ImageSource): boolean {
    return !this.readonly && Array.isArray(this.sources) && this.sources.includes(source);
  }

  private get canPasteButton(): boolean {
    return this.has('clipboard') && typeof navigator.clipboard?.read === 'function';
  }

  private get canWebcam(): boolean {
    return this.has('webcam') && typeof navigator.mediaDevices?.getUserMedia === 'function';
  }

  private setFromUser(value: string | null): void {
    this.value = value;
    this.problem = '';
    this.emitInput();
    this.emitChange();
  }

  private async take(file: Blob | null | undefined): Promise<void> {
    if (file === null || file === undefined || this.disabled || this.readonly) return;
    const pick = ++this.pickCount;
    try {
      const url = await blobToDataUrl(file);
      if (pick === this.pickCount) this.setFromUser(url);
    } catch (err) {
      if (pick === this.pickCount) this.problem = `The file could not be read: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private openPicker(): void {
    if (this.disabled) return;
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private onFileChosen(event: Event): void {
    const input = event.target as HTMLInputElement;
    void this.take(input.files?.[0]);
    // Cleared so picking the same file again still fires `change`.
    input.value = '';
  }

  private onDragOver(event: DragEvent): void {
    if (!this.has('upload') || this.disabled) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  }

  private onDragLeave(event: DragEvent): void {
    const to = event.relatedTarget as Node | null;
    if (to === null || !(event.currentTarget as HTMLElement).contains(to)) this.dragging = false;
  }

  private onDrop(event: DragEvent): void {
    if (!this.has('upload') || this.disabled) return;
    event.preventDefault();
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    void this.take(files.find((f) => f.type.startsWith('image/')) ?? files[0]);
  }

  private onPaste(event: ClipboardEvent): void {
    if (!this.has('clipboard') || this.disabled) return;
    const items = [...(event.clipboardData?.items ?? [])];
    const item = items.find((i) => i.kind === 'file' && i.type.startsWith('image/'));
    if (item === undefined) return;
    event.preventDefault();
    void this.take(item.getAsFile());
  }

  private async pasteFromClipboard(): Promise<void> {
    try {
      for (const item of await navigator.clipboard.read()) {
        const type = item.types.find((t) => t.startsWith('image/'));
        if (type !== undefined) {
          await this.take(await item.getType(type));
          return;
        }
      }
      this.problem = 'The clipboard holds no image.';
    } catch {
      this.problem = 'The browser did not allow reading the clipboard; press Ctrl+V (⌘V) here instead.';
    }
  }

  private async startCamera(): Promise<void> {
    this.problem = '';
    this.camera = 'starting';
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' }, audio: false });
      if (this.camera !== 'starting' || !this.isConnected) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.stream = stream;
      this.camera = 'live';
      await this.updateComplete;
      const video = this.renderRoot.querySelector('video');
      if (video !== null) {
        video.srcObject = stream;
        await video.play().catch(() => undefined);
      }
      this.renderRoot.querySelector<HTMLButtonElement>('button.capture')?.focus();
    } catch (err) {
      this.stopCamera();
      const denied = err instanceof DOMException && (err.name === 'NotAllowedError' || err.name === 'SecurityError');
      this.problem = denied ? 'Camera access was denied.' : 'No camera could be started.';
    }
  }

  private stopCamera(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.camera = 'off';
  }

  private capture(): void {
    const video = this.renderRoot.querySelector('video');
    if (video === null || video.videoWidth === 0) {
      this.problem = 'The camera has not started yet.';
      return;
    }
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const url = canvas.toDataURL('image/png');
    this.stopCamera();
    this.pickCount++;
    this.setFromUser(url);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#control')?.focus());
  }

  private cancelCamera(): void {
    this.stopCamera();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#control')?.focus());
  }

  private clear(): void {
    this.pickCount++;
    this.setFromUser(null);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#control')?.focus());
  }

  private onPreviewLoad(event: Event): void {
    const img = event.target as HTMLImageElement;
    this.pixelated = img.naturalWidth <= PIXELATED_MAX && img.naturalHeight <= PIXELATED_MAX;
  }

  private onPreviewError(): void {
    this.previewBroken = true;
  }

  /**
   * What the server does to a picture before the app gets it: the resize is the input's, not the
   * model's (an app may crop or shrink further, as Fashion-MNIST does to 28×28), so it says so.
   */
  private get hint(): string {
    const size = this.width && this.height ? `${this.width}×${this.height}` : '';
    const grey = this.mode === 'L' ? 'grayscale' : '';
    if (!size) return grey ? 'The app gets it in grayscale.' : '';
    const resized = this.fit === 'inside' ? `scaled down to fit ${size}` : `resized to ${size}`;
    return `The app gets it ${resized}${grey ? `, in ${grey}` : ''}.`;
  }

  private renderPreview(alt: string) {
    if (this.value === null) return nothing;
    if (this.previewBroken) return html`<span class="broken">This file cannot be previewed; the server will check it.</span>`;
    return html`<img
      part="preview"
      class=${this.pixelated ? 'pixelated' : ''}
      src=${imageSrc(this.value)}
      alt=${alt}
      @load=${this.onPreviewLoad}
      @error=${this.onPreviewError}
    />`;
  }

  private renderOutput() {
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="frame output" part="frame" role="group" aria-labelledby="label">
        ${this.value === null ? html`<span class="empty">No image yet</span>` : this.renderPreview(this.labelText)}
      </div>
      ${this.value !== null
        ? html`<div class="toolbar" part="toolbar">
            <a class="button" part="download" href=${imageSrc(this.value)} download=${`${this.name || 'image'}.png`}
              >Download<span class="visually-hidden"> ${this.labelText}</span></a
            >
          </div>`
        : nothing}
      ${this.renderInfo()}
    </div>`;
  }

  private renderFrame() {
    if (this.camera !== 'off') {
      return html`<div class="frame camera" part="frame">
        <video part="video" autoplay muted playsinline aria-label="Webcam preview"></video>
      </div>`;
    }
    const uploading = this.has('upload');
    const empty = html`<span class="prompt">
      ${uploading ? html`<strong>Drop an image here</strong> or <span class="link">browse</span>` : html`<strong>No image</strong>`}
      ${this.has('clipboard') ? html`<span class="sub">or paste one (Ctrl+V)</span>` : nothing}
      ${this.hint ? html`<span class="sub">${this.hint}</span>` : nothing}
    </span>`;
    const state = this.value === null ? 'no image chosen' : 'an image is chosen';
    const how = [uploading ? 'press Enter to choose a file' : '', this.has('clipboard') ? 'paste an image' : ''].filter(Boolean).join(' or ');
    const name = `${this.labelText}: ${state}.${how ? ` ${how.charAt(0).toUpperCase()}${how.slice(1)}.` : ''}`;
    return html`<div
      class="frame ${this.dragging ? 'dragging' : ''}"
      part="frame"
      @dragenter=${this.onDragOver}
      @dragover=${this.onDragOver}
      @dragleave=${this.onDragLeave}
      @drop=${this.onDrop}
    >
      ${uploading || this.has('clipboard')
        ? html`<button
            type="button"
            id="control"
            class="drop"
            part="drop-zone"
            aria-label=${name}
            aria-describedby=${this.describedBy}
            ?disabled=${this.disabled}
            @click=${uploading ? this.openPicker : nothing}
          >
            ${this.value === null ? empty : this.renderPreview('')}
          </button>`
        : html`<div class="drop" id="control" tabindex="-1">${this.value === null ? empty : this.renderPreview(this.labelText)}</div>`}
    </div>`;
  }

  private renderToolbar() {
    if (this.camera !== 'off') {
      return html`<div class="toolbar" part="toolbar">
        <button type="button" class="button primary capture" ?disabled=${this.camera !== 'live'} @click=${this.capture}>
          Capture<span class="visually-hidden"> a photo for ${this.labelText}</span>
        </button>
        <button type="button" class="button" @click=${this.cancelCamera}>Cancel</button>
      </div>`;
    }
    const buttons = [
      this.canPasteButton
        ? html`<button type="button" class="button" ?disabled=${this.disabled} @click=${this.pasteFromClipboard}>
            Paste<span class="visually-hidden"> an image into ${this.labelText}</span>
          </button>`
        : null,
      this.canWebcam
        ? html`<button type="button" class="button webcam" ?disabled=${this.disabled} @click=${this.startCamera}>
            Webcam<span class="visually-hidden"> photo for ${this.labelText}</span>
          </button>`
        : null,
      this.value !== null
        ? html`<button type="button" class="button clear" ?disabled=${this.disabled} @click=${this.clear}>
            Remove<span class="visually-hidden"> the image from ${this.labelText}</span>
          </button>`
        : null,
    ].filter((b) => b !== null);
    return buttons.length > 0 ? html`<div class="toolbar" part="toolbar">${buttons}</div>` : nothing;
  }

  override render() {
    if (this.readonly) return this.renderOutput();
    return html`<div class="field" part="base">
      ${this.renderLabel(false)} ${this.renderFrame()} ${this.renderToolbar()}
      <input
        type="file"
        accept="image/*"
        class="visually-hidden"
        tabindex="-1"
        aria-hidden="true"
        ?disabled=${this.disabled}
        @change=${this.onFileChosen}
      />
      ${this.problem ? html`<p class="problem" role="alert" part="problem">${this.problem}</p>` : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
