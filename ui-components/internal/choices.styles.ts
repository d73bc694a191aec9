/** Styles shared by the elements that show their choices all at once (`<vt-radio>`, `<vt-checkbox-group>`). */
import { css } from 'lit';

export const choicesStyles = css`
  :host { display: block; }
  fieldset { border: 0; margin: 0; padding: 0; }
  .options { display: flex; flex-wrap: wrap; gap: 6px 16px; }
  label.option { display: inline-flex; align-items: center; gap: 6px; cursor: pointer; }
  input { accent-color: var(--_primary); width: 18px; height: 18px; margin: 0; }
`;
