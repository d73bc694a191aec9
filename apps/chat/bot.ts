/**
 * A rule-based help-desk bot for this server's demos, written by hand: no language model, no
 * training. Rules are tried in order; the first whose pattern matches the message writes the reply.
 * It reads the history for two things only: the name the user gave, and how long the chat has run.
 */
import type { ChatMessage } from 'vitrine';

/** One rule: a pattern on the message, and the reply it writes from the match and the history. */
interface Rule {
  pattern: RegExp;
  reply: (match: RegExpExecArray, history: ChatMessage[]) => string;
}

/** Words swapped when the bot repeats the user's words back (ELIZA's reflections). */
const REFLECTIONS: Readonly<Record<string, string>> = {
  i: 'you',
  me: 'you',
  my: 'your',
  mine: 'yours',
  am: 'are',
  "i'm": "you're",
  you: 'I',
  your: 'my',
  yours: 'mine',
  are: 'am',
};

/**
 * The message's words with first and second person swapped.
 *
 * @example
 * reflect('I like my shoes'); // 'you like your shoes'
 */
export function reflect(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => REFLECTIONS[w.toLowerCase()] ?? w)
    .join(' ');
}

/**
 * The name the user gave earlier in the conversation ("my name is Ada", "I'm Ada", "call me Ada"), if any.
 *
 * @example
 * nameIn([{ role: 'user', content: 'My name is Ada' }]); // 'Ada'
 */
export function nameIn(history: readonly ChatMessage[]): string | undefined {
  let name: string | undefined;
  for (const m of history) {
    if (m.role !== 'user') continue;
    const found = NAME.exec(m.content);
    if (found) name = capitalise(found[1]!);
  }
  return name;
}

const NAME = /\b(?:my name is|i am called|call me)\s+([\p{L}'-]{1,40})/iu;

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

const RULES: readonly Rule[] = [
  { pattern: NAME, reply: (m) => `Nice to meet you, ${capitalise(m[1]!)}. I will remember your name for as long as this chat lasts (the page sends me the conversation with every message).` },
  {
    pattern: /\bwhat(?:'s| is) my name\b/i,
    reply: (_m, history) => {
      const name = nameIn(history);
      return name ? `You told me your name is ${name}.` : 'You have not told me your name yet. Say "my name is …" and I will use it.';
    },
  },
  { pattern: /^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\b/i, reply: (_m, history) => `Hello${nameIn(history) ? `, ${nameIn(history)}` : ''}! I am a rule-based bot that answers questions about this server's demos. Ask me about the **clothing classifier**, the **image effects**, **streaming** or the **API**.` },
  { pattern: /\b(?:who|what) are you\b|\bare you (?:an? )?(?:ai|llm|language model|real|human)\b/i, reply: () => 'I am a handful of pattern rules written by hand, with no language model behind them: each reply is chosen by the first rule whose pattern matches your message, then sent word by word to show how Vitrine streams.' },
  { pattern: /\b(?:fashion|cloth|clothing|garment|classif|sneaker|shirt|mnist)/i, reply: () => 'The demo at / classifies a picture of a garment into one of ten Fashion-MNIST classes (T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot) with a small CNN trained in this repository and served by ONNX Runtime. Photos work best on a plain background.' },
  { pattern: /\b(?:effect|sepia|blur|filter|image)/i, reply: () => 'The demo at /image-effects applies an effect (blur, sepia and others) to a picture you upload, at the strength you choose.' },
  { pattern: /\b(?:stream|generator|yield|token by token|word by word)/i, reply: () => 'A Vitrine function streams when it is an `async function*`: every `yield` reaches the page, the JSON API (with `Accept: text/event-stream`) and Gradio\'s clients as it happens. I am one: each word you see arrived on its own.' },
  { pattern: /\b(?:api|curl|client|gradio|endpoint|openapi)\b/i, reply: () => 'Every demo has a JSON API at `api/predict`, described at `openapi.json`, and speaks Gradio\'s protocol, so `@gradio/client` and `gradio_client` work unchanged. Mine is `/chat` with the parameter `message`. Open "Use via API" below for snippets.' },
  { pattern: /\b(?:thanks|thank you|cheers)\b/i, reply: (_m, history) => `You are welcome${nameIn(history) ? `, ${nameIn(history)}` : ''}.` },
  { pattern: /\b(?:bye|goodbye|see you)\b/i, reply: () => 'Goodbye! Clear starts a new conversation.' },
  { pattern: /^\s*i (?:feel|am|'m) (.+?)[.!?]*$/i, reply: (m) => `Why do you feel ${reflect(m[1]!)}?` },
  { pattern: /\?\s*$/, reply: () => 'I only know about this server\'s demos: the clothing classifier, the image effects, streaming and the API. Try asking about one of them.' },
];

/**
 * The bot's reply to `message`, given the conversation before it.
 *
 * @example
 * replyTo('hello', []); // 'Hello! I am a rule-based bot …'
 */
export function replyTo(message: string, history: readonly ChatMessage[]): string {
  const full = [...history, { role: 'user' as const, content: message }];
  for (const rule of RULES) {
    const match = rule.pattern.exec(message);
    if (match) return rule.reply(match, full);
  }
  const turns = history.filter((m) => m.role === 'user').length;
  const echoed = reflect(message.replace(/[.!?]+$/, '')).slice(0, 200);
  return turns >= 3
    ? `We have talked for ${turns + 1} messages now. You said "${echoed}": what would you like to know about the demos?`
    : `You said "${echoed}". Tell me more, or ask about the demos.`;
}
