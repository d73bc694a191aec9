/** Styles of `<vt-number>`. */
import { css } from 'lit';

export const numberStyles = css`
  :host {
    display: block;
  }
`;
