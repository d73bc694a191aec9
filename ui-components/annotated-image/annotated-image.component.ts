/** `<vt-annotated-image>`: a picture with labelled boxes and masks drawn over it and a legend; focusing or hovering a label highlights its regions. */
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { FieldElement } from '../internal/field-element.ts';
import { imageSrc } from '../internal/files.ts';
import { classColour } from '../internal/palette.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** The wire value. */
export interface AnnotatedImageValue {
  image: string;
  annotations: Array<{ label: string; box?: [number, number, number, number]; mask?: string }>;
}

/**
 * Output only. Boxes are placed in percent of the picture's natural size, so they follow it
 * when it scales; masks are laid over it with their colour.
 *
 * @csspart base - The wrapper. @csspart picture - The picture and its regions. @csspart box - A box. @csspart legend - The labels.
 */
export class VtAnnotatedImage extends FieldElement<AnnotatedImageValue | null> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .picture { position: relative; display: inline-block; align-self: flex-start; max-width: 100%; line-height: 0; border: 1px solid var(--_border); border-radius: var(--_radius); overflow: hidden; }
      .picture > img { max-width: 100%; min-width: 224px; image-rendering: pixelated; }
      .box { position: absolute; border: 2px solid; box-sizing: border-box; opacity: 0.9; transition: opacity 0.1s; }
      .mask { position: absolute; inset: 0; width: 100%; height: 100%; opacity: 0.45; mix-blend-mode: multiply; image-rendering: pixelated; }
      .dim .box:not(.on), .dim .mask:not(.on) { opacity: 0.15; }
      .box span { position: absolute; top: -1px; left: -1px; font: 600 0.7rem/1.4 system-ui, sans-serif; padding: 0 4px; color: #111; }
      .legend { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; margin: 0; padding: 0; }
      .legend button { border: 0; border-radius: 4px; padding: 2px 8px; color: #111; font: inherit; font-size: 0.8125rem; cursor: default; }
      .empty { color: var(--_muted); }
    `,
  ];

  @property({ attribute: false }) value: AnnotatedImageValue | null = null;
  @property({ type: Object }) colorMap: Record<string, string> = {};
  @state() private size: { width: number; height: number } | null = null;
  @state() private focused: string | null = null;

  constructor() {
    super();
    this.readonly = true;
  }

  reset(): void {
    this.value = null;
  }

  override render() {
    const v = this.value;
    if (v === null || typeof v?.image !== 'string') {
      return html`<div class="field" part="base">${this.renderLabel(false)}<p class="empty">No result yet</p>${this.renderInfo()}</div>`;
    }
    const annotations = Array.isArray(v.annotations) ? v.annotations : [];
    const labels = [...new Set(annotations.map((a) => a.label))];
    const size = this.size;
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="picture ${this.focused === null ? '' : 'dim'}" part="picture" role="img" aria-label=${`${this.labelText}: ${labels.join(', ') || 'no regions'}`}>
        <img src=${imageSrc(v.image)} alt="" @load=${(e: Event) => {
          const img = e.target as HTMLImageElement;
          this.size = { width: img.naturalWidth, height: img.naturalHeight };
        }} />
        ${annotations.map((a) => {
          const colour = classColour(a.label, this.colorMap);
          const on = this.focused === a.label ? 'on' : '';
          if (a.mask !== undefined) return html`<img class="mask ${on}" src=${imageSrc(a.mask)} alt="" />`;
          if (!a.box || size === null) return nothing;
          const [x0, y0, x1, y1] = a.box;
          const style = {
            left: `${(100 * x0) / size.width}%`,
            top: `${(100 * y0) / size.height}%`,
            width: `${(100 * (x1 - x0)) / size.width}%`,
            height: `${(100 * (y1 - y0)) / size.height}%`,
            borderColor: colour,
          };
          return html`<div class="box ${on}" part="box" style=${styleMap(style)}><span style=${styleMap({ background: colour })}>${a.label}</span></div>`;
        })}
      </div>
      ${labels.length > 0
        ? html`<ul class="legend" part="legend" aria-label="Labels">
            ${labels.map(
              (l) => html`<li>
                <button type="button" style=${styleMap({ background: classColour(l, this.colorMap) })} @mouseenter=${() => (this.focused = l)} @mouseleave=${() => (this.focused = null)} @focus=${() => (this.focused = l)} @blur=${() => (this.focused = null)}>${l}</button>
              </li>`,
            )}
          </ul>`
        : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
