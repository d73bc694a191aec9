/** `<vt-label>`: a classification result — the top class and a bar per class with its confidence. */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { LabelValue } from '../internal/config.ts';
import { FieldElement } from '../internal/field-element.ts';
import { themeStyles } from '../internal/theme.styles.ts';
import { labelStyles } from './label.styles.ts';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });

/**
 * Output only. Bars are drawn with a width set through CSSOM, which a strict style CSP allows.
 *
 * @csspart base - The wrapper. @csspart label - The field label. @csspart top-label - The winning class.
 * @csspart list - The list of classes. @csspart row - One class. @csspart track - A bar's track.
 * @csspart fill - A bar's fill. @csspart info - The help text.
 */
export class VtLabel extends FieldElement<LabelValue | null> {
  static override styles = [themeStyles, labelStyles];

  /** The Label wire value, or null before any prediction. */
  @property({ attribute: false }) value: LabelValue | null = null;
  /** How many classes to show at most; all that the value carries when unset. */
  @property({ type: Number, attribute: 'top-k' }) topK: number | undefined;

  constructor() {
    super();
    this.readonly = true;
  }

  reset(): void {
    this.value = null;
  }

  private get rows(): Array<{ label: string; confidence: number }> {
    const confidences = Array.isArray(this.value?.confidences) ? this.value.confidences : [];
    const valid = confidences.filter((c) => typeof c?.label === 'string' && Number.isFinite(c.confidence));
    const sorted = [...valid].sort((a, b) => b.confidence - a.confidence);
    return this.topK !== undefined && this.topK > 0 ? sorted.slice(0, this.topK) : sorted;
  }

  override render() {
    const value = this.value;
    const rows = this.rows;
    return html`<div class="field" part="base">
      ${this.renderLabel(false)}
      <div class="result" role="status" aria-atomic="true" aria-labelledby="label">
        ${value === null || typeof value.label !== 'string'
          ? html`<p class="empty">No result yet</p>`
          : html`<p class="top" part="top-label">${value.label}</p>
              ${rows.length === 0
                ? null
                : html`<ol class="list" part="list">
                    ${rows.map((row, i) => {
                      const share = Math.min(1, Math.max(0, row.confidence));
                      return html`<li class="row ${i === 0 ? 'first' : ''}" part="row">
                        <span class="name">${row.label}</span>
                        <span class="pct">${percent.format(share)}</span>
                        <span class="track" part="track" aria-hidden="true"
                          ><span class="fill" part="fill" style=${styleMap({ width: `${(share * 100).toFixed(2)}%` })}></span
                        ></span>
                      </li>`;
                    })}
                  </ol>`}`}
      </div>
      ${this.renderInfo()}
    </div>`;
  }
}
