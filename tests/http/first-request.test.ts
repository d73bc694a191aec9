/** A newcomer's first app: a model-less function answers its very first request, and `/healthz` is at the server's root whatever the mounts. */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, Interface, Textbox } from '../../framework/index.ts';
import { defaultWorkers } from '../../framework/server/executor-choice.ts';
import shout from '../fixtures/shout-app.ts';
import { gate, postJson, settled } from './helpers.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const SHOUT = 'tests/fixtures/shout-app.ts';

describe("the README's Shout app, mounted by module path with no options", () => {
  it('answers its first request, sent as soon as the server is built, with 200', async () => {
    app = await buildApp({ apps: [{ prefix: '/shout', module: SHOUT }], logger: false });
    const first = await postJson(app, '/shout/api/predict', { text: 'hello', times: 2 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ shout: 'HELLO!!' });
  });

  it('runs in the main thread: it has no load(), so no worker pool is started for it', async () => {
    expect(defaultWorkers(shout, 'file:///srv/apps/shout/app.ts')).toBe(0);
    app = await buildApp({ apps: [{ prefix: '/shout', module: SHOUT }], logger: false });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).not.toContain('vitrine_workers_ready{app="/shout/"}');
  });

  it('an app with a load() mounted by module path still gets one worker per core', () => {
    const withModel = Interface({ fn: (t: string) => t, inputs: Textbox(), outputs: Textbox(), load: () => {} });
    expect(defaultWorkers(withModel, 'file:///srv/apps/model/app.ts')).toBe(availableParallelism());
    expect(defaultWorkers(withModel, undefined)).toBe(0);
  });
});

describe('GET /healthz at the root of every server', () => {
  it('exists when no app is mounted at /, and answers for every app', async () => {
    app = await buildApp({ apps: [{ prefix: '/shout', module: SHOUT }], logger: false });
    const root = await app.inject({ method: 'GET', url: '/healthz' });
    expect(root.statusCode).toBe(200);
    expect(root.json()).toEqual({ status: 'ready', queued: 0, inFlight: 0 });
    expect((await app.inject({ method: 'GET', url: '/shout/healthz' })).statusCode).toBe(200);
  });

  it('is 503 until every app can answer, and names the app that cannot', async () => {
    const loading = gate();
    app = await buildApp({
      apps: [
        { prefix: '/shout', module: SHOUT },
        { prefix: '/slow', interface: Interface({ fn: (t: string) => t, inputs: Textbox(), outputs: Textbox(), load: () => loading.promise }) },
        {
          prefix: '/broken',
          interface: Interface({
            fn: (t: string) => t,
            inputs: Textbox(),
            outputs: Textbox(),
            load: () => {
              throw new Error('no weights');
            },
          }),
        },
      ],
      logger: false,
    });
    expect(await settled(app, '/broken/')).toBe('unavailable');
    const both = await app.inject({ method: 'GET', url: '/healthz' });
    expect(both.statusCode).toBe(503);
    expect(both.json()).toMatchObject({ status: 'unavailable', reason: '/broken/: no weights' });
    expect((await app.inject({ method: 'GET', url: '/slow/healthz' })).json().status).toBe('loading');
    expect((await app.inject({ method: 'GET', url: '/shout/healthz' })).statusCode).toBe(200);
    loading.open();
    expect(await settled(app, '/slow/')).toBe('ready');
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json().status).toBe('unavailable');
  });
});
