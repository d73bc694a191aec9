/**
 * POST /api/predict with `Accept: text/event-stream` (what the page sends): the same JSON answer
 * unless the function reports progress or streams, then an event stream of `progress` and `partial`
 * messages ending in `complete` or `error`. A client that does not ask gets JSON whatever the function does.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, Interface, Textbox } from '../../framework/index.ts';
import { PROGRESS_INTERVAL_MS } from '../../framework/runtime/execute.ts';
import { sseMessages } from '../gradio/helpers.ts';

const app = () =>
  Interface({
    fn: async (text: string, ctx) => {
      if (text.startsWith('progress')) {
        ctx.progress(0.3, 'first');
        await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS + 20));
        ctx.progress(0.9);
        await new Promise((r) => setTimeout(r, PROGRESS_INTERVAL_MS + 20));
      }
      if (text.endsWith('fail')) throw new Error('asked to fail');
      return text.toUpperCase();
    },
    inputs: Textbox(),
    outputs: Textbox(),
    workers: 0,
  });

let server: FastifyInstance | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function predict(body: unknown, accept: string) {
  server ??= await buildApp({ logger: false, flagging: false, apps: [{ interface: app(), workers: 0 }] });
  return server.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json', accept }, payload: JSON.stringify(body) });
}

describe('POST /api/predict and progress', () => {
  it('streams progress, then the result, to a client that accepts an event stream', async () => {
    const res = await predict({ textbox: 'progress' }, 'application/json, text/event-stream');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(sseMessages(res.body, 'named')).toEqual([
      { event: 'progress', data: { progress: 0.3, desc: 'first' } },
      { event: 'progress', data: { progress: 0.9, desc: null } },
      { event: 'complete', data: { textbox: 'PROGRESS' } },
    ]);
  });

  it('ends the stream with the error body (and its status) when the function fails after reporting', async () => {
    const res = await predict({ textbox: 'progress then fail' }, 'text/event-stream');
    const messages = sseMessages(res.body, 'named');
    expect(messages.at(-1)).toEqual({
      event: 'error',
      data: { status: 500, error: 'APP_ERROR', message: `The app failed while handling this request (request id ${res.headers['x-request-id']})`, requestId: res.headers['x-request-id'] },
    });
  });

  it('answers plain JSON when the function reports nothing, when the input is refused, and to JSON-only clients', async () => {
    const quiet = await predict({ textbox: 'quiet' }, 'application/json, text/event-stream');
    expect(quiet.headers['content-type']).toMatch(/^application\/json/);
    expect(quiet.json()).toEqual({ textbox: 'QUIET' });
    const refused = await predict({ textbox: 5 }, 'text/event-stream');
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: 'INVALID_INPUT', field: 'textbox' });
    const plain = await predict({ textbox: 'progress' }, 'application/json');
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.json()).toEqual({ textbox: 'PROGRESS' });
    const refusing = await predict({ textbox: 'progress' }, 'application/json, text/event-stream;q=0');
    expect(refusing.json()).toEqual({ textbox: 'PROGRESS' });
  });
});
