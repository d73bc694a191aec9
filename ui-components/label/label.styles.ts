/** Styles of `<vt-label>`. */
import { css } from 'lit';

export const labelStyles = css`
  :host {
    display: block;
  }
  .result {
    display: flex;
    flex-direction: column;
    gap: 10px;
    padding: 12px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    min-height: 64px;
  }
  .empty {
    margin: 0;
    color: var(--_muted);
  }
  .top {
    margin: 0;
    font-size: 1.5rem;
    font-weight: 700;
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  .list {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .row {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 2px 12px;
    font-size: 0.9375rem;
  }
  .name {
    overflow-wrap: anywhere;
  }
  .pct {
    font-variant-numeric: tabular-nums;
    color: var(--_muted);
  }
  .track {
    grid-column: 1 / -1;
    height: 8px;
    border-radius: 999px;
    background: color-mix(in srgb, var(--_border) 60%, transparent);
    overflow: hidden;
  }
  .fill {
    display: block;
    height: 100%;
    border-radius: inherit;
    background: color-mix(in srgb, var(--_primary) 45%, var(--_surface));
    transition: width 0.25s ease-out;
  }
  .row.first .fill {
    background: var(--_primary);
  }
  .row.first .name {
    font-weight: 600;
  }
  @media (prefers-reduced-motion: reduce) {
    .fill {
      transition: none;
    }
  }
`;
