/** Registers `<vt-chatbot>`. */
import { VtChatbot } from './chatbot.component.ts';

export { VtChatbot };
VtChatbot.define('vt-chatbot');

declare global {
  interface HTMLElementTagNameMap {
    'vt-chatbot': VtChatbot;
  }
}
