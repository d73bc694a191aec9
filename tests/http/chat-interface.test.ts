/**
 * ChatInterface: `fn(message, history)` gets the conversation and returns or streams the reply; the
 * JSON API takes `{ message, history? }` and answers `{ response }`; the config says it is a chat;
 * Gradio's protocol names the endpoint `/chat` with the parameter `message`, and the real
 * `@gradio/client` streams its reply.
 */
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ChatInterface, type ChatMessage } from '../../framework/index.ts';
import { connect } from '../../framework/client/index.ts';
import { listen, sseMessages, type Listening } from '../gradio/helpers.ts';

const seen: Array<{ message: string; history: ChatMessage[] }> = [];
const streaming = ChatInterface({
  fn: async function* (message, history) {
    expectTypeOf(message).toEqualTypeOf<string>();
    expectTypeOf(history).toEqualTypeOf<ChatMessage[]>();
    seen.push({ message, history });
    let reply = '';
    for (const word of `${history.length} before: ${message}`.split(' ')) {
      reply = reply === '' ? word : `${reply} ${word}`;
      yield reply;
    }
  },
  title: 'Counting chat',
  examples: ['hello there'],
  workers: 0,
});
const plain = ChatInterface({ fn: (message) => message.toUpperCase(), workers: 0 });

let server: Listening;
beforeAll(async () => {
  server = await listen([
    { prefix: '/chat', interface: streaming, workers: 0 },
    { prefix: '/plain', interface: plain, workers: 0 },
  ]);
});
afterAll(async () => server?.close());

const post = (url: string, body: unknown, accept = 'application/json') =>
  server.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', accept }, payload: JSON.stringify(body) });

describe('ChatInterface through the JSON API', () => {
  it('passes the message and the history, and answers the reply', async () => {
    const history = [
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
    ];
    const res = await post('/chat/api/predict', { message: 'how are you', history });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ response: '2 before: how are you' });
    expect(seen.at(-1)).toEqual({ message: 'how are you', history });
    // The history may be left out: a new conversation.
    expect((await post('/plain/api/predict', { message: 'hey' })).json()).toEqual({ response: 'HEY' });
  });

  it('streams the reply so far as partials', async () => {
    const res = await post('/chat/api/predict', { message: 'a b' }, 'text/event-stream');
    expect(sseMessages(res.body, 'named')).toEqual([
      { event: 'partial', data: { response: '0' } },
      { event: 'partial', data: { response: '0 before:' } },
      { event: 'partial', data: { response: '0 before: a' } },
      { event: 'partial', data: { response: '0 before: a b' } },
      { event: 'complete', data: { response: '0 before: a b' } },
    ]);
  });

  it('refuses a bad history or message with a 400 naming the field', async () => {
    const badRole = await post('/chat/api/predict', { message: 'x', history: [{ role: 'robot', content: 'beep' }] });
    expect(badRole.statusCode).toBe(400);
    expect(badRole.json()).toMatchObject({ field: 'history' });
    const noMessage = await post('/chat/api/predict', { history: [] });
    expect(noMessage.statusCode).toBe(400);
    expect(noMessage.json()).toMatchObject({ error: 'MISSING_INPUT', field: 'message' });
  });

  it('tells the page it is a chat that streams', async () => {
    const config = (await server.app.inject({ method: 'GET', url: '/chat/api/config' })).json();
    expect(config).toMatchObject({ layout: 'chat', streams: true, title: 'Counting chat', examples: [{ message: 'hello there' }], api: { gradio: '/chat' } });
    expect((await server.app.inject({ method: 'GET', url: '/plain/api/config' })).json()).toMatchObject({ layout: 'chat', streams: false });
  });

  it('is typed in vitrine/client: message and history in, response out', async () => {
    const client = connect<typeof streaming>(`${server.origin}/chat/`);
    expectTypeOf(client.predict).returns.resolves.toEqualTypeOf<{ response: string }>();
    const partials: string[] = [];
    for await (const event of client.submit({ message: 'x', history: [] })) if (event.type === 'partial') partials.push(event.outputs.response);
    expect(partials).toEqual(['0', '0 before:', '0 before: x']);
  });
});

describe('ChatInterface in Gradio\'s protocol', () => {
  it('names its endpoint /chat, with the parameter message', async () => {
    const config = (await server.app.inject({ method: 'GET', url: '/chat/config' })).json();
    expect(config.dependencies[0]).toMatchObject({ api_name: 'chat', types: { generator: true } });
    const info = (await server.app.inject({ method: 'GET', url: '/chat/gradio_api/info' })).json();
    expect(Object.keys(info.named_endpoints)).toEqual(['/chat']);
    expect(info.named_endpoints['/chat'].parameters.map((p: { parameter_name: string; parameter_has_default: boolean }) => [p.parameter_name, p.parameter_has_default])).toEqual([
      ['message', false],
      ['history', true],
    ]);
  });

  it('streams the reply to @gradio/client, called with the message alone', async () => {
    const client = await Client.connect(`${server.origin}/chat/`);
    try {
      const data: unknown[] = [];
      for await (const event of client.submit('/chat', { message: 'hi you' })) if (event.type === 'data') data.push(event.data);
      expect(data).toEqual([['0'], ['0 before:'], ['0 before: hi'], ['0 before: hi you'], ['0 before: hi you']]);
      expect((await client.predict('/chat', { message: 'again' })).data).toEqual(['0 before: again']);
    } finally {
      client.close();
    }
  });

  it('answers the two-step route under /chat and /predict, and refuses other names', async () => {
    for (const name of ['chat', 'predict']) {
      const { event_id: eventId } = (await post(`/plain/gradio_api/call/${name}`, { data: ['yo'] })).json();
      const stream = await server.app.inject({ method: 'GET', url: `/plain/gradio_api/call/${name}/${eventId}` });
      expect(sseMessages(stream.body, 'named')).toEqual([{ event: 'complete', data: ['YO'] }]);
    }
    expect((await post('/plain/gradio_api/call/talk', { data: ['yo'] })).statusCode).toBe(404);
  });
});

describe('ChatInterface() refuses', () => {
  it('a missing function and examples that are not messages', () => {
    // @ts-expect-error fn is required
    expect(() => ChatInterface({})).toThrow(/"fn" must be a function/);
    // @ts-expect-error examples are strings
    expect(() => ChatInterface({ fn: () => '', examples: [{ message: 'x' }] })).toThrow(/list of messages/);
  });

  it('a reply that is not text, at run time, as the app\'s error', async () => {
    const wrong = ChatInterface({ fn: () => 42 as unknown as string, workers: 0 });
    const other = await listen([{ interface: wrong, workers: 0 }]);
    try {
      const res = await other.app.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json' }, payload: '{"message":"x"}' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ error: 'APP_ERROR' });
    } finally {
      await other.close();
    }
  });
});
