/** Styles of `<vt-interface>`: two panels side by side when the element (not the window) is wide enough. */
import { css } from 'lit';

export const interfaceStyles = css`
  :host {
    display: block;
    container: vt-interface / inline-size;
    line-height: 1.5;
    /* Its own page colour keeps it legible on any embedding page, whatever that page's scheme. */
    background: var(--vt-color-page, light-dark(#f7f7f8, #111318));
    padding: var(--vt-interface-padding, 0);
  }
  .app {
    display: flex;
    flex-direction: column;
    gap: calc(var(--_gap) * 1.5);
  }
  .header h1 {
    margin: 0 0 4px;
    font-size: clamp(1.375rem, 4cqi, 2rem);
    line-height: 1.2;
    overflow-wrap: anywhere;
  }
  .markdown {
    overflow-wrap: anywhere;
  }
  .markdown > :first-child {
    margin-top: 0;
  }
  .markdown > :last-child {
    margin-bottom: 0;
  }
  .description {
    color: var(--_muted);
  }
  .markdown a,
  .api a {
    color: var(--_primary);
  }
  .markdown code,
  .api code {
    font-family: var(--_mono);
    font-size: 0.875em;
    padding: 1px 4px;
    border-radius: 4px;
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .markdown pre {
    overflow-x: auto;
    padding: 10px 12px;
    border-radius: var(--_radius);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .markdown pre code {
    padding: 0;
    border: 0;
    background: none;
  }
  .panels {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: var(--_gap);
  }
  @container vt-interface (min-width: 720px) {
    .panels {
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      align-items: start;
    }
  }
  .panel {
    position: relative;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    padding: 16px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 4px);
    background: var(--_bg);
    min-width: 0;
    overflow: hidden;
  }
  .section-title {
    margin: 0;
    font-size: 0.8125rem;
    font-weight: 700;
    letter-spacing: 0.06em;
    text-transform: uppercase;
    color: var(--_muted);
  }
  .fields {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
  }
  .outputs[aria-busy='true'] .fields {
    opacity: 0.55;
    transition: opacity 0.2s;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: flex-end;
    flex-wrap: wrap;
  }
  .actions .button {
    min-height: 44px;
    padding-inline: 20px;
    font-size: 1rem;
  }
  .actions .submit {
    flex: 1 1 160px;
    max-width: 100%;
  }
  .submit[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.8;
  }
  .spinner {
    width: 1em;
    height: 1em;
    border-radius: 50%;
    border: 2px solid currentColor;
    border-right-color: transparent;
    animation: spin 0.8s linear infinite;
  }
  .progress {
    position: absolute;
    inset: 0 0 auto 0;
    height: 3px;
    background: linear-gradient(90deg, transparent, var(--_primary), transparent);
    background-size: 50% 100%;
    background-repeat: no-repeat;
    animation: slide 1.1s ease-in-out infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @keyframes slide {
    from {
      background-position: -50% 0;
    }
    to {
      background-position: 150% 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner,
    .progress {
      animation-duration: 3s;
    }
  }
  .error {
    padding: 10px 12px;
    border-radius: var(--_radius);
    border: 1px solid color-mix(in srgb, var(--_danger) 50%, transparent);
    background: color-mix(in srgb, var(--_danger) 10%, var(--_bg));
    color: var(--_danger);
    overflow-wrap: anywhere;
  }
  /* A development server's detail: the app's message and stack frames, as the terminal shows them. */
  .error-detail {
    margin: 8px 0 0;
    font-size: 0.85em;
    white-space: pre-wrap;
    max-height: 16em;
    overflow: auto;
  }
  .status,
  .loading {
    margin: 0;
    min-height: 1.5em;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  .flag-wrap {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .flag {
    display: flex;
    gap: 8px;
  }
  .flag-status:empty {
    min-height: 0;
  }
  .flag .control {
    flex: 1;
    min-width: 0;
    min-height: 36px;
    padding: 6px 10px;
    font-size: 0.875rem;
  }
  .status.failed {
    color: var(--_danger);
  }
  .token {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    font-size: 0.875rem;
  }
  .token label {
    flex-basis: 100%;
  }
  .token .control {
    flex: 1;
    min-width: 0;
    min-height: 36px;
    padding: 6px 10px;
  }
  .examples {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .gallery {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(88px, 1fr));
    gap: 8px;
  }
  .example {
    font: inherit;
    color: var(--_fg);
    width: 100%;
    min-height: 88px;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 4px;
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    cursor: pointer;
  }
  .example:hover {
    border-color: var(--_primary);
  }
  .example img {
    width: 64px;
    height: 64px;
    object-fit: contain;
    border-radius: 4px;
    background: var(--_bg);
  }
  .example img.pixelated {
    image-rendering: pixelated;
  }
  .example-text {
    font-size: 0.8125rem;
    overflow-wrap: anywhere;
  }
  .api {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) + 4px);
    background: var(--_bg);
  }
  .api summary {
    cursor: pointer;
    padding: 12px 16px;
    font-weight: 600;
    border-radius: calc(var(--_radius) + 4px);
  }
  .api-body {
    padding: 0 16px 16px;
    display: flex;
    flex-direction: column;
    gap: 12px;
    min-width: 0;
  }
  .api-body p {
    margin: 0;
    font-size: 0.9375rem;
  }
  .snippet-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    margin-bottom: 6px;
  }
  .snippet-title {
    margin: 0;
    font-size: 0.9375rem;
  }
  .button.small {
    min-height: 30px;
    padding: 2px 10px;
    font-size: 0.8125rem;
  }
  .snippet pre code {
    font: inherit;
    padding: 0;
    border: 0;
    border-radius: 0;
    background: none;
  }
  .snippet pre {
    margin: 0;
    padding: 10px 12px;
    overflow-x: auto;
    font-family: var(--_mono);
    font-size: 0.8125rem;
    line-height: 1.5;
    border-radius: var(--_radius);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .article {
    padding-top: var(--_gap);
    border-top: 1px solid var(--_border);
  }
`;
