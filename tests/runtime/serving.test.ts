/** The runtime behind HTTP: batching in a worker thread with each caller's own answer, overflow, clients that leave, faults, /metrics. */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import parsePrometheus from 'parse-prometheus-text-format';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, Interface, Number as NumberComponent, Textbox } from 'vitrine';
import { gate, postJson, postMultipart, settled } from '../http/helpers.ts';
import { sample, samplesOf } from './prometheus.ts';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** A 4×4 grey PNG whose pixels depend on `id`, and the sum the app should find in it. */
async function pictureFor(id: number): Promise<{ png: Buffer; sum: number }> {
  const px = Uint8Array.from({ length: 16 }, (_, i) => (id * 7 + i * 13) % 256);
  const png = await sharp(px, { raw: { width: 4, height: 4, channels: 1 } }).png().toBuffer();
  return { png, sum: px.reduce((a, v) => a + v, 0) };
}

async function metricsOf(a: FastifyInstance): Promise<string> {
  const res = await a.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const shuffle = <T>(xs: T[]): T[] => xs.map((x) => [Math.random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

describe('micro-batching in a worker thread', () => {
  it('groups concurrent requests and gives every caller the answer to its own input (JSON and multipart, shuffled)', async () => {
    app = await buildApp({ apps: [{ module: 'tests/runtime/fixtures/batch-app.ts' }], logger: false });
    expect(await settled(app)).toBe('ready');
    const a = app;
    const ids = shuffle(Array.from({ length: 48 }, (_, i) => i * 3 + 1));
    const pictures = new Map(await Promise.all(ids.map(async (id) => [id, await pictureFor(id)] as const)));
    const responses = await Promise.all(
      ids.map((id, k) => {
        const { png } = pictures.get(id)!;
        return k % 2 === 0
          ? postJson(a, '/api/predict', { id, image: `data:image/png;base64,${png.toString('base64')}` })
          : postMultipart(a, '/api/predict', { id: String(id), image: { file: png } });
      }),
    );
    const batchSizes: number[] = [];
    responses.forEach((res, k) => {
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { id: number; sum: number; batch: number; thread: number };
      expect(body.id).toBe(ids[k]);
      expect(body.sum).toBe(pictures.get(ids[k]!)!.sum);
      expect(body.thread).not.toBe(0);
      batchSizes.push(body.batch);
    });
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(8);

    const text = await metricsOf(a);
    expect(sample(text, 'vitrine_batch_size_sum', { app: '/' })).toBe(48);
    expect(sample(text, 'vitrine_batch_size_count', { app: '/' })).toBeLessThan(48);
    expect(sample(text, 'vitrine_requests_total', { app: '/', status: '200' })).toBe(48);
  });

  it('does not hold a lone request on an idle pool for maxDelayMs', async () => {
    const calls: number[][] = [];
    app = await buildApp({
      apps: [
        {
          interface: Interface({
            fn: (xs) => {
              calls.push(xs);
              return xs;
            },
            // A batch waiting for company would blow the test's time limit.
            batch: { maxSize: 16, maxDelayMs: 3_600_000 },
            inputs: NumberComponent(),
            outputs: NumberComponent(),
          }),
          workers: 0,
        },
      ],
      logger: false,
    });
    expect(await settled(app)).toBe('ready');
    for (const n of [5, 6]) {
      const res = await postJson(app, '/api/predict', { number: n });
      expect(res.json()).toEqual({ number: n });
    }
    expect(calls).toEqual([[5], [6]]);
  }, 10_000);
});

describe('overflow', () => {
  it('answers every request of a burst: those past the queue get 503 QUEUE_FULL with Retry-After at once, the rest 200', async () => {
    const iface = Interface({
      fn: async (t: string) => {
        await new Promise((r) => setTimeout(r, 40));
        return t;
      },
      inputs: Textbox(),
      outputs: Textbox(),
      queue: { maxLength: 4, concurrencyPerWorker: 1 },
    });
    app = await buildApp({ apps: [{ interface: iface, workers: 0 }], logger: false });
    const a = app;
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => postJson(a, '/api/predict', { textbox: `r${i}` })));
    const ok = burst.filter((r) => r.statusCode === 200);
    const refused = burst.filter((r) => r.statusCode === 503);
    expect(ok.length + refused.length).toBe(30);
    expect(ok.length).toBeGreaterThanOrEqual(5);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.json()).toMatchObject({ error: 'QUEUE_FULL' });
      expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    }
    for (const r of ok) expect(r.json().textbox).toMatch(/^r\d+$/);
    const text = await metricsOf(a);
    expect(sample(text, 'vitrine_rejections_total', { app: '/', reason: 'queue_full' })).toBe(refused.length);
  });
});

describe('a client that disconnects while queued', () => {
  it('is dropped from the queue: its request never runs, and it is counted', async () => {
    const release = gate();
    const entered: string[] = [];
    const iface = Interface({
      fn: async (t: string) => {
        entered.push(t);
        await release.promise;
        return t;
      },
      inputs: Textbox(),
      outputs: Textbox(),
      queue: { maxLength: 10, concurrencyPerWorker: 1 },
    });
    app = await buildApp({ apps: [{ interface: iface, workers: 0 }], logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const queued = async () => ((await (await fetch(`${base}/healthz`)).json()) as { queued: number }).queued;
    const send = (textbox: string) =>
      fetch(`${base}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ textbox }) });

    const first = send('first');
    await until(() => entered.length === 1, 'the first request to run');

    const body = JSON.stringify({ textbox: 'leaver' });
    const leaver = request(`${base}/api/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } });
    leaver.on('error', () => {});
    leaver.end(body);
    await until(async () => (await queued()) === 1, 'the second request to be queued');
    leaver.destroy();
    await until(async () => (await queued()) === 0, 'the queue to drop it');

    release.open();
    expect(await (await first).json()).toEqual({ textbox: 'first' });
    expect(await (await send('third')).json()).toEqual({ textbox: 'third' });
    expect(entered).toEqual(['first', 'third']);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'vitrine_rejections_total', { app: '/', reason: 'client_closed' })).toBe(1);
  });
});

describe('faults in a worker thread', () => {
  it('a throwing function and a dying worker each give that request a generic 500; the worker is replaced and serves again', async () => {
    app = await buildApp({ apps: [{ module: 'tests/runtime/fixtures/faulty-app.ts' }], logger: false });
    expect(await settled(app)).toBe('ready');
    const a = app;

    const thrown = await postJson(a, '/api/predict', { textbox: 'throw' });
    expect(thrown.statusCode).toBe(500);
    expect(thrown.json()).toMatchObject({ error: 'APP_ERROR', requestId: thrown.headers['x-request-id'] });
    expect(thrown.body).not.toMatch(/secret|model\.bin|\bat /);

    const died = await postJson(a, '/api/predict', { textbox: 'exit' });
    expect(died.statusCode).toBe(500);
    expect(died.json()).toMatchObject({ error: 'APP_ERROR' });
    expect(died.body).not.toMatch(/exited|code 7/);

    let after = await postJson(a, '/api/predict', { textbox: 'back' });
    await until(
      async () => {
        if (after.statusCode === 200) return true;
        // While the replacement loads, the answer is a clean 503 with Retry-After.
        expect(after.statusCode).toBe(503);
        expect(after.headers['retry-after']).toBeDefined();
        after = await postJson(a, '/api/predict', { textbox: 'back' });
        return false;
      },
      'the replacement worker',
      20_000,
    );
    expect(after.json()).toEqual({ textbox: 'ok:back' });
    const text = await metricsOf(a);
    expect(sample(text, 'vitrine_requests_total', { app: '/', status: '500' })).toBe(2);
    expect(sample(text, 'vitrine_workers_ready', { app: '/' })).toBe(1);
    expect(sample(text, 'vitrine_worker_restarts_total', { app: '/' })).toBe(1);
  });
});

describe('GET /metrics', () => {
  it('is Prometheus text: every family typed, histograms cumulative, with queue length, in-flight, batch sizes, latency and rejections', async () => {
    const iface = Interface({
      fn: (xs: number[]) => xs.map((x) => x + 1),
      batch: { maxSize: 4, maxDelayMs: 1 },
      inputs: NumberComponent(),
      outputs: NumberComponent(),
      queue: { maxLength: 0 },
    });
    app = await buildApp({ apps: [{ interface: iface, workers: 0 }], logger: false });
    const a = app;
    expect(await settled(a)).toBe('ready');
    await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(a, '/api/predict', { number: i })));
    const text = await metricsOf(a);

    // Every sample comes after the TYPE of its family, once per family.
    const typed = new Map<string, string>();
    for (const line of text.trimEnd().split('\n')) {
      const t = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
      if (t) {
        expect(typed.has(t[1]!), `two TYPE lines for ${t[1]}`).toBe(false);
        typed.set(t[1]!, t[2]!);
      } else if (!line.startsWith('#')) {
        const name = line.split(/[{ ]/)[0]!;
        expect(typed.has(name) || typed.get(name.replace(/_(bucket|sum|count)$/, '')) === 'histogram', `sample before its TYPE: ${line}`).toBe(true);
      }
    }
    // An independent parser reads it too, with the same types.
    const families = new Map(parsePrometheus(text).map((f) => [f.name, f.type]));
    expect(families.get('vitrine_queue_length')).toBe('GAUGE');
    expect(families.get('vitrine_in_flight')).toBe('GAUGE');
    expect(families.get('vitrine_rejections_total')).toBe('COUNTER');
    expect(families.get('vitrine_requests_total')).toBe('COUNTER');

    const samples = samplesOf(text);
    for (const name of ['vitrine_batch_size', 'vitrine_request_duration_seconds', 'vitrine_queue_wait_seconds']) {
      expect(families.get(name), name).toBe('HISTOGRAM');
      const buckets = samples.filter((s) => s.name === `${name}_bucket` && s.labels.app === '/');
      expect(buckets.length, name).toBeGreaterThan(1);
      const bounds = buckets.map((b) => (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le)));
      expect(bounds).toEqual([...bounds].sort((x, y) => x - y));
      expect(bounds.at(-1)).toBe(Infinity);
      buckets.forEach((b, i) => expect(b.value).toBeGreaterThanOrEqual(i === 0 ? 0 : buckets[i - 1]!.value));
      expect(buckets.at(-1)!.value).toBe(sample(text, `${name}_count`, { app: '/' }));
      expect(sample(text, `${name}_sum`, { app: '/' })).toBeGreaterThan(0);
    }
    expect(sample(text, 'vitrine_queue_length', { app: '/' })).toBe(0);
    expect(sample(text, 'vitrine_in_flight', { app: '/' })).toBe(0);
    const answered = sample(text, 'vitrine_requests_total', { app: '/', status: '200' }) ?? 0;
    const refused = sample(text, 'vitrine_rejections_total', { app: '/', reason: 'queue_full' }) ?? 0;
    expect(answered + refused).toBe(6);
    expect(sample(text, 'vitrine_batch_size_sum', { app: '/' })).toBe(answered);
    expect(sample(text, 'vitrine_request_duration_seconds_count', { app: '/' })).toBe(answered);
  });
});
