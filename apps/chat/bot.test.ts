/** The chat demo: the bot's rules, its memory of a name, and its reply streamed word by word through the JSON API as `npm start` mounts it. */
import { describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import chat from './app.ts';
import { nameIn, reflect, replyTo } from './bot.ts';

describe('the rule-based bot', () => {
  it('answers about each demo, and says what it is', () => {
    expect(replyTo('What does the clothing classifier do?', [])).toMatch(/Fashion-MNIST/);
    expect(replyTo('how do image effects work', [])).toMatch(/image-effects/);
    expect(replyTo('How does streaming work?', [])).toMatch(/async function\*/);
    expect(replyTo('Is there an API?', [])).toMatch(/api\/predict/);
    expect(replyTo('Are you an AI?', [])).toMatch(/no language model/);
  });

  it('remembers the name the user gave, from the history the page sends', () => {
    expect(replyTo('my name is ada', [])).toMatch(/^Nice to meet you, Ada\./);
    const history = [
      { role: 'user' as const, content: 'My name is Ada' },
      { role: 'assistant' as const, content: 'Nice to meet you, Ada.' },
    ];
    expect(nameIn(history)).toBe('Ada');
    expect(replyTo("what's my name?", history)).toBe('You told me your name is Ada.');
    expect(replyTo('what is my name', [])).toMatch(/not told me your name/);
    expect(replyTo('hello', history)).toMatch(/^Hello, Ada!/);
  });

  it('reflects what it has no rule for, and counts the turns', () => {
    expect(reflect('I like my shoes')).toBe('you like your shoes');
    expect(replyTo('I feel tired.', [])).toBe('Why do you feel tired?');
    expect(replyTo('My shoes are red', [])).toBe('You said "your shoes am red". Tell me more, or ask about the demos.');
    const three = Array.from({ length: 3 }, () => ({ role: 'user' as const, content: 'x' }));
    expect(replyTo('ok', three)).toMatch(/^We have talked for 4 messages now/);
  });
});

describe('the chat app', () => {
  it('streams its reply word by word through the JSON API, ending with the whole reply', async () => {
    const app = await buildApp({ apps: [{ prefix: '/chat', module: new URL('./app.ts', import.meta.url) }], logger: false, flagging: false });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/chat/api/predict',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        payload: JSON.stringify({ message: 'Thanks!' }),
      });
      const events = res.body.trim().split('\n\n').map((block) => block.split('\n'));
      expect(events.map((lines) => lines[0])).toEqual(['event: partial', 'event: partial', 'event: partial', 'event: complete']);
      expect(events.map((lines) => JSON.parse(lines[1]!.slice('data: '.length)))).toEqual([
        { response: 'You' },
        { response: 'You are' },
        { response: 'You are welcome.' },
        { response: 'You are welcome.' },
      ]);
      expect(chat.layout).toBe('chat');
    } finally {
      await app.close();
    }
  });
});
