/** Styles of `<vt-progress>`. */
import { css } from 'lit';

export const progressStyles = css`
  :host {
    display: block;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .track {
    height: var(--vt-progress-height, 6px);
    border-radius: 999px;
    background: color-mix(in srgb, var(--_primary) 15%, var(--_surface));
    overflow: hidden;
  }
  .indicator {
    height: 100%;
    border-radius: inherit;
    background: var(--_primary);
    transition: width 0.2s ease-out;
  }
  .label {
    display: flex;
    justify-content: space-between;
    gap: 8px;
    font-size: 0.875rem;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  @media (prefers-reduced-motion: reduce) {
    .indicator {
      transition: none;
    }
  }
`;
