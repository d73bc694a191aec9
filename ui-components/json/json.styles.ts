/** Styles of `<vt-json>`. */
import { css } from 'lit';

export const jsonStyles = css`
  :host {
    display: block;
  }
  textarea.control,
  .output {
    font-family: var(--_mono);
    font-size: 0.8125rem;
    line-height: 1.5;
  }
  textarea.control {
    resize: vertical;
  }
  .output {
    margin: 0;
    padding: 10px 12px;
    max-height: 320px;
    overflow: auto;
    white-space: pre-wrap;
    word-break: break-word;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
`;
