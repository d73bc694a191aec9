/** The shared theme: CSS custom properties with light and dark defaults, focus rings, field chrome. */
import { css } from 'lit';

/**
 * Every element includes this first. Public knobs are `--vt-*` custom properties set anywhere
 * above the element; the private `--_*` copies add defaults that follow the color scheme through
 * `light-dark()`, so a page can force a scheme with `vt-interface { color-scheme: dark }`.
 */
export const themeStyles = css`
  :host {
    color-scheme: light dark;
    --_fg: var(--vt-color-text, light-dark(#1b1f24, #e6e8eb));
    --_muted: var(--vt-color-muted, light-dark(#59616b, #a3aab4));
    --_bg: var(--vt-color-background, light-dark(#ffffff, #14161a));
    --_surface: var(--vt-color-surface, light-dark(#f5f6f8, #1d2026));
    --_border: var(--vt-color-border, light-dark(#cfd4db, #3b414c));
    --_primary: var(--vt-color-primary, light-dark(#4338ca, #a5a0ff));
    --_on-primary: var(--vt-color-on-primary, light-dark(#ffffff, #14132b));
    --_danger: var(--vt-color-danger, light-dark(#b42318, #ff9b8f));
    --_radius: var(--vt-radius, 8px);
    --_gap: var(--vt-spacing, 12px);
    --_font: var(--vt-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_mono: var(--vt-font-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    --_focus-ring: 0 0 0 3px color-mix(in srgb, var(--_primary) 45%, transparent);
    box-sizing: border-box;
    font-family: var(--_font);
    color: var(--_fg);
  }
  :host([hidden]) {
    display: none !important;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--_focus-ring);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 6px;
    min-width: 0;
  }
  .field-label {
    font-size: 0.875rem;
    font-weight: 600;
    color: var(--_fg);
  }
  .field-info {
    margin: 0;
    font-size: 0.8125rem;
    color: var(--_muted);
  }
  .control {
    font: inherit;
    font-size: 1rem;
    color: var(--_fg);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: 8px 10px;
    min-height: 40px;
    width: 100%;
  }
  .control:focus-visible {
    border-color: var(--_primary);
  }
  .control[readonly] {
    background: var(--_surface);
  }
  .button {
    font: inherit;
    font-size: 0.875rem;
    font-weight: 600;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    min-height: 36px;
    padding: 6px 14px;
    border-radius: var(--_radius);
    border: 1px solid var(--_border);
    background: var(--_bg);
    color: var(--_fg);
    cursor: pointer;
  }
  .button:hover:not(:disabled) {
    border-color: var(--_primary);
  }
  .button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .button.primary {
    background: var(--_primary);
    border-color: var(--_primary);
    color: var(--_on-primary);
  }
  .button.primary:hover:not(:disabled) {
    background: color-mix(in srgb, var(--_primary) 88%, var(--_fg));
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .problem {
    margin: 0;
    font-size: 0.875rem;
    color: var(--_danger);
  }
`;
