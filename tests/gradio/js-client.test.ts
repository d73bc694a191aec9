/**
 * The real `@gradio/client` (unchanged, from npm) against a listening Vitrine server: connect,
 * view_api, predict with handle_file (keyword and positional), submit() with status and progress
 * events, 16 concurrent calls from 4 clients, a corrupt image, errors, cancel, a dropped client, a
 * full queue, timeoutMs and the bearer token.
 */
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Client, handle_file } from '@gradio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCELLED_MESSAGE } from '../../framework/server/gradio/queue.ts';
import { multipartBody } from '../http/helpers.ts';
import { greyPng, holdingApp, listen, ready, type Listening } from './helpers.ts';

const MEASURE_APP = fileURLToPath(new URL('./fixtures/measure-app.ts', import.meta.url));
const SNEAKER = fileURLToPath(new URL('../../apps/fashion-mnist/examples/sneaker.png', import.meta.url));

type FileData = { path: string; url: string; size: number; orig_name: string; mime_type: string; meta: { _type: string } };
type Verdict = { label: string; confidences: Array<{ label: string; confidence: number }> };
type Stats = { mean: number; width: number; height: number; note: string; scale: number; threadId: number };

/** Every event a submitted job yields, until it ends. */
async function eventsOf(job: AsyncIterable<unknown>): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for await (const e of job) out.push(e as Record<string, unknown>);
  return out;
}

/** What POST /api/predict answers (message) for the same picture bytes, for comparing error texts. */
async function jsonApiMessage(server: Listening, base: string, fields: Record<string, string | Buffer>): Promise<string> {
  const { payload, headers } = await multipartBody(
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : { file: v, name: 'blob', type: 'application/octet-stream' }])),
  );
  const res = await server.app.inject({ method: 'POST', url: `${base}api/predict`, payload, headers });
  expect(res.statusCode).toBeGreaterThanOrEqual(400);
  return (res.json() as { message: string }).message;
}

describe('the JS client and an app in a worker thread', () => {
  let server: Listening;
  let client: Client;
  beforeAll(async () => {
    server = await listen([{ prefix: '/measure', module: MEASURE_APP }]);
    await ready(server.app, '/measure/');
    client = await Client.connect(`${server.origin}/measure/`);
  });
  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('connects and describes one /predict endpoint with parameters named after the inputs', async () => {
    const api = (await client.view_api()) as unknown as { named_endpoints: Record<string, { parameters: Array<Record<string, unknown>>; returns: Array<Record<string, unknown>> }> };
    expect(Object.keys(api.named_endpoints)).toEqual(['/predict']);
    const { parameters, returns } = api.named_endpoints['/predict']!;
    expect(parameters.map((p) => [p.parameter_name, p.component, p.parameter_has_default, p.parameter_default])).toEqual([
      ['picture', 'Image', false, null],
      ['note', 'Textbox', true, 'plain'],
      ['scale', 'Slider', true, 2],
    ]);
    expect(returns.map((r) => [r.label, r.component])).toEqual([
      ['Verdict', 'Label'],
      ['Stats', 'JSON'],
      ['Inverted', 'Image'],
    ]);
  });

  it('predicts with handle_file and keyword arguments; the Image output is a FileData whose url serves the PNG', async () => {
    const result = await client.predict('/predict', { picture: handle_file(await greyPng(51)), note: 'keyword', scale: 3 });
    const [verdict, stats, inverted] = result.data as [Verdict, Stats, FileData];
    expect(verdict.label).toBe('dark');
    expect(verdict.confidences[0]!.confidence).toBeCloseTo(0.8, 3);
    expect(stats).toMatchObject({ mean: 0.2, width: 6, height: 4, note: 'keyword', scale: 3 });
    expect(stats.threadId).not.toBe(0);
    expect(inverted).toMatchObject({ mime_type: 'image/png', orig_name: 'inverted.png', meta: { _type: 'gradio.FileData' } });
    expect(inverted.url).toBe(`${server.origin}/measure/gradio_api/file=${inverted.path}`);
    const res = await fetch(inverted.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const { data, info } = await sharp(Buffer.from(await res.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([6, 4]);
    expect([...new Set(data)]).toEqual([204]);
  });

  it('takes positional arguments, and a local file path through handle_file', async () => {
    const result = await client.predict('/predict', [handle_file(SNEAKER), 'positional', 5]);
    const stats = (result.data as [Verdict, Stats])[1];
    expect(stats).toMatchObject({ width: 28, height: 28, note: 'positional', scale: 5 });
  });

  it('fills left-out parameters with their defaults', async () => {
    const result = await client.predict('/predict', { picture: handle_file(await greyPng(200)) });
    expect((result.data as [Verdict, Stats])[1]).toMatchObject({ note: 'plain', scale: 2 });
  });

  it('submit() yields status events with the progress the function reports from its worker thread, then the data', async () => {
    const watcher = await Client.connect(`${server.origin}/measure/`, { events: ['data', 'status'] });
    const job = watcher.submit('/predict', { picture: handle_file(await greyPng(10)), note: 'progress' });
    const events = await eventsOf(job).finally(() => watcher.close());
    const progress = events.flatMap((e) => (e.type === 'status' && Array.isArray(e.progress_data) ? (e.progress_data as Array<{ progress: number; desc: string }>) : []));
    expect(progress.map((p) => [p.progress, p.desc])).toEqual([
      [0.25, 'read'],
      [0.5, 'measure'],
      [0.75, 'invert'],
    ]);
    const stages = events.filter((e) => e.type === 'status').map((e) => e.stage);
    expect(stages[0]).toBe('pending');
    expect(stages.at(-1)).toBe('complete');
    const data = events.filter((e) => e.type === 'data');
    expect(data).toHaveLength(1);
    expect((data[0]!.data as [Verdict, Stats])[1].note).toBe('progress');
  });

  it('answers 16 concurrent calls from 4 clients, each with its own result', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => Client.connect(`${server.origin}/measure/`)));
    try {
      const calls = Array.from({ length: 16 }, (_, i) => ({ client: clients[i % 4]!, value: 10 + i * 15, note: `call-${i}` }));
      const pictures = await Promise.all(calls.map((c) => greyPng(c.value)));
      const results = await Promise.all(calls.map((c, i) => c.client.predict('/predict', { picture: handle_file(pictures[i]!), note: c.note, scale: (i % 10) + 1 })));
      results.forEach((result, i) => {
        const stats = (result.data as [Verdict, Stats])[1];
        expect(stats.note).toBe(calls[i]!.note);
        expect(stats.scale).toBe((i % 10) + 1);
        expect(stats.mean).toBeCloseTo(calls[i]!.value / 255, 3);
      });
    } finally {
      for (const c of clients) c.close();
    }
  });

  it('refuses a corrupt image with the JSON API\'s message, and the next call is fine', async () => {
    const corrupt = Buffer.concat([(await greyPng(9)).subarray(0, 40), Buffer.from('not the rest of a PNG')]);
    const expected = await jsonApiMessage(server, '/measure/', { picture: corrupt });
    await expect(client.predict('/predict', { picture: handle_file(corrupt) })).rejects.toThrow(expected);
    expect(expected).toMatch(/"picture"/);
    const text = Buffer.from('just text, no picture');
    await expect(client.predict('/predict', { picture: handle_file(text) })).rejects.toThrow(await jsonApiMessage(server, '/measure/', { picture: text }));
    const ok = await client.predict('/predict', { picture: handle_file(await greyPng(255)) });
    expect((ok.data as [Verdict])[0].label).toBe('bright');
  });

  it('reports a failing function as an error event with the JSON API\'s 500 message', async () => {
    const err = await client.predict('/predict', { picture: handle_file(await greyPng(1)), note: 'fail' }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/^The app failed while handling this request \(request id [0-9a-f-]{36}\)$/);
  });
});

describe('the JS client: cancel, a dropped client, a full queue, timeoutMs', () => {
  it('cancel() stops a queued job: its function never runs, and the client hears why', async () => {
    const held = holdingApp();
    const server = await listen([{ prefix: '/', interface: held.iface }]);
    const client = await Client.connect(server.origin);
    try {
      const first = client.predict('/predict', ['hold']);
      await held.started;
      const second = client.submit('/predict', ['queued'], undefined, undefined, true);
      await second.wait_for_id();
      await second.cancel();
      const events = await eventsOf(second);
      const last = events.at(-1)!;
      expect(last).toMatchObject({ type: 'status', stage: 'error', message: CANCELLED_MESSAGE });
      held.release();
      expect(((await first).data as [string])[0]).toBe('HOLD');
      expect(held.seen).toEqual(['hold']);
      expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ queued: 0 });
    } finally {
      held.release();
      client.close();
      await server.close();
    }
  });

  it('drops a queued job whose client went away (its event stream closed)', async () => {
    const held = holdingApp();
    const server = await listen([{ prefix: '/', interface: held.iface }]);
    const keeper = await Client.connect(server.origin);
    try {
      const first = keeper.predict('/predict', ['hold']);
      await held.started;
      // The leaving client speaks the protocol by hand, so the test knows its stream is open; with
      // node:http, as undici's fetch opens a spare connection after an abort that would hold close().
      const join = await fetch(`${server.origin}/gradio_api/queue/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: ['gone'], fn_index: 0, session_hash: 'leaving-client' }),
      });
      expect(join.status).toBe(200);
      const stream = request(`${server.origin}/gradio_api/queue/data?session_hash=leaving-client`);
      const firstChunk = new Promise<string>((resolve) => stream.on('response', (res) => res.once('data', (chunk) => resolve(String(chunk)))));
      stream.end();
      expect(await firstChunk).toContain('"msg":"estimation"');
      expect((await server.app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ queued: 1 });
      stream.destroy();
      for (let i = 0; (await server.app.inject({ method: 'GET', url: '/healthz' })).json().queued !== 0; i++) {
        if (i > 500) throw new Error('the dropped job stayed queued');
        await new Promise((r) => setTimeout(r, 10));
      }
      held.release();
      await first;
      expect(held.seen).toEqual(['hold']);
    } finally {
      held.release();
      keeper.close();
      await server.close();
    }
  });

  it('answers 503 on join when the queue is full; the client reports the queue as busy', async () => {
    const held = holdingApp({ maxLength: 1 });
    const server = await listen([{ prefix: '/', interface: held.iface }]);
    const client = await Client.connect(server.origin);
    try {
      const first = client.predict('/predict', ['hold']);
      await held.started;
      const second = client.predict('/predict', ['waits']);
      await expect(client.predict('/predict', ['refused'])).rejects.toThrow(/busy/);
      const res = await fetch(`${server.origin}/gradio_api/queue/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: ['raw'], fn_index: 0, session_hash: 'raw-session' }),
      });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await res.json()).toMatchObject({ error: 'QUEUE_FULL', detail: expect.stringMatching(/busy/) });
      held.release();
      await Promise.all([first, second]);
      expect(held.seen).toEqual(['hold', 'waits']);
      const metrics = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/vitrine_rejections_total\{app="\/",reason="queue_full"\} 2/);
      expect(metrics).toMatch(/vitrine_requests_total\{app="\/",status="200"\} 2/);
    } finally {
      held.release();
      client.close();
      await server.close();
    }
  });

  it('still bounds a running call by timeoutMs, with the JSON API\'s message', async () => {
    const held = holdingApp({ timeoutMs: 300 });
    const server = await listen([{ prefix: '/', interface: held.iface }]);
    const client = await Client.connect(server.origin);
    try {
      const json = await server.app.inject({ method: 'POST', url: '/api/predict', payload: { textbox: 'hang' } });
      expect(json.statusCode).toBe(504);
      await expect(client.predict('/predict', ['hang'])).rejects.toThrow((json.json() as { message: string }).message);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('the JS client and a server with a bearer token', () => {
  const token = 'hf_vitrine_test_token';
  let server: Listening;
  beforeAll(async () => {
    server = await listen([{ prefix: '/measure', module: MEASURE_APP }], { security: { token } });
    await ready(server.app, '/measure/');
  });
  afterAll(async () => server?.close());

  it('is refused without the token, with the catalogue\'s message', async () => {
    const client = await Client.connect(`${server.origin}/measure/`);
    try {
      await expect(client.predict('/predict', { picture: handle_file(await greyPng(3)) })).rejects.toThrow('A valid bearer token is required');
    } finally {
      client.close();
    }
  });

  it('works with the client\'s token option (upload, join and the event stream all carry it)', async () => {
    const client = await Client.connect(`${server.origin}/measure/`, { token });
    try {
      const result = await client.predict('/predict', { picture: handle_file(await greyPng(102)), note: 'with token' });
      expect((result.data as [Verdict, Stats])[1]).toMatchObject({ note: 'with token', mean: 0.4 });
    } finally {
      client.close();
    }
  });
});
