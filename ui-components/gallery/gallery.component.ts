/** `<vt-gallery>`: pictures with captions in a grid (output); pictures picked or dropped, captions typed (input). */
import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { dropHandlers } from '../internal/drop.ts';
import { FieldElement } from '../internal/field-element.ts';
import { blobToDataUrl, imageSrc } from '../internal/files.ts';
import { mediaStyles } from '../internal/media.styles.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** One picture on the wire. */
export interface GalleryItem {
  image: string;
  caption: string | null;
}

/**
 * @event vt-change - When the user adds or removes pictures, or edits a caption.
 * @csspart base - The wrapper. @csspart grid - The pictures. @csspart item - One figure. @csspart caption - Its caption.
 */
export class VtGallery extends FieldElement<GalleryItem[] | null> {
  static override styles = [
    themeStyles,
    mediaStyles,
    css`
      .grid { display: grid; gap: 8px; margin: 0; padding: 0; list-style: none; }
      figure { margin: 0; border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; background: var(--_surface); }
      img { display: block; width: 100%; aspect-ratio: 1; object-fit: contain; image-rendering: auto; }
      img.pixelated { image-rendering: pixelated; }
      figcaption { padding: 4px 8px; font-size: 0.8125rem; }
      figcaption input { font: inherit; width: 100%; }
    `,
  ];

  @property({ attribute: false }) value: GalleryItem[] | null = null;
  @property({ type: Number }) columns = 3;
  @property({ type: Number }) maxImages = 100;
  private readonly dropZone = dropHandlers((files) => void this.take(files));

  reset(): void {
    this.value = null;
  }

  private get items(): GalleryItem[] {
    return Array.isArray(this.value) ? this.value.filter((i) => typeof i?.image === 'string') : [];
  }

  private commit(items: GalleryItem[]): void {
    this.value = items.length > 0 ? items : null;
    this.emitInput();
    this.emitChange();
  }

  private async take(files: File[]): Promise<void> {
    const pictures = files.filter((f) => f.type.startsWith('image/'));
    const read = await Promise.all(pictures.map(async (f) => ({ image: await blobToDataUrl(f), caption: f.name })));
    this.commit([...this.items, ...read].slice(0, this.maxImages));
  }

  override render() {
    const items = this.items;
    const grid = html`<ul class="grid" part="grid" style=${styleMap({ gridTemplateColumns: `repeat(${Math.max(1, Math.min(12, this.columns))}, minmax(0, 1fr))` })}>
      ${items.map(
        (item, i) => html`<li>
          <figure part="item">
            <img src=${imageSrc(item.image)} alt=${item.caption ?? `Picture ${i + 1}`} @load=${(e: Event) => {
              const img = e.target as HTMLImageElement;
              img.classList.toggle('pixelated', img.naturalWidth <= 64);
            }} />
            ${this.readonly
              ? item.caption
                ? html`<figcaption part="caption">${item.caption}</figcaption>`
                : nothing
              : html`<figcaption part="caption">
                  <input aria-label=${`Caption of picture ${i + 1}`} .value=${item.caption ?? ''} @change=${(e: Event) =>
                    this.commit(items.map((it, j) => (j === i ? { ...it, caption: (e.target as HTMLInputElement).value || null } : it)))} />
                  <button class="button" type="button" aria-label=${`Remove picture ${i + 1}`} @click=${() => this.commit(items.filter((_, j) => j !== i))}>✕</button>
                </figcaption>`}
          </figure>
        </li>`,
      )}
    </ul>`;
    if (this.readonly) {
      return html`<div class="field" part="base">
        ${this.renderLabel(false)}
        <div role="region" aria-labelledby="label">${items.length === 0 ? html`<p class="empty">No pictures yet</p>` : grid}</div>
        ${this.renderInfo()}
      </div>`;
    }
    return html`<div class="field" part="base">
      ${this.renderLabel()}
      <div class="drop" part="drop" @dragover=${this.dropZone.over} @dragleave=${this.dropZone.leave} @drop=${this.dropZone.drop}>
        <input id="control" type="file" accept="image/*" multiple ?disabled=${this.disabled} aria-describedby=${this.describedBy} @change=${(e: Event) => void this.take([...((e.target as HTMLInputElement).files ?? [])])} />
      </div>
      ${items.length > 0 ? grid : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
