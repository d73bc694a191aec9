/** Chatbot: a conversation as Gradio 5+ sends it — a list of messages `{ role, content }`. */
import { z } from 'zod';
import { checkNumber, defineComponent, type CommonOptions } from './base.ts';

export interface ChatbotOptions extends CommonOptions {
  /** Most messages in a conversation (default 1 000). */
  maxMessages?: number;
  /** Longest message, in characters (default 100 000). */
  maxLength?: number;
  /** Show messages as Markdown (default true). */
  markdown?: boolean;
  /** Placeholder shown while the conversation is empty. */
  placeholder?: string;
}

/** One message, as Gradio's `type="messages"` chatbot has it. */
export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

/**
 * A conversation, as input (the history so far) or output (the history with the reply). Messages
 * are `{ role: 'user' | 'assistant' | 'system', content }`, in order.
 *
 * @example
 * outputs: { chat: Chatbot() } // fn returns [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }]
 */
export function Chatbot(options: ChatbotOptions = {}) {
  const maxMessages = checkNumber('Chatbot', 'maxMessages', options.maxMessages ?? 1000, { min: 1, integer: true });
  const maxLength = checkNumber('Chatbot', 'maxLength', options.maxLength ?? 100_000, { min: 1, integer: true });
  const message = z.object({
    role: z.enum(['user', 'assistant', 'system']),
    content: z.string().max(maxLength),
    // Gradio's clients send these with every message; Vitrine keeps neither.
    metadata: z.unknown().optional(),
    options: z.unknown().optional(),
  });
  const schema = z
    .array(message)
    .max(maxMessages)
    .transform((list) => list.map(({ role, content }) => ({ role, content })))
    .describe('A conversation: messages { role, content }, oldest first') as unknown as z.ZodType<ChatMessage[]>;
  const example: ChatMessage[] = [
    { role: 'user', content: 'Which garment is this?' },
    { role: 'assistant', content: 'A sneaker.' },
  ];
  return defineComponent<'chatbot', ChatMessage[]>({
    kind: 'chatbot',
    gradio: { name: 'Chatbot', props: { type: 'messages', placeholder: options.placeholder ?? null, render_markdown: options.markdown ?? true } },
    schema,
    props: { markdown: options.markdown ?? true, placeholder: options.placeholder ?? null },
    options,
    exampleWire: example,
    exampleValue: example,
    defaultValue: [],
  });
}
