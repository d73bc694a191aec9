/** ChatInterface(): a chat demo from one function `(message, history) => reply`, as Gradio's `gr.ChatInterface` has it. */
import { Chatbot, type ChatMessage } from './components/chatbot.ts';
import { Textbox } from './components/textbox.ts';
import { Interface, isAsyncIterable, type FunctionContext, type LoadContext, type QueueOptions, type VitrineInterface } from './interface.ts';

/**
 * The chat's function: the new message and the conversation before it (oldest first) → the reply,
 * or an async iterable of the reply so far (each yield is the whole reply up to now, as in Gradio:
 * `yield reply += word`).
 */
export type ChatFunction = (message: string, history: ChatMessage[], ctx: FunctionContext) => string | Promise<string> | AsyncIterable<string>;

export interface ChatInterfaceOptions {
  fn: ChatFunction;
  title?: string;
  /** Markdown shown under the title. */
  description?: string;
  /** Markdown shown under the chat. */
  article?: string;
  /** Messages offered as buttons that send them. */
  examples?: readonly string[];
  /** Shown in the empty message box. */
  placeholder?: string;
  /** Longest message a user may send, in characters (default 10 000). */
  maxMessageLength?: number;
  /** As Interface's: loads a model once per thread. */
  load?: (ctx: LoadContext) => void | Promise<void>;
  workers?: number;
  queue?: QueueOptions;
  timeoutMs?: number;
}

/** Longest reply, in characters: a chat model's answer is longer than a message typed by hand. */
const MAX_REPLY_LENGTH = 100_000;

function chatInputs(opts: ChatInterfaceOptions) {
  return {
    message: Textbox({ label: 'Message', lines: 2, maxLength: opts.maxMessageLength ?? 10_000, ...(opts.placeholder === undefined ? {} : { placeholder: opts.placeholder }) }),
    history: Chatbot({ label: 'Chat' }),
  };
}

function chatOutputs() {
  return { response: Textbox({ label: 'Response', maxLength: MAX_REPLY_LENGTH }) };
}

/** The Interface a ChatInterface is: `message` and `history` in, `response` out. */
export type ChatInterfaceApp = VitrineInterface<ReturnType<typeof chatInputs>, ReturnType<typeof chatOutputs>>;

/**
 * Declares a chat app. The API takes `{ message, history }` (history optional, Gradio's messages
 * `{ role, content }`) and answers `{ response }`, streamed when the function streams; Gradio's
 * protocol names the endpoint `/chat`. The page keeps the history and shows a chat with send,
 * stop, retry and clear.
 *
 * @example
 * export default ChatInterface({
 *   fn: async function* (message) {
 *     let reply = '';
 *     for (const word of `You said: ${message}`.split(' ')) yield (reply += `${word} `);
 *   },
 *   title: 'Echo',
 * });
 */
export function ChatInterface(opts: ChatInterfaceOptions): ChatInterfaceApp {
  const { fn } = opts;
  if (typeof fn !== 'function') throw new TypeError('ChatInterface(): option "fn" must be a function (message, history) => reply');
  if (opts.examples !== undefined && (!Array.isArray(opts.examples) || !opts.examples.every((e) => typeof e === 'string'))) {
    throw new TypeError('ChatInterface(): "examples" must be a list of messages (strings)');
  }
  const call = ({ message, history }: { message: string; history: ChatMessage[] }, ctx: FunctionContext) => fn(message, history, ctx);
  const iface = Interface({
    // An async generator when the chat's function is one, so the config says it streams (Gradio's `types.generator`).
    fn: Object.prototype.toString.call(fn) === '[object AsyncGeneratorFunction]'
      ? async function* (args, ctx) {
          for await (const reply of call(args, ctx) as AsyncIterable<string>) yield { response: checkReply(reply) };
        }
      : async (args, ctx) => {
          const reply = await call(args, ctx);
          return isAsyncIterable(reply) ? responses(reply) : { response: checkReply(reply) };
        },
    inputs: chatInputs(opts),
    outputs: chatOutputs(),
    ...(opts.title === undefined ? {} : { title: opts.title }),
    ...(opts.description === undefined ? {} : { description: opts.description }),
    ...(opts.article === undefined ? {} : { article: opts.article }),
    ...(opts.examples === undefined ? {} : { examples: opts.examples.map((message) => ({ message })) }),
    ...(opts.load === undefined ? {} : { load: opts.load }),
    ...(opts.workers === undefined ? {} : { workers: opts.workers }),
    ...(opts.queue === undefined ? {} : { queue: opts.queue }),
    ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
  });
  return Object.freeze({ ...iface, apiName: 'chat', layout: 'chat' as const });
}

async function* responses(replies: AsyncIterable<string>): AsyncGenerator<{ response: string }> {
  for await (const reply of replies) yield { response: checkReply(reply) };
}

/** A reply that is not text fails the call with the function's mistake named (not only the schema's). */
function checkReply(reply: unknown): string {
  if (typeof reply !== 'string') throw new TypeError(`a ChatInterface's function must return or yield the reply as a string; got ${reply === null ? 'null' : typeof reply}`);
  return reply;
}
