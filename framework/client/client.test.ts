/** The client against a real server (buildApp + listen on port 0): inputs in every form, run-time checks, the server's error codes, retries and events. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, Image, Interface, Number as NumberComponent, Slider, Textbox } from '../index.ts';
import { connect, VitrineClientError, type JobEvent } from './index.ts';

const shapes = Interface({
  fn: ({ image, caption, size }) => ({ width: image.width, echo: `${caption}:${size}` }),
  inputs: { image: Image({ mode: 'L' }), caption: Textbox({ maxLength: 20 }), size: Slider({ min: 1, max: 5, value: 2 }) },
  outputs: { width: NumberComponent(), echo: Textbox() },
  title: 'Shapes',
  workers: 0,
});

/** An app whose model loads only when the test says so: until then the server answers 503 with Retry-After. */
let releaseLoad!: () => void;
const loaded = new Promise<void>((r) => (releaseLoad = r));
// A request waits for the load as long as a call may run (timeoutMs), then gets 503 + Retry-After.
const slowToLoad = Interface({ fn: (text) => text.toUpperCase(), inputs: Textbox(), outputs: Textbox(), load: () => loaded, workers: 0, timeoutMs: 300 });

let app: FastifyInstance;
let origin: string;
let dir: string;
let png: Buffer;
/** Paths of the requests the server saw, to prove what was (not) sent. */
const seen: string[] = [];

beforeAll(async () => {
  app = await buildApp({
    apps: [
      { prefix: '/', interface: shapes },
      { prefix: '/slow', interface: slowToLoad },
      { prefix: '/plain', interface: Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), workers: 0 }) },
    ],
    flagging: false,
  });
  app.addHook('onRequest', async (req) => void seen.push(`${req.method} ${req.url}`));
  origin = await app.listen({ port: 0, host: '127.0.0.1' });
  dir = await mkdtemp(join(tmpdir(), 'vitrine-client-'));
  png = await sharp({ create: { width: 7, height: 3, channels: 3, background: '#808080' } }).png().toBuffer();
  await writeFile(join(dir, 'shape.png'), png);
});

afterAll(async () => {
  releaseLoad();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('predict', () => {
  it('sends an image in each accepted form and returns the outputs', async () => {
    const client = connect<typeof shapes>(origin);
    const forms = {
      Buffer: png,
      Uint8Array: new Uint8Array(png),
      ArrayBuffer: new Uint8Array(png).buffer,
      Blob: new Blob([new Uint8Array(png)], { type: 'image/png' }),
      'data: URL': `data:image/png;base64,${png.toString('base64')}`,
      path: join(dir, 'shape.png'),
      'file: URL': pathToFileURL(join(dir, 'shape.png')),
    };
    for (const [form, image] of Object.entries(forms)) {
      await expect(client.predict({ image, caption: form, size: 3 }), form).resolves.toEqual({ width: 7, echo: `${form}:3` });
    }
  });

  it('sends multipart for file bytes and JSON for a data: URL', async () => {
    const types: string[] = [];
    const client = connect<typeof shapes>(origin, {
      fetch: (input, init) => {
        if (String(input).endsWith('/api/predict')) types.push(init?.body instanceof FormData ? 'multipart' : String(new Headers(init?.headers).get('content-type')));
        return fetch(input, init);
      },
    });
    await client.predict({ image: png, caption: 'a', size: 1 });
    await client.predict({ image: `data:image/png;base64,${png.toString('base64')}`, caption: 'b', size: 1 });
    expect(types).toEqual(['multipart', 'application/json']);
  });

  it('accepts a URL with or without its trailing slash and a mounted prefix', async () => {
    const text = `data:image/png;base64,${png.toString('base64')}`;
    await expect(connect(`${origin}/`).predict({ image: text, caption: 'x', size: 1 })).resolves.toEqual({ width: 7, echo: 'x:1' });
    await expect(connect(`${origin}/plain`).predict({ textbox: 'as is' })).resolves.toEqual({ textbox: 'as is' });
  });
});

describe('run-time checks against the server description (no type argument)', () => {
  const untyped = () => connect(origin);

  it.each([
    // Functions: the picture exists only once beforeAll has run.
    ['an unknown input', () => ({ image: png, caption: 'a', colour: 'red' }), 'UNKNOWN_FIELD', 'colour'],
    ['a missing input', () => ({ caption: 'a' }), 'MISSING_INPUT', 'image'],
    ['a value over its maximum', () => ({ image: png, caption: 'a', size: 9 }), 'INVALID_INPUT', 'size'],
    ['a value of the wrong type', () => ({ image: png, caption: 42 }), 'INVALID_INPUT', 'caption'],
    ['text longer than maxLength', () => ({ image: png, caption: 'x'.repeat(21) }), 'INVALID_INPUT', 'caption'],
    ['a number for an image', () => ({ image: 7, caption: 'a' }), 'INVALID_INPUT', 'image'],
  ])('refuses %s before sending, with the server’s code', async (_what, inputs, code, field) => {
    const before = seen.filter((s) => s.startsWith('POST')).length;
    const err = await untyped().predict(inputs()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VitrineClientError);
    expect(err).toMatchObject({ code, field, status: undefined });
    expect(seen.filter((s) => s.startsWith('POST')).length).toBe(before);
  });

  it('leaves out an input that has a default, as the server does', async () => {
    await expect(untyped().predict({ image: png, caption: 'd' })).resolves.toEqual({ width: 7, echo: 'd:2' });
  });

  it('describes the app from its OpenAPI document', async () => {
    const d = await untyped().describe();
    expect(d.title).toBe('Shapes');
    expect(d.inputs.map((i) => [i.name, i.file, i.required])).toEqual([
      ['image', true, true],
      ['caption', false, true],
      ['size', false, false],
    ]);
    expect(d.outputs).toEqual(['width', 'echo']);
  });
});

describe('errors carry the server’s code', () => {
  it('an image the server cannot decode: 400 INVALID_IMAGE naming the field', async () => {
    const err = await connect(origin).predict({ image: Buffer.from('not a picture'), caption: 'a' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'VitrineClientError', code: 'INVALID_IMAGE', status: 400, field: 'image' });
  });

  it('with validation off, the server’s own 400 comes back', async () => {
    const err = await connect(origin, { validate: false }).predict({ image: png, caption: 'a', size: 9 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT', status: 400, field: 'size' });
  });

  it('no server at the address: NETWORK_ERROR', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const err = await connect(`http://127.0.0.1:${port}`).predict({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', status: undefined });
  });
});

describe('a server with a bearer token', () => {
  it('answers with the token and 401 UNAUTHORIZED without it', async () => {
    const locked = await buildApp({ apps: [{ interface: Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), workers: 0 }) }], flagging: false, security: { token: 's3cret' } });
    const url = await locked.listen({ port: 0, host: '127.0.0.1' });
    try {
      await expect(connect(url, { token: 's3cret' }).predict({ textbox: 'ok' })).resolves.toEqual({ textbox: 'ok' });
      await expect(connect(url).predict({ textbox: 'ok' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    } finally {
      await locked.close();
    }
  });
});

describe('503 with Retry-After', () => {
  it('waits and retries while the model loads, and says so in its events', async () => {
    const job = connect<typeof slowToLoad>(`${origin}/slow`).submit({ textbox: 'hello' });
    const events: Array<JobEvent<unknown>['type']> = [];
    for await (const event of job) {
      events.push(event.type);
      if (event.type === 'waiting') {
        expect(event).toMatchObject({ code: 'MODEL_UNAVAILABLE', retryInMs: 1000, attempt: 1 });
        releaseLoad();
      }
    }
    await expect(job.result).resolves.toEqual({ textbox: 'HELLO' });
    expect(events).toEqual(['sending', 'waiting', 'sending', 'complete']);
  });

  describe('against a server that is always full', () => {
    let full: Server;
    let fullOrigin: string;
    let attempts = 0;
    let retryAfter = '0';
    beforeAll(async () => {
      full = createServer((_req, res) => {
        attempts++;
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': retryAfter });
        res.end(JSON.stringify({ error: 'QUEUE_FULL', message: 'The server is busy (256 requests queued); retry in 0 s' }));
      });
      await new Promise<void>((r) => full.listen(0, '127.0.0.1', r));
      fullOrigin = `http://127.0.0.1:${(full.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => full.close(() => r())));

    it('gives up after `retries` retries with the last 503', async () => {
      attempts = 0;
      retryAfter = '0';
      const err = await connect(fullOrigin, { validate: false, retries: 2 }).predict({ text: 'x' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'QUEUE_FULL', status: 503, retryAfter: 0 });
      expect(attempts).toBe(3);
    });

    it('does not wait longer than maxRetryDelayMs', async () => {
      attempts = 0;
      retryAfter = '120';
      const err = await connect(fullOrigin, { validate: false }).predict({ text: 'x' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'QUEUE_FULL', retryAfter: 120 });
      expect(attempts).toBe(1);
    });

    it('stops waiting when the call is aborted', async () => {
      retryAfter = '20';
      const abort = new AbortController();
      const job = connect(fullOrigin, { validate: false }).submit({ text: 'x' }, { signal: abort.signal });
      for await (const event of job) if (event.type === 'waiting') abort.abort();
      await expect(job.result).rejects.toMatchObject({ code: 'ABORTED' });
    });
  });
});
