/**
 * Development errors: with `development` (what `vitrine serve --reload` sets) a 500 from the app
 * carries its message and its own stack frames in `detail`, from the main thread and from a worker
 * thread; without it the body is the production one, byte for byte the same shape as before.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, Interface, Textbox } from 'vitrine';
import { ErrorBodySchema } from '../../framework/errors.ts';
import { settled } from './helpers.ts';

/** Throws from a named helper, so its frame is in the trace; "bad-output" breaks the output schema. */
function checkSpelling(text: string): string {
  if (text === 'throw') throw new RangeError(`cannot check "${text}": the dictionary is empty`);
  return text;
}

const spelling = () =>
  Interface({
    fn: (text: string) => (text === 'bad-output' ? (42 as unknown as string) : checkSpelling(text)),
    inputs: Textbox(),
    outputs: Textbox(),
  });

async function appWith(development: boolean | undefined): Promise<FastifyInstance> {
  const app = await buildApp({
    apps: [
      { prefix: '/', interface: spelling(), workers: 0 },
      { prefix: '/worker', module: 'tests/runtime/fixtures/faulty-app.ts', workers: 1 },
    ],
    logger: false,
    flagging: false,
    gradio: false,
    ...(development === undefined ? {} : { development }),
  });
  expect(await settled(app, '/worker/')).toBe('ready');
  return app;
}

const ask = (app: FastifyInstance, url: string, text: string) => app.inject({ method: 'POST', url, payload: { textbox: text } });

describe('in development', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith(true);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("a throwing function's 500 carries its message and the app's frames, not the framework's", async () => {
    const res = await ask(app, '/api/predict', 'throw');
    expect(res.statusCode).toBe(500);
    const body = ErrorBodySchema.parse(res.json());
    expect(body).toMatchObject({ error: 'APP_ERROR', requestId: res.headers['x-request-id'] });
    const [message, ...frames] = body.detail!.split('\n');
    expect(message).toBe('RangeError: cannot check "throw": the dictionary is empty');
    expect(frames[0]).toMatch(/^\s+at checkSpelling \(tests\/http\/dev-errors\.test\.ts:\d+:\d+\)$/);
    expect(body.detail).not.toMatch(/framework\/|node_modules|node:internal/);
  });

  it('the same from a worker thread', async () => {
    const body = ErrorBodySchema.parse((await ask(app, '/worker/api/predict', 'throw')).json());
    expect(body.error).toBe('APP_ERROR');
    expect(body.detail).toMatch(/^Error: secret detail: \/srv\/weights\/model\.bin\n\s+at .*tests\/runtime\/fixtures\/faulty-app\.ts:\d+:\d+/);
  });

  it('an output that breaks its schema says what zod found', async () => {
    const body = ErrorBodySchema.parse((await ask(app, '/api/predict', 'bad-output')).json());
    expect(body).toMatchObject({ error: 'INVALID_OUTPUT', field: 'textbox' });
    expect(body.detail).toMatch(/^textbox: Invalid input: expected string, received number/);
  });

  it('a 400 stays as it was: the request is the problem, not the app', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 3 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).not.toHaveProperty('detail');
  });
});

describe('in production', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await appWith(false);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('a 500 is the generic message and the request id, nothing of the error', async () => {
    for (const url of ['/api/predict', '/worker/api/predict']) {
      const res = await ask(app, url, 'throw');
      expect(res.statusCode).toBe(500);
      expect(Object.keys(res.json() as object).sort()).toEqual(['error', 'message', 'requestId']);
      expect(res.body).not.toMatch(/dictionary|secret detail|\.ts:\d+/);
    }
  });
});

describe('NODE_ENV=development', () => {
  const before = process.env.NODE_ENV;
  afterAll(() => {
    process.env.NODE_ENV = before;
  });

  it('turns the details on when serve() is not told either way', async () => {
    process.env.NODE_ENV = 'development';
    const app = await appWith(undefined);
    try {
      expect(ErrorBodySchema.parse((await ask(app, '/api/predict', 'throw')).json()).detail).toMatch(/^RangeError: cannot check/);
    } finally {
      await app.close();
    }
  });
});
