/**
 * POST /api/predict for a function that streams: JSON with the last outputs by default, an event
 * stream of `partial` messages and one `complete` (or `error`) for a client that accepts one; a
 * bad partial, a failing stream and a client that goes away all stop the generator (its finally
 * runs), and 100 concurrent streams each arrive whole and in order.
 */
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, Interface, Number as NumberComponent, Textbox } from '../../framework/index.ts';
import { apiSnippets } from '../../ui-components/interface/api-snippets.ts';
import { sseMessages } from '../gradio/helpers.ts';
import { settled } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SSE = 'text/event-stream';

/** Streams the words of its input one by one, as a growing text, and counts them; `bad` yields a value the Number output refuses. */
function wordsApp(log: string[]) {
  return Interface({
    fn: async function* (text: string) {
      try {
        let shown = '';
        let count = 0;
        for (const word of text.split(' ')) {
          if (word === 'bad') yield { text: shown, count: 'many' as unknown as number };
          if (word === 'throw') throw new Error('asked to throw');
          if (word === 'wait') await sleep(40);
          shown = shown === '' ? word : `${shown} ${word}`;
          yield { text: shown, count: ++count };
        }
      } finally {
        log.push(`finally ${text}`);
      }
    },
    inputs: Textbox(),
    outputs: { text: Textbox(), count: NumberComponent() },
    workers: 0,
  });
}

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function inject(iface: ReturnType<typeof wordsApp>, text: string, accept: string) {
  server ??= await buildApp({ logger: false, flagging: false, apps: [{ interface: iface, workers: 0 }] });
  return server.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json', accept }, payload: JSON.stringify({ textbox: text }) });
}

/** A server on a real port, for clients that read as the stream comes and hang up. */
async function listen(mount: Parameters<typeof buildApp>[0]['apps'][number]): Promise<string> {
  server = await buildApp({ logger: false, flagging: false, apps: [mount] });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(server.server.address() as AddressInfo).port}/`;
}

/** Reads an event stream as it arrives; `stopAfter` partials, it hangs up. */
async function readStream(url: string, text: string, stopAfter = Infinity) {
  const aborter = new AbortController();
  const res = await fetch(`${url}api/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: SSE },
    body: JSON.stringify({ textbox: text }),
    signal: aborter.signal,
  });
  const events: Array<{ event: string; data: unknown }> = [];
  let buffered = '';
  const decoder = new TextDecoder();
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { value: chunk, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(chunk, { stream: true });
      const blocks = buffered.split('\n\n');
      buffered = blocks.pop()!;
      for (const block of blocks) {
        const [eventLine, dataLine] = block.split('\n');
        events.push({ event: eventLine!.slice('event: '.length), data: JSON.parse(dataLine!.slice('data: '.length)) });
      }
      if (events.filter((e) => e.event === 'partial').length >= stopAfter) {
        aborter.abort();
        break;
      }
    }
  } catch (err) {
    if (!aborter.signal.aborted) throw err;
  }
  return { status: res.status, type: res.headers.get('content-type'), events };
}

describe('POST /api/predict, a streaming function', () => {
  it('answers the last outputs as JSON to a client that does not ask for a stream', async () => {
    const res = await inject(wordsApp([]), 'a pair of sneakers', 'application/json');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ text: 'a pair of sneakers', count: 4 });
  });

  it('streams each partial, in order, then the outputs as complete', async () => {
    const res = await inject(wordsApp([]), 'a pair of sneakers', 'application/json, text/event-stream');
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sseMessages(res.body, 'named')).toEqual([
      { event: 'partial', data: { text: 'a', count: 1 } },
      { event: 'partial', data: { text: 'a pair', count: 2 } },
      { event: 'partial', data: { text: 'a pair of', count: 3 } },
      { event: 'partial', data: { text: 'a pair of sneakers', count: 4 } },
      { event: 'complete', data: { text: 'a pair of sneakers', count: 4 } },
    ]);
  });

  it('ends with an INVALID_OUTPUT error on a partial that breaks the outputs, and stops the generator', async () => {
    const log: string[] = [];
    const res = await inject(wordsApp(log), 'one bad two three', SSE);
    const messages = sseMessages(res.body, 'named');
    expect(messages.map((m) => m.event)).toEqual(['partial', 'error']);
    expect(messages[1]!.data).toMatchObject({ status: 500, error: 'INVALID_OUTPUT', field: 'count' });
    expect(log).toEqual(['finally one bad two three']);
    // The JSON answer fails the same way.
    const json = await inject(wordsApp(log), 'one bad', 'application/json');
    expect(json.statusCode).toBe(500);
    expect(json.json()).toMatchObject({ error: 'INVALID_OUTPUT' });
  });

  it('ends with APP_ERROR when the generator throws after a partial; bad input is still a plain 400', async () => {
    const res = await inject(wordsApp([]), 'one throw', SSE);
    const messages = sseMessages(res.body, 'named');
    expect(messages.map((m) => m.event)).toEqual(['partial', 'error']);
    expect(messages[1]!.data).toMatchObject({ status: 500, error: 'APP_ERROR' });
    const refused = await server!.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json', accept: SSE }, payload: '{"textbox":5}' });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
  });

  it('ends with FUNCTION_TIMEOUT (504) when the stream runs past timeoutMs, and runs its finally', async () => {
    const log: string[] = [];
    const slow = Interface({
      fn: async function* (text: string) {
        try {
          for (;;) {
            yield text;
            await sleep(20);
          }
        } finally {
          log.push('finally');
        }
      },
      inputs: Textbox(),
      outputs: Textbox(),
      workers: 0,
      timeoutMs: 100,
    });
    server = await buildApp({ logger: false, flagging: false, apps: [{ interface: slow, workers: 0 }] });
    const res = await server.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json', accept: SSE }, payload: '{"textbox":"tick"}' });
    const messages = sseMessages(res.body, 'named');
    expect(messages.length).toBeGreaterThan(2);
    expect(messages.slice(0, -1).every((m) => m.event === 'partial')).toBe(true);
    expect(messages.at(-1)).toEqual({ event: 'error', data: { status: 504, error: 'FUNCTION_TIMEOUT', message: 'The app did not answer within 100 ms', requestId: res.headers['x-request-id'] } });
    await sleep(60);
    expect(log).toEqual(['finally']);
  });

  it('stops the generator when the client hangs up, and serves the next request', async () => {
    const log: string[] = [];
    const words = Array.from({ length: 200 }, () => 'wait').join(' ');
    const url = await listen({ interface: wordsApp(log), workers: 0 });
    const cut = await readStream(url, words, 2);
    expect(cut.events.slice(0, 2).map((e) => e.data)).toEqual([
      { text: 'wait', count: 1 },
      { text: 'wait wait', count: 2 },
    ]);
    const end = Date.now() + 5000;
    while (log.length === 0 && Date.now() < end) await sleep(20);
    expect(log).toEqual([`finally ${words}`]);
    const next = await readStream(url, 'still here');
    expect(next.events.at(-1)).toEqual({ event: 'complete', data: { text: 'still here', count: 2 } });
  });

  it('stops a generator in a worker when its client hangs up: its finally ran before the next call', async () => {
    const url = await listen({ module: resolve('tests/runtime/fixtures/stream-app.ts'), workers: 1 });
    expect(await settled(server!)).toBe('ready');
    const cut = await readStream(url, 'ticks', 3);
    expect(cut.events.map((e) => e.data)).toEqual([{ textbox: 'tick 1' }, { textbox: 'tick 2' }, { textbox: 'tick 3' }]);
    // The stop reaches the worker as the socket closes; the next call may overtake it by a tick.
    const finished = async () => (await readStream(url, 'finished')).events.at(-1)?.data;
    const end = Date.now() + 5000;
    while (JSON.stringify(await finished()) !== '{"textbox":"1"}' && Date.now() < end) await sleep(30);
    expect(await finished()).toEqual({ textbox: '1' });
  });

  it('the page\'s streamed curl snippet works as printed', async () => {
    const url = await listen({ interface: wordsApp([]), workers: 0 });
    const config = await (await fetch(`${url}api/config`)).json();
    const { curlStream } = apiSnippets(config, new URL(url));
    const { stdout } = await promisify(execFile)('sh', ['-c', `${curlStream} -sS`]);
    // The snippet's sample text is "Hello": one word, one partial.
    expect(sseMessages(stdout, 'named')).toEqual([
      { event: 'partial', data: { text: 'Hello', count: 1 } },
      { event: 'complete', data: { text: 'Hello', count: 1 } },
    ]);
  });

  it('carries 100 concurrent streams from a worker, each whole and in order', async () => {
    const url = await listen({ module: resolve('tests/runtime/fixtures/stream-app.ts'), workers: 1 });
    expect(await settled(server!)).toBe('ready');
    const lengths = Array.from({ length: 100 }, (_, i) => 5 + (i % 11));
    const streams = await Promise.all(lengths.map((n) => readStream(url, `count:${n}`)));
    streams.forEach((s, i) => {
      const n = lengths[i]!;
      expect(s.status).toBe(200);
      expect(s.events.filter((e) => e.event === 'partial').map((e) => e.data)).toEqual(Array.from({ length: n }, (_, k) => ({ textbox: String(k + 1) })));
      expect(s.events.at(-1)).toEqual({ event: 'complete', data: { textbox: String(n) } });
    });
    expect((await server!.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ready', queued: 0, inFlight: 0 });
  });
});
