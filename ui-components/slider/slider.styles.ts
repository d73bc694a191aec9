/** Styles of `<vt-slider>`. */
import { css } from 'lit';

export const sliderStyles = css`
  :host {
    display: block;
  }
  .head {
    display: flex;
    justify-content: space-between;
    align-items: baseline;
    gap: var(--_gap);
  }
  .value {
    font-variant-numeric: tabular-nums;
    font-size: 0.875rem;
    color: var(--_muted);
  }
  input[type='range'] {
    width: 100%;
    min-height: 32px;
    margin: 0;
    accent-color: var(--_primary);
  }
`;
