/** Registers `<vt-chat>`. */
import { VtChat } from './chat.component.ts';

export { VtChat };
VtChat.define('vt-chat');

declare global {
  interface HTMLElementTagNameMap {
    'vt-chat': VtChat;
  }
}
