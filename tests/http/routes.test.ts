/** Every GET route of a mounted interface, the shared ones, 404s, and several interfaces under prefixes. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, Dropdown, Image, Interface, Label, Textbox, type AppMount } from 'vitrine';
import { dataUrl, solidPng } from '../fixtures/images.ts';
import { postJson } from './helpers.ts';

let dir: string;
let sneaker: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-routes-'));
  sneaker = await solidPng(28, 28, '#202020');
  await writeFile(join(dir, 'sneaker.png'), sneaker);
  await writeFile(join(dir, 'bag photo.jpg'), await solidPng(4, 4));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function classifier(title = 'Fashion-MNIST Clothing Classifier') {
  return Interface({
    fn: () => ({ Sneaker: 0.9, Bag: 0.1 }),
    inputs: Image({ width: 28, height: 28, mode: 'L', label: 'Clothing picture', info: 'One garment' }),
    outputs: Label({ topK: 3 }),
    title,
    description: 'Upload a **picture**.',
    article: '## Model\nA CNN.',
    examples: [join(dir, 'sneaker.png'), pathToFileURL(join(dir, 'bag photo.jpg'))],
  });
}

function captioner() {
  return Interface({
    fn: ({ text, style }) => ({ caption: `${style}: ${text}` }),
    inputs: { text: Textbox({ placeholder: 'Say it' }), style: Dropdown({ choices: ['plain', 'loud'] }) },
    outputs: { caption: Textbox() },
    title: 'Captioner',
    examples: [{ text: 'hello', style: 'loud' }],
  });
}

async function mount(...apps: AppMount[]) {
  app = await buildApp({ apps, logger: false });
  return app;
}

describe('one interface at /', () => {
  it('GET / serves the page shell pointing <vt-interface> at the base', async () => {
    const res = await (await mount({ interface: classifier() })).inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<vt-interface src="/"></vt-interface>');
    expect(res.body).toContain('src="/assets/vitrine.js"');
    expect(res.body).toContain('<title>Fashion-MNIST Clothing Classifier</title>');
  });

  it('escapes the title and description in the page', async () => {
    const iface = Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), title: '<script>alert(1)</script>', description: '"quoted" & <b>' });
    const res = await (await mount({ interface: iface })).inject({ method: 'GET', url: '/' });
    expect(res.body).not.toContain('<script>alert(1)</script>');
    expect(res.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(res.body).not.toContain('"quoted" & <b>');
  });

  it('GET /api/config describes the interface as the contract says', async () => {
    const res = await (await mount({ interface: classifier() })).inject({ method: 'GET', url: '/api/config' });
    expect(res.statusCode).toBe(200);
    const config = res.json();
    expect(config).toMatchObject({
      title: 'Fashion-MNIST Clothing Classifier',
      description: 'Upload a **picture**.',
      article: '## Model\nA CNN.',
      inputs: [
        {
          name: 'image',
          kind: 'image',
          tag: 'vt-image',
          label: 'Clothing picture',
          info: 'One garment',
          props: { width: 28, height: 28, mode: 'L', fit: 'contain', sources: ['upload', 'clipboard', 'webcam'] },
        },
      ],
      outputs: [{ name: 'label', kind: 'label', tag: 'vt-label', label: 'Label', props: { topK: 3 } }],
      examples: [{ image: 'examples/0/sneaker.png' }, { image: 'examples/1/bag%20photo.jpg' }],
      api: { predict: 'api/predict', flag: 'api/flag' },
    });
    expect(config.outputs[0].info).toBeUndefined();
  });

  it('GET /api/config offers api/flag only when flagging is on', async () => {
    app = await buildApp({ apps: [{ interface: classifier() }], logger: false, flagging: false });
    const res = await app.inject({ method: 'GET', url: '/api/config' });
    expect(res.json().api.flag).toBeNull();
    expect((await app.inject({ method: 'POST', url: '/api/flag', payload: {} })).statusCode).toBe(404);
  });

  it('GET /api/config keeps non-file example values as wire values and fills defaults', async () => {
    const config = (await (await mount({ interface: captioner() })).inject({ method: 'GET', url: '/api/config' })).json();
    expect(config.examples).toEqual([{ text: 'hello', style: 'loud' }]);
    expect(config.article).toBeNull();
    expect(config.inputs.map((i: { name: string; label: string }) => [i.name, i.label])).toEqual([
      ['text', 'Text'],
      ['style', 'Style'],
    ]);
    expect(config.inputs[1].props).toEqual({ choices: ['plain', 'loud'], value: 'plain' });
  });

  it('GET /examples/<i>/<file> serves the example bytes with their type', async () => {
    const a = await mount({ interface: classifier() });
    const png = await a.inject({ method: 'GET', url: '/examples/0/sneaker.png' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(png.rawPayload, sneaker)).toBe(0);
    const jpg = await a.inject({ method: 'GET', url: '/examples/1/bag%20photo.jpg' });
    expect(jpg.statusCode).toBe(200);
    expect(jpg.headers['content-type']).toBe('image/jpeg');
  });

  it.each([
    '/examples/1/sneaker.png',
    '/examples/0/other.png',
    '/examples/7/sneaker.png',
    '/examples/0/..%2F..%2Fpackage.json',
    '/examples/0/%2e%2e',
  ])('GET %s is a JSON 404 and reads nothing outside the table', async (url) => {
    const res = await (await mount({ interface: classifier() })).inject({ method: 'GET', url });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('NOT_FOUND');
    expect(res.body).not.toContain('"name"');
  });

  it('a 404 never echoes the query string', async () => {
    const a = await mount({ interface: classifier() });
    for (const url of ['/examples/9/x.png?token=s3cret', '/nope?token=s3cret']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('s3cret');
    }
  });

  it('GET /docs is Swagger UI on the interface\'s OpenAPI document, its files served by this server', async () => {
    const a = await mount({ interface: classifier() });
    const res = await a.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<main id="swagger-ui" data-spec="/openapi.json"></main>');
    expect(res.body).not.toMatch(/<script>|https?:\/\//);
    for (const src of [...res.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!)) {
      const asset = await a.inject({ method: 'GET', url: src });
      expect(asset.statusCode, src).toBe(200);
      expect(asset.body.length, src).toBeGreaterThan(100);
    }
    expect((await a.inject({ method: 'GET', url: '/assets/swagger-ui/package.json' })).statusCode).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/assets/swagger-ui/..%2fpackage.json' })).statusCode).toBe(404);
  });

  it('GET /healthz is 200 once ready and reports the queue', async () => {
    const res = await (await mount({ interface: classifier() })).inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', queued: 0, inFlight: 0 });
  });

  it('GET /metrics is Prometheus text that counts predict requests by status', async () => {
    const a = await mount({ interface: classifier() });
    await postJson(a, '/api/predict', { image: dataUrl(sneaker) });
    await postJson(a, '/api/predict', { image: 5 });
    const res = await a.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE vitrine_requests_total counter');
    expect(res.body).toContain('vitrine_requests_total{app="/",status="200"} 1');
    expect(res.body).toContain('vitrine_requests_total{app="/",status="400"} 1');
    expect(res.body).toContain('vitrine_queue_length{app="/"} 0');
    expect(res.body).toMatch(/vitrine_request_duration_seconds_count\{app="\/"\} 1\n/);
    // Every sample line is `name{labels} value`.
    for (const line of res.body.trim().split('\n').filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
    }
  });

  it('unknown routes are JSON 404s; known paths with the wrong method are 405 with Allow', async () => {
    const a = await mount({ interface: classifier() });
    const missing = await a.inject({ method: 'GET', url: '/nope?secret=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'NOT_FOUND', message: 'No route GET /nope' });
    for (const [method, url, allow] of [
      ['GET', '/api/predict', 'POST'],
      ['POST', '/api/config', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
    ] as const) {
      const res = await a.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.json()).toEqual({ error: 'METHOD_NOT_ALLOWED', message: `Method ${method} is not allowed on ${url}` });
    }
  });

  it('every answer carries a request id', async () => {
    const res = await (await mount({ interface: classifier() })).inject({ method: 'GET', url: '/api/config' });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('several interfaces under prefixes', () => {
  async function two() {
    return mount({ prefix: '/', interface: classifier() }, { prefix: '/captioner', interface: captioner() }, { prefix: 'tools/echo/', interface: Interface({ fn: (t) => t, inputs: Textbox(), outputs: Textbox(), title: 'Echo' }) });
  }

  it('/name redirects to /name/ so the page URLs resolve under it', async () => {
    const a = await two();
    for (const base of ['/captioner', '/tools/echo']) {
      const res = await a.inject({ method: 'GET', url: base });
      expect(res.statusCode).toBe(308);
      expect(res.headers.location).toBe(`${base}/`);
    }
  });

  it('each interface answers its own routes', async () => {
    const a = await two();
    const page = await a.inject({ method: 'GET', url: '/captioner/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<vt-interface src="/captioner/"></vt-interface>');
    expect((await a.inject({ method: 'GET', url: '/captioner/api/config' })).json().title).toBe('Captioner');
    expect((await a.inject({ method: 'GET', url: '/tools/echo/api/config' })).json().title).toBe('Echo');
    expect((await a.inject({ method: 'GET', url: '/api/config' })).json().title).toBe('Fashion-MNIST Clothing Classifier');
    const res = await postJson(a, '/captioner/api/predict', { text: 'hi', style: 'loud' });
    expect(res.json()).toEqual({ caption: 'loud: hi' });
    expect((await postJson(a, '/tools/echo/api/predict', { textbox: 'ok' })).json()).toEqual({ textbox: 'ok' });
    expect((await a.inject({ method: 'GET', url: '/captioner/healthz' })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/captioner/docs' })).body).toContain('data-spec="/captioner/openapi.json"');
    expect((await a.inject({ method: 'GET', url: '/captioner/openapi.json' })).json().servers).toEqual([{ url: '/captioner' }]);
  });

  it('keeps the apps apart: inputs, errors and metrics labels', async () => {
    const a = await two();
    const wrong = await postJson(a, '/captioner/api/predict', { image: dataUrl(sneaker) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().field).toBe('image');
    await postJson(a, '/captioner/api/predict', { text: 'a' });
    const metrics = (await a.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vitrine_requests_total{app="/captioner/",status="200"} 1');
    expect(metrics).toContain('vitrine_requests_total{app="/captioner/",status="400"} 1');
    expect(metrics).not.toContain('vitrine_requests_total{app="/",status=');
  });

  it('an unknown prefix is a 404, and a bad prefix is refused when the app is built', async () => {
    const a = await two();
    expect((await a.inject({ method: 'GET', url: '/other/' })).statusCode).toBe(404);
    await a.close();
    app = undefined;
    await expect(buildApp({ apps: [{ prefix: '/bad prefix', interface: captioner() }], logger: false })).rejects.toThrow(/invalid mount prefix/);
  });
});
