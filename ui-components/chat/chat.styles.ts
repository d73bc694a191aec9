/** `<vt-chat>`'s styles: a conversation log above a message box; user messages to the right. */
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
  .log {
    display: flex;
    flex-direction: column;
    gap: 8px;
    min-height: 240px;
    max-height: 60vh;
    overflow-y: auto;
    padding: 4px;
  }
  .empty {
    margin: auto;
    color: var(--_muted);
  }
  .message {
    max-width: 85%;
    padding: 8px 12px;
    border-radius: var(--_radius);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .message.user {
    align-self: flex-end;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .message.assistant {
    align-self: flex-start;
    background: var(--_surface);
    border: 1px solid var(--_border);
    white-space: normal;
  }
  .message.assistant > :first-child {
    margin-top: 0;
  }
  .message.assistant > :last-child {
    margin-bottom: 0;
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
