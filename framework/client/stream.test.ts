/** The client and a function that streams: `submit()` yields each partial output typed and in order, `predict()` the last; an error mid-stream is the server's; aborting stops the generator. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { buildApp, Interface, Number as NumberComponent, Textbox } from '../index.ts';
import { connect, VitrineClientError, type JobEvent } from './index.ts';

const stopped: string[] = [];
let release!: () => void;
const held = new Promise<void>((r) => (release = r));

const typing = Interface({
  fn: async function* (text: string, ctx) {
    try {
      let shown = '';
      for (const char of text) {
        if (char === '!') throw new Error('asked to fail');
        if (char === '~') await held;
        if (char === '%') ctx.progress(0.5, 'halfway');
        shown += char;
        yield { text: shown, length: shown.length };
      }
    } finally {
      stopped.push(text);
    }
  },
  inputs: Textbox(),
  outputs: { text: Textbox(), length: NumberComponent() },
  workers: 0,
});

let app: FastifyInstance;
let origin: string;
beforeAll(async () => {
  app = await buildApp({ apps: [{ interface: typing }], flagging: false, logger: false });
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  release();
  await app?.close();
});

type Outputs = { text: string; length: number };

describe('a streaming function through vitrine/client', () => {
  it('submit() yields each partial, typed like the outputs, then complete with the last one', async () => {
    const job = connect<typeof typing>(origin).submit({ textbox: 'a%bc' });
    const events: Array<JobEvent<Outputs>> = [];
    for await (const event of job) {
      if (event.type === 'partial') expectTypeOf(event.outputs).toEqualTypeOf<Outputs>();
      events.push(event);
    }
    expect(events.filter((e) => e.type !== 'sending')).toEqual([
      { type: 'partial', outputs: { text: 'a', length: 1 } },
      { type: 'progress', progress: 0.5, description: 'halfway' },
      { type: 'partial', outputs: { text: 'a%', length: 2 } },
      { type: 'partial', outputs: { text: 'a%b', length: 3 } },
      { type: 'partial', outputs: { text: 'a%bc', length: 4 } },
      { type: 'complete', outputs: { text: 'a%bc', length: 4 } },
    ]);
    expect(await job.result).toEqual({ text: 'a%bc', length: 4 });
    expect(await connect<typeof typing>(origin).predict({ textbox: 'xyz' })).toEqual({ text: 'xyz', length: 3 });
  });

  it('throws the server\'s error when the stream fails after partials', async () => {
    const job = connect(origin).submit({ textbox: 'ab!' });
    const partials: unknown[] = [];
    for await (const event of job) if (event.type === 'partial') partials.push(event.outputs);
    expect(partials).toHaveLength(2);
    const err = await job.result.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VitrineClientError);
    expect(err).toMatchObject({ code: 'APP_ERROR', status: 500 });
    expect((err as VitrineClientError).requestId).toMatch(/.+/);
  });

  it('stops the generator when the call is aborted mid-stream', async () => {
    const abort = new AbortController();
    const job = connect(origin).submit({ textbox: 'ab~cd' }, { signal: abort.signal });
    for await (const event of job) if (event.type === 'partial' && event.outputs.length === 2) abort.abort();
    await expect(job.result).rejects.toMatchObject({ code: 'ABORTED' });
    release();
    const end = Date.now() + 5000;
    while (!stopped.includes('ab~cd') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toContain('ab~cd');
    expect(await connect(origin).predict({ textbox: 'ok' })).toEqual({ text: 'ok', length: 2 });
  });
});
