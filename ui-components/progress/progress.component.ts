/** `<vt-progress>`: how far a running job has got, as the function reports it (`ctx.progress`). */
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { themeStyles } from '../internal/theme.styles.ts';
import { VitrineElement } from '../internal/vitrine-element.ts';
import { progressStyles } from './progress.styles.ts';

/**
 * A determinate progress bar with the step the function says it is on.
 *
 * @csspart base - The wrapper. @csspart track - The bar's background. @csspart indicator - The filled part.
 * @csspart label - The description and the percentage.
 * @cssproperty --vt-progress-height - The bar's thickness (default 6px).
 */
export class VtProgress extends VitrineElement {
  static override styles = [themeStyles, progressStyles];

  /** The fraction done, from 0 to 1 (clamped). */
  @property({ type: Number }) value = 0;

  /** What the function says it is doing. */
  @property() description = '';

  override render() {
    const fraction = Number.isFinite(this.value) ? Math.min(1, Math.max(0, this.value)) : 0;
    const percent = Math.round(fraction * 100);
    const text = this.description ? `${this.description}, ${percent}%` : `${percent}%`;
    return html`<div class="base" part="base">
      <div
        class="track"
        part="track"
        role="progressbar"
        aria-label="Progress"
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${percent}
        aria-valuetext=${text}
      >
        <div class="indicator" part="indicator" style=${styleMap({ width: `${percent}%` })}></div>
      </div>
      <div class="label" part="label" aria-hidden="true"><span>${this.description}</span><span>${percent}%</span></div>
    </div>`;
  }
}
