/** Styles shared by the file-valued elements (file, audio, video, gallery): the drop zone and its picker. */
import { css } from 'lit';

export const mediaStyles = css`
  :host { display: block; }
  .drop { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 8px; padding: 16px; border: 2px dashed var(--_border); border-radius: var(--_radius); background: var(--_surface); min-height: 96px; text-align: center; }
  .drop.over { border-color: var(--_primary); }
  .row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: center; }
  .empty { color: var(--_muted); margin: 0; }
  audio, video { width: 100%; max-height: 60vh; }
`;
