/**
 * Gradio's protocol for a function that streams: `process_generating` messages on `queue/data`
 * (full values first, then Gradio's diffs), `process_completed` with the full last value,
 * `event: generating` on the two-step route, `types.generator` in the config — and the real
 * `@gradio/client`, whose `submit()` yields each partial in order, and whose cancel stops the
 * generator (its finally runs, the next call is served).
 */
import { resolve } from 'node:path';
import { Client } from '@gradio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Interface, JSON as JsonComponent, Number as NumberComponent, Textbox } from '../../framework/index.ts';
import { gradioDiff } from '../../framework/server/gradio/diff.ts';
import { gate, listen, ready, sseMessages, type Listening } from './helpers.ts';

type Message = { role: string; content: string };
const user: Message = { role: 'user', content: 'hi' };

/** The partials the `script` call yields: a text that grows then restarts, a chat that grows by one, then shrinks by two, and a count. */
const SCRIPT = [
  { text: 'Hel', chat: [user], n: 1 },
  { text: 'Hello', chat: [user, { role: 'assistant', content: 'Hel' }], n: 2 },
  { text: 'Hello, world', chat: [user, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'more' }], n: 3 },
  { text: 'Bye', chat: [user], n: 3 },
];

const log: string[] = [];
const hold = gate();
const streamingApp = Interface({
  fn: async function* (text: string) {
    try {
      if (text === 'fail') {
        yield { text: 'almost', chat: [], n: 0 };
        throw new Error('asked to fail');
      }
      if (text === 'hold') {
        yield { text: 'held', chat: [], n: 0 };
        await hold.promise;
        yield { text: 'released', chat: [], n: 1 };
        return;
      }
      for (const partial of SCRIPT) {
        yield partial;
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      log.push(`finally ${text}`);
    }
  },
  inputs: Textbox(),
  outputs: { text: Textbox(), chat: JsonComponent(), n: NumberComponent() },
  workers: 0,
});

let server: Listening;
beforeAll(async () => {
  server = await listen([
    { prefix: '/chat', interface: streamingApp, workers: 0 },
    { prefix: '/worker', module: resolve('tests/runtime/fixtures/stream-app.ts'), workers: 1 },
  ]);
  await ready(server.app, '/worker/');
});
afterAll(async () => server?.close());

const full = (p: (typeof SCRIPT)[number]) => [p.text, p.chat, p.n];

describe('Gradio diffs', () => {
  it('are those gradio/utils.py diff makes, with list deletions last index first', () => {
    expect(gradioDiff('Hello', 'Hello, world')).toEqual([['append', [], ', world']]);
    expect(gradioDiff('Hello', 'Bye')).toEqual([['replace', [], 'Bye']]);
    expect(gradioDiff(1, 1)).toEqual([]);
    expect(gradioDiff(1, '1')).toEqual([['replace', [], '1']]);
    expect(gradioDiff({ a: 1, b: 'x' }, { b: 'xy', c: null })).toEqual([
      ['delete', ['a'], null],
      ['append', ['b'], 'y'],
      ['add', ['c'], null],
    ]);
    expect(gradioDiff(SCRIPT[1]!.chat, SCRIPT[2]!.chat)).toEqual([
      ['append', [1, 'content'], 'lo'],
      ['add', [2], { role: 'user', content: 'more' }],
    ]);
    expect(gradioDiff(SCRIPT[2]!.chat, SCRIPT[3]!.chat)).toEqual([
      ['delete', [2], null],
      ['delete', [1], null],
    ]);
  });
});

describe('queue/data and the two-step route for a generator', () => {
  it('says the dependency is a generator', async () => {
    const config = (await server.app.inject({ method: 'GET', url: '/chat/config' })).json();
    expect(config.dependencies[0].types).toEqual({ generator: true, cancel: false });
  });

  it('sends the first partial in full, the next ones as diffs, then process_completed with the full last value', async () => {
    const join = await server.app.inject({
      method: 'POST',
      url: '/chat/gradio_api/queue/join',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ data: ['script'], fn_index: 0, session_hash: 'raw' }),
    });
    const stream = await server.app.inject({ method: 'GET', url: '/chat/gradio_api/queue/data?session_hash=raw' });
    const messages = sseMessages(stream.body, 'data');
    const eventId = join.json().event_id;
    const generating = messages.filter((m) => m.msg === 'process_generating');
    expect(generating.every((m) => m.event_id === eventId && m.success === true)).toBe(true);
    expect(generating.map((m) => (m.output as { data: unknown[] }).data)).toEqual([
      full(SCRIPT[0]!),
      [[['append', [], 'lo']], [['add', [1], { role: 'assistant', content: 'Hel' }]], [['replace', [], 2]]],
      [[['append', [], ', world']], gradioDiff(SCRIPT[1]!.chat, SCRIPT[2]!.chat), [['replace', [], 3]]],
      [[['replace', [], 'Bye']], [['delete', [2], null], ['delete', [1], null]], []],
    ]);
    expect(generating[0]!.output).toMatchObject({ is_generating: true, render_config: null, changed_state_ids: [] });
    const done = messages.filter((m) => m.msg === 'process_completed');
    expect(done).toHaveLength(1);
    expect(done[0]!.output).toMatchObject({ data: full(SCRIPT[3]!), is_generating: false });
    expect(messages.at(-1)).toEqual({ msg: 'close_stream', event_id: null });
  });

  it('sends full values as event: generating on the two-step route, then event: complete', async () => {
    const post = await server.app.inject({ method: 'POST', url: '/chat/gradio_api/call/predict', headers: { 'content-type': 'application/json' }, payload: '{"data":["script"]}' });
    const { event_id: eventId } = post.json();
    const stream = await server.app.inject({ method: 'GET', url: `/chat/gradio_api/call/predict/${eventId}` });
    expect(sseMessages(stream.body, 'named')).toEqual([
      ...SCRIPT.map((p) => ({ event: 'generating', data: full(p) })),
      { event: 'complete', data: full(SCRIPT[3]!) },
    ]);
  });
});

describe('a generator that fails after a partial', () => {
  it('ends its event with one process_completed error after the generating message', async () => {
    await server.app.inject({
      method: 'POST',
      url: '/chat/gradio_api/queue/join',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ data: ['fail'], fn_index: 0, session_hash: 'failing' }),
    });
    const stream = await server.app.inject({ method: 'GET', url: '/chat/gradio_api/queue/data?session_hash=failing' });
    const messages = sseMessages(stream.body, 'data').filter((m) => m.msg === 'process_generating' || m.msg === 'process_completed');
    expect(messages.map((m) => [m.msg, m.success])).toEqual([
      ['process_generating', true],
      ['process_completed', false],
    ]);
    expect((messages[1]!.output as { error: string }).error).toMatch(/^The app failed while handling this request/);
  });
});

describe('@gradio/client and a generator', () => {
  it('yields each partial as a data event, in order, then the last value again as the result', async () => {
    const client = await Client.connect(`${server.origin}/chat/`, { events: ['data', 'status'] });
    try {
      const data: unknown[] = [];
      const stages: string[] = [];
      for await (const event of client.submit('/predict', ['script'])) {
        // The client applies later diffs to the values it gave before: keep what each event said then.
        if (event.type === 'data') data.push(structuredClone(event.data));
        if (event.type === 'status') stages.push(event.stage);
      }
      expect(data).toEqual([...SCRIPT.map(full), full(SCRIPT[3]!)]);
      expect(stages).toContain('generating');
      expect(stages.at(-1)).toBe('complete');
      expect((await client.predict('/predict', ['script'])).data).toEqual(full(SCRIPT[3]!));
    } finally {
      client.close();
    }
  });

  it('yields the partials of a generator running in a worker', async () => {
    const client = await Client.connect(`${server.origin}/worker/`);
    try {
      const data: unknown[] = [];
      for await (const event of client.submit('/predict', ['count:5'])) if (event.type === 'data') data.push(event.data);
      expect(data).toEqual([['1'], ['2'], ['3'], ['4'], ['5'], ['5']]);
    } finally {
      client.close();
    }
  });

  it('stops the generator on cancel: its finally runs and the next call is served', async () => {
    const client = await Client.connect(`${server.origin}/chat/`);
    try {
      const job = client.submit('/predict', ['hold']);
      for await (const event of job) {
        if (event.type === 'data') {
          expect(event.data).toEqual(['held', [], 0]);
          await job.cancel();
          break;
        }
      }
      // The stop lands at the generator's next yield: when what it awaits lets it go.
      hold.open();
      const end = Date.now() + 5000;
      while (!log.includes('finally hold') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(log).toContain('finally hold');
      expect((await client.predict('/predict', ['script'])).data).toEqual(full(SCRIPT[3]!));
    } finally {
      client.close();
    }
  });
});
