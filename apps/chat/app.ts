/** The streaming chat demo `npm start` mounts at /chat: a rule-based bot (apps/chat/bot.ts) whose replies stream word by word. */
import { ChatInterface } from 'vitrine';
import { replyTo } from './bot.ts';

/** Pause between words (ms): the bot has no model to wait for, so it paces its reply to show the stream. */
export const WORD_DELAY_MS = 40;

export default ChatInterface({
  fn: async function* (message, history) {
    let reply = '';
    for (const word of replyTo(message, history).split(' ')) {
      reply = reply === '' ? word : `${reply} ${word}`;
      yield reply;
      await new Promise((r) => setTimeout(r, WORD_DELAY_MS));
    }
  },
  title: 'Ask about the demos',
  description:
    'A streaming chat with an **honest rule-based bot**: a dozen pattern rules written by hand, no language model and nothing downloaded. It answers questions about this server\'s demos, remembers your name for the length of the chat, and sends its reply word by word to show how Vitrine streams a generator function.',
  examples: ['Hello!', 'What does the clothing classifier do?', 'How does streaming work?', 'My name is Ada'],
  placeholder: 'Ask about the demos',
});
