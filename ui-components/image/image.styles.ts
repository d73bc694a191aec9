/** Styles of `<vt-image>`. */
import { css } from 'lit';

export const imageStyles = css`
  :host {
    display: block;
  }
  .frame {
    position: relative;
    display: flex;
    min-height: var(--vt-image-min-height, 200px);
    border: 2px dashed var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
  }
  .frame.output,
  .frame.camera {
    border-style: solid;
    border-width: 1px;
    align-items: center;
    justify-content: center;
  }
  .frame.dragging {
    border-color: var(--_primary);
    background: color-mix(in srgb, var(--_primary) 10%, var(--_surface));
  }
  .drop {
    all: unset;
    box-sizing: border-box;
    flex: 1;
    display: flex;
    align-items: center;
    justify-content: center;
    padding: 12px;
    cursor: pointer;
    text-align: center;
    border-radius: calc(var(--_radius) - 2px);
  }
  .drop:focus-visible {
    box-shadow: inset var(--_focus-ring);
  }
  .drop:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .prompt {
    display: flex;
    flex-direction: column;
    gap: 4px;
    color: var(--_muted);
    font-size: 0.9375rem;
  }
  .prompt strong {
    color: var(--_fg);
  }
  .prompt .link {
    color: var(--_primary);
    text-decoration: underline;
  }
  .prompt .sub {
    font-size: 0.8125rem;
  }
  img,
  video {
    display: block;
    max-width: 100%;
    max-height: var(--vt-image-max-height, 320px);
    object-fit: contain;
    margin: auto;
  }
  img.pixelated {
    image-rendering: pixelated;
    width: min(100%, var(--vt-image-max-height, 320px));
    height: auto;
  }
  video {
    width: 100%;
    background: #000;
  }
  .empty,
  .broken {
    color: var(--_muted);
    font-size: 0.9375rem;
    padding: 12px;
    text-align: center;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  a.button {
    text-decoration: none;
  }
`;
