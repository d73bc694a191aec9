/** Styles of `<vt-dropdown>`. */
import { css } from 'lit';

export const dropdownStyles = css`
  :host {
    display: block;
  }
  select.control {
    cursor: pointer;
  }
`;
