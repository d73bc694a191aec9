/** What the runtime answers over HTTP: app failures (500), requests held while the model loads (bounded) and load failures (503), a full queue (503 + Retry-After), batching and worker threads. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, Image, Interface, Label, Number as NumberComponent, Textbox, type VitrineInterface } from 'vitrine';
import { dataUrl, decodeDataUrl, gradient, pngOf } from '../fixtures/images.ts';
import { gate, postJson, postMultipart, settled } from './helpers.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function mount(iface: VitrineInterface) {
  app = await buildApp({ apps: [{ interface: iface }], logger: false });
  return app;
}

function metricValue(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('504 when the app takes longer than its timeoutMs', () => {
  it('answers FUNCTION_TIMEOUT naming the limit, and the next quick call still works', async () => {
    const a = await mount(
      Interface({
        fn: async (text: string): Promise<string> => {
          if (text === 'slow') await new Promise((r) => setTimeout(r, 5_000));
          return `done:${text}`;
        },
        inputs: Textbox(),
        outputs: Textbox(),
        timeoutMs: 150,
      }),
    );
    const res = await postJson(a, '/api/predict', { textbox: 'slow' });
    expect(res.statusCode).toBe(504);
    expect(res.json()).toMatchObject({ error: 'FUNCTION_TIMEOUT', message: 'The app did not answer within 150 ms' });
    const quick = await postJson(a, '/api/predict', { textbox: 'quick' });
    expect(quick.statusCode).toBe(200);
    expect(quick.json()).toEqual({ textbox: 'done:quick' });
  });

  it('refuses a timeoutMs that is not a number of milliseconds', () => {
    for (const timeoutMs of [-1, Number.NaN, Infinity]) {
      expect(() => Interface({ fn: (t: string) => t, inputs: Textbox(), outputs: Textbox(), timeoutMs })).toThrow(/timeoutMs/);
    }
  });
});

describe('500 when the app itself fails', () => {
  it('answers a throwing function with APP_ERROR and a request id, never its message or stack', async () => {
    const a = await mount(
      Interface({
        fn: (): string => {
          throw new Error('secret detail: /home/app/model.bin');
        },
        inputs: Textbox(),
        outputs: Textbox(),
      }),
    );
    const res = await postJson(a, '/api/predict', { textbox: 'hi' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error).toBe('APP_ERROR');
    expect(body.requestId).toBe(res.headers['x-request-id']);
    expect(body.message).toContain(body.requestId);
    expect(res.body).not.toMatch(/secret|model\.bin|\n\s+at /);
    // The server keeps answering.
    expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it.each([
    ['a rejected promise of a non-Error', () => Promise.reject('plain string'), Label()],
    ['a Label with no classes', () => ({}), Label()],
    ['a record missing an output', () => ({ a: 1 }), { a: NumberComponent(), b: NumberComponent() }],
  ])('answers %s with 500 APP_ERROR', async (_what, fn, outputs) => {
    const a = await mount(Interface({ fn: fn as never, inputs: Textbox(), outputs }));
    const res = await postJson(a, '/api/predict', { textbox: 'x' });
    expect(res.statusCode, res.body).toBe(500);
    expect(res.json().error).toBe('APP_ERROR');
  });

  it('answers a result that breaks the output schema with INVALID_OUTPUT naming the output', async () => {
    const a = await mount(Interface({ fn: () => ({ score: 'high' as unknown as number }), inputs: Textbox(), outputs: { score: NumberComponent({ max: 1 }) } }));
    const res = await postJson(a, '/api/predict', { textbox: 'x' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ error: 'INVALID_OUTPUT', field: 'score' });
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'vitrine_requests_total{app="/",status="500"}')).toBe(1);
  });
});

describe('while the model is loading, and 503 when it failed to load', () => {
  it('holds a request that arrives while load() runs and answers it once the model is loaded', async () => {
    const loading = gate();
    const a = await mount(Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), load: () => loading.promise }));
    const early = postJson(a, '/api/predict', { textbox: 'x' });
    const health = await a.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json().status).toBe('loading');
    loading.open();
    const answer = await early;
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toEqual({ textbox: 'x' });
    expect(await settled(a)).toBe('ready');
  });

  it('holds it no longer than timeoutMs: then MODEL_UNAVAILABLE with Retry-After', async () => {
    const loading = gate();
    const a = await mount(Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), load: () => loading.promise, timeoutMs: 150 }));
    const began = performance.now();
    const early = await postJson(a, '/api/predict', { textbox: 'x' });
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
    expect(early.statusCode).toBe(503);
    expect(early.json()).toMatchObject({ error: 'MODEL_UNAVAILABLE', message: 'The model is not available: the model is still loading; retry in a moment' });
    expect(early.headers['retry-after']).toBe('1');
    loading.open();
    expect(await settled(a)).toBe('ready');
    expect((await postJson(a, '/api/predict', { textbox: 'x' })).json()).toEqual({ textbox: 'x' });
  });

  it('holds no more requests than the queue takes while loading; the next is refused at once', async () => {
    const loading = gate();
    const a = await mount(Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), load: () => loading.promise, queue: { maxLength: 1 } }));
    const held = postJson(a, '/api/predict', { textbox: 'held' });
    await new Promise((r) => setTimeout(r, 20));
    const refused = await postJson(a, '/api/predict', { textbox: 'refused' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    loading.open();
    expect((await held).json()).toEqual({ textbox: 'held' });
  });

  it('answers MODEL_UNAVAILABLE with the reason load() gave, said once', async () => {
    const a = await mount(
      Interface({
        fn: (t) => t,
        inputs: Textbox(),
        outputs: Textbox(),
        load: async () => {
          throw new Error('weights file apps/x/model.json is missing');
        },
      }),
    );
    expect(await settled(a)).toBe('unavailable');
    const res = await postJson(a, '/api/predict', { textbox: 'x' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      error: 'MODEL_UNAVAILABLE',
      message: 'The model is not available: weights file apps/x/model.json is missing',
    });
    const health = await a.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(503);
    expect(health.json()).toMatchObject({ status: 'unavailable', reason: 'weights file apps/x/model.json is missing' });
    // A bad request is still a 400 naming the field: it is checked before the model's state.
    const bad = await postJson(a, '/api/predict', { textbox: 5 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'INVALID_INPUT', field: 'textbox' });
  });

  it('says the reason once when load() itself throws MODEL_UNAVAILABLE in a worker thread', async () => {
    app = await buildApp({ apps: [{ module: 'tests/fixtures/unloadable-app.ts', workers: 1 }], logger: false });
    expect(await settled(app)).toBe('unavailable');
    const res = await postJson(app, '/api/predict', { textbox: 'x' });
    expect(res.statusCode).toBe(503);
    expect(res.json().message).toBe('The model is not available: no weights in tests/fixtures; train first');
  });
});

describe('503 QUEUE_FULL with Retry-After', () => {
  function held(maxLength: number) {
    const release = gate();
    const entered: string[] = [];
    const iface = Interface({
      fn: async (t) => {
        entered.push(t);
        await release.promise;
        return t;
      },
      inputs: Textbox(),
      outputs: Textbox(),
      queue: { maxLength, concurrencyPerWorker: 1 },
    });
    return { iface, release, entered };
  }

  async function until(check: () => boolean | Promise<boolean>) {
    for (let i = 0; i < 400 && !(await check()); i++) await new Promise((r) => setTimeout(r, 5));
    expect(await check()).toBe(true);
  }

  it('with maxLength 0: one request runs, the next is refused at once', async () => {
    const { iface, release, entered } = held(0);
    const a = await mount(iface);
    const first = postJson(a, '/api/predict', { textbox: 'first' });
    await until(() => entered.length === 1);
    const second = await postJson(a, '/api/predict', { textbox: 'second' });
    expect(second.statusCode).toBe(503);
    expect(second.json().error).toBe('QUEUE_FULL');
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number.isInteger(Number(second.headers['retry-after']))).toBe(true);
    release.open();
    expect((await first).json()).toEqual({ textbox: 'first' });
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'vitrine_rejections_total{app="/",reason="queue_full"}')).toBe(1);
    expect(metricValue(metrics, 'vitrine_requests_total{app="/",status="503"}')).toBe(1);
    expect(metricValue(metrics, 'vitrine_requests_total{app="/",status="200"}')).toBe(1);
  });

  it('with maxLength 1: one runs, one waits, the third is refused; the waiting one is served', async () => {
    const { iface, release, entered } = held(1);
    const a = await mount(iface);
    const first = postJson(a, '/api/predict', { textbox: 'first' });
    await until(() => entered.length === 1);
    const second = postJson(a, '/api/predict', { textbox: 'second' });
    await until(async () => (await a.inject({ method: 'GET', url: '/healthz' })).json().queued === 1);
    const third = await postJson(a, '/api/predict', { textbox: 'third' });
    expect(third.statusCode).toBe(503);
    expect(third.json()).toMatchObject({ error: 'QUEUE_FULL' });
    expect(third.headers['retry-after']).toMatch(/^\d+$/);
    release.open();
    expect((await first).statusCode).toBe(200);
    expect((await second).json()).toEqual({ textbox: 'second' });
    expect(entered).toEqual(['first', 'second']);
  });
});

describe('micro-batching', () => {
  it('groups requests that arrive while the function is busy, and gives each its own answer', async () => {
    const release = gate();
    const calls: number[][] = [];
    const iface = Interface({
      fn: async (ns) => {
        calls.push(ns);
        if (calls.length === 1) await release.promise;
        return ns.map((n) => n * 10);
      },
      batch: { maxSize: 4, maxDelayMs: 5_000 },
      inputs: NumberComponent(),
      outputs: NumberComponent(),
    });
    const a = await mount(iface);
    const first = postJson(a, '/api/predict', { number: 1 });
    for (let i = 0; i < 400 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const rest = [2, 3, 4].map((n) => postJson(a, '/api/predict', { number: n }));
    for (let i = 0; i < 400 && (await a.inject({ method: 'GET', url: '/healthz' })).json().queued < 3; i++) await new Promise((r) => setTimeout(r, 5));
    release.open();
    const answers = await Promise.all([first, ...rest]);
    expect(answers.map((r) => r.json().number)).toEqual([10, 20, 30, 40]);
    expect(calls).toEqual([[1], [2, 3, 4]]);
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metricValue(metrics, 'vitrine_batch_size_count{app="/"}')).toBe(2);
    expect(metricValue(metrics, 'vitrine_batch_size_sum{app="/"}')).toBe(4);
  });

  it('fails only the request whose input is bad, not its batch-mates', async () => {
    const iface = Interface({
      fn: (imgs) => imgs.map((img) => ({ w: img.width })),
      batch: { maxSize: 8, maxDelayMs: 1 },
      inputs: Image(),
      outputs: Label(),
    });
    const a = await mount(iface);
    const good = dataUrl(await pngOf(gradient(3, 2, 3)));
    const bad = Buffer.from('not an image at all').toString('base64');
    const [r1, r2] = await Promise.all([postJson(a, '/api/predict', { image: good }), postJson(a, '/api/predict', { image: bad })]);
    expect(r1.statusCode, r1.body).toBe(200);
    expect(r2.statusCode).toBe(400);
    expect(r2.json()).toMatchObject({ error: 'INVALID_IMAGE', field: 'image' });
  });
});

describe('worker threads', () => {
  it('runs a module mounted with workers: 1 in another thread, JSON and multipart', async () => {
    app = await buildApp({ apps: [{ module: 'tests/fixtures/worker-app.ts', workers: 1 }], logger: false });
    expect(await settled(app)).toBe('ready');
    const src = gradient(6, 4, 1);
    const png = await pngOf(src);

    const res = await postJson(app, '/api/predict', { image: dataUrl(png), text: 'hello' });
    expect(res.statusCode, res.body).toBe(200);
    const { summary, image } = res.json();
    expect(summary.threadId).not.toBe(0);
    expect(summary.loadedIn).toBe(summary.threadId);
    expect(summary).toMatchObject({ text: 'HELLO', size: [6, 4, 1] });
    expect([...decodeDataUrl(image).data]).toEqual([...src.data].map((v) => 255 - v));

    const viaForm = await postMultipart(app, '/api/predict', { image: { file: png }, text: 'hello' });
    expect(viaForm.statusCode, viaForm.body).toBe(200);
    expect(viaForm.json()).toEqual(res.json());

    // A client error raised in the worker crosses back as the same 400.
    const bad = await postJson(app, '/api/predict', { image: Buffer.from('plain text, no image').toString('base64'), text: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'INVALID_IMAGE', field: 'image' });
  });
});

describe('shutdown', () => {
  it('closes while load() is still running instead of waiting for it forever', async () => {
    const never = gate();
    const a = await mount(Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), load: () => never.promise }));
    expect((await a.inject({ method: 'GET', url: '/healthz' })).json().status).toBe('loading');
    const closed = a.close().then(() => 'closed');
    const timeout = new Promise((r) => setTimeout(() => r('still open after 5 s'), 5_000).unref());
    expect(await Promise.race([closed, timeout])).toBe('closed');
    app = undefined;
  });
});
