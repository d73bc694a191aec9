/** `<vt-highlighted-text>`: text in spans, each marked with its class (a colour and a legend) or its score (a red-to-green tint). */
import { css, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { FieldElement } from '../internal/field-element.ts';
import { classColour } from '../internal/palette.ts';
import { themeStyles } from '../internal/theme.styles.ts';

/** One span, as on the wire. */
export interface Span {
  token: string;
  class_or_confidence: string | number | null;
}

/**
 * Output only: a score is shown as a tint (red below 0, green above) and in the span's title.
 *
 * @csspart base - The wrapper. @csspart text - The text. @csspart span - A marked span. @csspart legend - The classes.
 */
export class VtHighlightedText extends FieldElement<Span[] | null> {
  static override styles = [
    themeStyles,
    css`
      :host { display: block; }
      .text { padding: 8px 12px; border: 1px solid var(--_border); border-radius: var(--_radius); background: var(--_surface); line-height: 2; white-space: pre-wrap; min-height: 40px; }
      mark { color: #111; border-radius: 4px; padding: 2px 2px; }
      mark .tag { font-size: 0.7rem; font-weight: 700; margin-left: 4px; opacity: 0.75; }
      .legend { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; margin: 0; padding: 0; font-size: 0.8125rem; }
      .legend li { padding: 0 8px; border-radius: 4px; color: #111; }
      .empty { color: var(--_muted); }
    `,
  ];

  @property({ attribute: false }) value: Span[] | null = null;
  /** Colours per class (CSS colours). */
  @property({ type: Object }) colorMap: Record<string, string> = {};
  @property({ type: Boolean }) showLegend = true;

  constructor() {
    super();
    this.readonly = true;
  }

  reset(): void {
    this.value = null;
  }

  private mark(span: Span) {
    const c = span.class_or_confidence;
    if (c === null || c === undefined) return span.token;
    if (typeof c === 'number') {
      const alpha = Math.min(1, Math.abs(c));
      const colour = c < 0 ? `rgba(239, 68, 68, ${alpha})` : `rgba(34, 197, 94, ${alpha})`;
      return html`<mark part="span" title=${`score ${c.toFixed(2)}`} style=${styleMap({ background: colour })}>${span.token}</mark>`;
    }
    return html`<mark part="span" style=${styleMap({ background: classColour(c, this.colorMap) })}>${span.token}<span class="tag">${c}</span></mark>`;
  }

  override render() {
    const spans = Array.isArray(this.value) ? this.value.filter((s) => typeof s?.token === 'string') : [];
    const classes = [...new Set(spans.map((s) => s.class_or_confidence).filter((c): c is string => typeof c === 'string'))];
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="text" part="text" role="region" aria-labelledby="label" aria-live="polite">
        ${spans.length === 0 ? html`<span class="empty">No result yet</span>` : spans.map((s) => this.mark(s))}
      </div>
      ${this.showLegend && classes.length > 0
        ? html`<ul class="legend" part="legend" aria-label="Classes">
            ${classes.map((c) => html`<li style=${styleMap({ background: classColour(c, this.colorMap) })}>${c}</li>`)}
          </ul>`
        : nothing}
      ${this.renderInfo()}
    </div>`;
  }
}
