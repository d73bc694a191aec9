/** Styles of `<vt-textbox>`. */
import { css } from 'lit';

export const textboxStyles = css`
  :host {
    display: block;
  }
  textarea.control {
    resize: vertical;
    line-height: 1.45;
  }
`;
