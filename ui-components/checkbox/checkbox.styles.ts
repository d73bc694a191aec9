/** Styles of `<vt-checkbox>`. */
import { css } from 'lit';

export const checkboxStyles = css`
  :host {
    display: block;
  }
  .row {
    display: inline-flex;
    align-items: center;
    gap: 10px;
    min-height: 32px;
    cursor: pointer;
  }
  input[type='checkbox'] {
    width: 20px;
    height: 20px;
    margin: 0;
    accent-color: var(--_primary);
  }
`;
