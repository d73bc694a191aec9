/** `<vt-chat>`'s styles: the conversation above a message box, the actions and examples below. */
import { css } from 'lit';

export const chatStyles = css`
  :host {
    display: block;
  }
  .chat {
    display: grid;
    gap: var(--_gap);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    padding: var(--_gap);
  }
  .composer {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 8px;
    align-items: end;
  }
  .composer textarea {
    resize: vertical;
    min-height: 2.6em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .examples {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .error {
    color: var(--_danger);
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    padding: 8px 12px;
  }
  .status {
    min-height: 1.5em;
    margin: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
`;
