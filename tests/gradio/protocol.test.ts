/**
 * Gradio's protocol at the HTTP level (app.inject, plus a real port where a stream stays open):
 * the config and info documents, the exact SSE framing, the two-step curl route, uploads and their
 * limits, paths that try to escape, URLs, the token (both clients' headers), the rate limit, and the
 * points Gradio's Python client depends on (read from its source; that client is not run here).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildApp,
  Checkbox,
  Dropdown,
  Image,
  Interface,
  JSON as JsonComponent,
  Label,
  Number as NumberComponent,
  Slider,
  Textbox,
  type BuildOptions,
  type VitrineInterface,
} from '../../framework/index.ts';
import imageEffects from '../../apps/image-effects/app.ts';
import { multipartBody, type Field } from '../http/helpers.ts';
import { gate, greyPng, sseMessages } from './helpers.ts';

const shout = () =>
  Interface({
    fn: (text: string) => {
      if (text === 'fail') throw new Error('asked to fail');
      return { loud: text.toUpperCase(), kind: { [text.length % 2 === 0 ? 'even' : 'odd']: 1 } };
    },
    inputs: Textbox(),
    outputs: { loud: Textbox(), kind: Label() },
    title: 'Shout',
    workers: 0,
  });

const brightness = () =>
  Interface({
    fn: ({ picture }) => ({ mean: picture.data.reduce((a, v) => a + v, 0) / picture.data.length, same: picture }),
    inputs: { picture: Image({ mode: 'L' }) },
    outputs: { mean: NumberComponent(), same: Image() },
    workers: 0,
  });

const everyKind = () =>
  Interface({
    fn: (a) => ({ label: a.pick, echo: a.meta }),
    inputs: {
      image: Image(),
      text: Textbox({ label: 'Your text' }),
      n: NumberComponent({ min: 0, max: 10 }),
      on: Checkbox(),
      pick: Dropdown({ choices: ['a', 'b'] }),
      meta: JsonComponent(),
      s: Slider({ min: 0, max: 1, step: 0.5 }),
    },
    outputs: { label: Label(), echo: JsonComponent() },
    workers: 0,
  });

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function mount(iface: VitrineInterface, prefix = '/', opts: Partial<BuildOptions> = {}): Promise<FastifyInstance> {
  app = await buildApp({ logger: false, flagging: false, ...opts, apps: [{ prefix, interface: iface, workers: 0 }] });
  return app;
}

function post(a: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return a.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });
}

async function upload(a: FastifyInstance, base: string, files: Field[], field = 'files'): Promise<LightMyRequestResponse> {
  const { payload, headers } = await multipartBody({ [field]: files });
  return a.inject({ method: 'POST', url: `${base}gradio_api/upload`, payload, headers });
}

/** Joins, then reads the session's whole stream (it ends with close_stream). */
async function runJoined(a: FastifyInstance, base: string, data: unknown, session = 'sess-1') {
  const joined = await post(a, `${base}gradio_api/queue/join`, { data, fn_index: 0, session_hash: session });
  expect(joined.statusCode, joined.body).toBe(200);
  const eventId = (joined.json() as { event_id: string }).event_id;
  const stream = await a.inject({ method: 'GET', url: `${base}gradio_api/queue/data?session_hash=${session}` });
  return { eventId, stream, messages: sseMessages(stream.body, 'data') };
}

/** The message of the event's process_completed error. */
async function errorOf(a: FastifyInstance, base: string, data: unknown): Promise<string> {
  const { messages } = await runJoined(a, base, data);
  const done = messages.find((m) => m.msg === 'process_completed')!;
  expect(done.success).toBe(false);
  return (done.output as { error: string }).error;
}

describe('config and info', () => {
  it('/config carries what both clients read, with a root from the request', async () => {
    const a = await mount(imageEffects, '/fx');
    const config = (await a.inject({ method: 'GET', url: '/fx/config', headers: { host: 'demo.example:8080' } })).json();
    expect(config).toMatchObject({ api_prefix: '/gradio_api', protocol: 'sse_v3', enable_queue: true, root: 'http://demo.example:8080/fx' });
    // The Python client asks for info above 3.36.1 and cancels through /cancel above 4.29.0.
    const [major, minor] = String(config.version).split(/[.+]/).map(Number);
    expect(major! * 100 + minor!).toBeGreaterThan(429);
    expect(config.components.map((c: { id: number; type: string }) => [c.id, c.type])).toEqual([
      [1, 'image'],
      [2, 'dropdown'],
      [3, 'slider'],
      [4, 'image'],
      [5, 'gallery'],
    ]);
    expect(config.dependencies).toHaveLength(1);
    expect(config.dependencies[0]).toMatchObject({
      id: 0,
      api_name: 'predict',
      inputs: [1, 2, 3],
      outputs: [4, 5],
      backend_fn: true,
      queue: true,
      api_visibility: 'public',
      show_api: true,
      cancels: [],
      types: { generator: false, cancel: false },
    });
    await a.close();
    const atRoot = await mount(shout());
    expect((await atRoot.inject({ method: 'GET', url: '/config' })).json().root).toBe('http://localhost:80');
  });

  it('/config believes X-Forwarded-* only from a trusted proxy', async () => {
    const headers = { host: 'internal:7860', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'public.example' };
    const trusting = await mount(shout(), '/app', { trustProxy: true });
    expect((await trusting.inject({ method: 'GET', url: '/app/config', headers })).json().root).toBe('https://public.example/app');
    await trusting.close();
    const plain = await mount(shout(), '/app');
    expect((await plain.inject({ method: 'GET', url: '/app/config', headers })).json().root).toBe('http://internal:7860/app');
  });

  it('info names each component as Gradio does, with JSON schemas from the zod schemas and Python types', async () => {
    const a = await mount(everyKind());
    const res = await a.inject({ method: 'GET', url: '/gradio_api/info?serialize=False' });
    expect(res.statusCode).toBe(200);
    const info = res.json();
    expect(info.unnamed_endpoints).toEqual({});
    const { parameters, returns } = info.named_endpoints['/predict'];
    expect(parameters.map((p: { parameter_name: string; component: string }) => [p.parameter_name, p.component])).toEqual([
      ['image', 'Image'],
      ['text', 'Textbox'],
      ['n', 'Number'],
      ['on', 'Checkbox'],
      ['pick', 'Dropdown'],
      ['meta', 'JSON'],
      ['s', 'Slider'],
    ]);
    const byName = Object.fromEntries(parameters.map((p: { parameter_name: string }) => [p.parameter_name, p]));
    expect(byName.image.type).toMatchObject({ type: 'object', required: ['path'] });
    expect(byName.image.python_type.type).toBe('filepath');
    expect(byName.text.label).toBe('Your text');
    expect(byName.n.type).toMatchObject({ type: 'number', minimum: 0, maximum: 10 });
    expect(byName.pick.type).toMatchObject({ type: 'string', enum: ['a', 'b'] });
    expect(byName.pick.python_type.type).toBe("Literal['a', 'b']");
    expect(byName.pick).toMatchObject({ parameter_has_default: true, parameter_default: 'a' });
    expect(byName.on.python_type.type).toBe('bool');
    expect(byName.s.python_type.type).toBe('float');
    expect(returns.map((r: { component: string }) => r.component)).toEqual(['Label', 'JSON']);
    expect(returns[0].python_type.type).toBe('Dict(label: str, confidences: list[Dict(label: str, confidence: float)])');
  });

  it('leaves Gradio out with gradio: false', async () => {
    const a = await mount(shout(), '/', { gradio: false });
    expect((await a.inject({ method: 'GET', url: '/config' })).statusCode).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/gradio_api/info' })).statusCode).toBe(404);
  });
});

describe('queue/join and queue/data', () => {
  it('streams one `data:` line per message and ends with close_stream', async () => {
    const a = await mount(shout());
    const { eventId, stream, messages } = await runJoined(a, '/', ['hello']);
    expect(eventId).toMatch(/^[0-9a-f]{32}$/);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['cache-control']).toMatch(/no-cache/);
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(messages.map((m) => m.msg)).toEqual(['estimation', 'process_starts', 'process_completed', 'close_stream']);
    expect(messages.slice(0, -1).every((m) => m.event_id === eventId)).toBe(true);
    expect(messages.at(-1)).toEqual({ msg: 'close_stream', event_id: null });
    const done = messages[2]!;
    expect(done).toMatchObject({ success: true, title: null });
    expect(Object.keys(done.output as object).sort()).toEqual(['average_duration', 'changed_state_ids', 'data', 'duration', 'is_generating', 'render_config']);
    expect((done.output as { data: unknown }).data).toEqual(['HELLO', { label: 'odd', confidences: [{ label: 'odd', confidence: 1 }] }]);
  });

  it('keeps one session\'s stream open until every one of its events has completed', async () => {
    const a = await mount(shout());
    const ids = [];
    for (const word of ['one', 'four']) ids.push((await post(a, '/gradio_api/queue/join', { data: [word], fn_index: 0, session_hash: 'two-events' })).json().event_id);
    const stream = await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=two-events' });
    const messages = sseMessages(stream.body, 'data');
    const completed = messages.filter((m) => m.msg === 'process_completed');
    expect(completed.map((m) => m.event_id).sort()).toEqual([...ids].sort());
    expect(messages.filter((m) => m.msg === 'close_stream')).toHaveLength(1);
    expect(messages.at(-1)!.msg).toBe('close_stream');
  });

  it('sends errors as process_completed with only the keys Python\'s AppError takes, and never `unexpected_error`', async () => {
    const a = await mount(shout());
    const { messages } = await runJoined(a, '/', [42]);
    const done = messages.find((m) => m.msg === 'process_completed')!;
    expect(done.success).toBe(false);
    expect(Object.keys(done.output as object).sort()).toEqual(['duration', 'error', 'title', 'visible']);
    const json = await post(a, '/api/predict', { textbox: 42 });
    expect((done.output as { error: string }).error).toBe((json.json() as { message: string }).message);
    expect(messages.some((m) => m.msg === 'unexpected_error')).toBe(false);
  });

  it('answers 404 for a session that never joined, and 400 for a body that breaks the schema', async () => {
    const a = await mount(shout());
    expect((await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=nobody' })).statusCode).toBe(404);
    const bad = await post(a, '/gradio_api/queue/join', { data: 'not a list', session_hash: 's' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'BAD_REQUEST', detail: expect.stringContaining('"data"') });
    expect((await post(a, '/gradio_api/queue/join', { data: ['x'], fn_index: 3, session_hash: 's' })).statusCode).toBe(400);
  });

  it('logs a failing job with the join\'s request id, which its error message quotes', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logStream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    app = await buildApp({ logger: { level: 'info', stream: logStream }, flagging: false, apps: [{ interface: shout(), workers: 0 }] });
    const joined = await post(app, '/gradio_api/queue/join', { data: ['fail'], fn_index: 0, session_hash: 'logs' });
    const requestId = joined.headers['x-request-id'] as string;
    const stream = await app.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=logs' });
    const done = sseMessages(stream.body, 'data').find((m) => m.msg === 'process_completed')!;
    expect((done.output as { error: string }).error).toBe(`The app failed while handling this request (request id ${requestId})`);
    const failure = lines.find((l) => l.msg === 'the app failed');
    expect(failure).toMatchObject({ reqId: requestId });
    expect(String(failure!.err)).toContain('asked to fail');
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).toContain('vitrine_requests_total{app="/",status="500"} 1');
  });
});

describe('one queue for every entry', () => {
  it('batches Gradio jobs together with JSON API requests in the interface\'s one scheduler', async () => {
    const batches: string[][] = [];
    const held = gate();
    const batched = Interface({
      fn: async (texts: string[]) => {
        batches.push([...texts].sort());
        if (texts.includes('hold')) await held.promise;
        return texts.map((t) => t.toUpperCase());
      },
      batch: { maxSize: 8, maxDelayMs: 10_000 },
      inputs: Textbox(),
      outputs: Textbox(),
      queue: { concurrencyPerWorker: 1 },
      workers: 0,
    });
    const a = await mount(batched);
    const first = post(a, '/api/predict', { textbox: 'hold' });
    while (batches.length === 0) await new Promise((r) => setImmediate(r));
    const joins = ['g1', 'g2', 'g3'].map((t) => post(a, '/gradio_api/queue/join', { data: [t], fn_index: 0, session_hash: 'batch' }));
    const jsons = ['j1', 'j2'].map((t) => post(a, '/api/predict', { textbox: t }));
    await Promise.all(joins);
    while ((await a.inject({ method: 'GET', url: '/healthz' })).json().queued < 5) await new Promise((r) => setTimeout(r, 5));
    held.open();
    expect((await Promise.all(jsons)).map((r) => r.json())).toEqual([{ textbox: 'J1' }, { textbox: 'J2' }]);
    expect((await first).json()).toEqual({ textbox: 'HOLD' });
    expect(batches).toEqual([['hold'], ['g1', 'g2', 'g3', 'j1', 'j2']]);
    const stream = await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=batch' });
    const outputs = sseMessages(stream.body, 'data').filter((m) => m.msg === 'process_completed').map((m) => (m.output as { data: string[] }).data[0]);
    expect(outputs.sort()).toEqual(['G1', 'G2', 'G3']);
  });
});

describe('the two-step call route', () => {
  it('POST answers exactly {"event_id": …}; GET streams one `complete` event with the outputs', async () => {
    const a = await mount(shout(), '/shout');
    const posted = await post(a, '/shout/gradio_api/call/predict', { data: ['curl'] });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toMatch(/^\{"event_id":"[0-9a-f]{32}"\}$/);
    const id = posted.json().event_id;
    const got = await a.inject({ method: 'GET', url: `/shout/gradio_api/call/predict/${id}` });
    expect(got.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(got.body).toBe(`event: complete\ndata: ${JSON.stringify(['CURL', { label: 'even', confidences: [{ label: 'even', confidence: 1 }] }])}\n\n`);
    expect((await a.inject({ method: 'GET', url: `/shout/gradio_api/call/predict/${id}` })).statusCode).toBe(404);
  });

  it('takes keyword data, streams `error` with the message, and refuses unknown endpoints and events', async () => {
    const a = await mount(shout());
    const id = (await post(a, '/gradio_api/call/predict', { data: { textbox: 'fail' } })).json().event_id;
    const [message] = sseMessages((await a.inject({ method: 'GET', url: `/gradio_api/call/predict/${id}` })).body, 'named');
    expect(message!.event).toBe('error');
    expect(message!.data).toMatchObject({ error: expect.stringMatching(/^The app failed while handling this request/) });
    expect((await post(a, '/gradio_api/call/other', { data: ['x'] })).statusCode).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/gradio_api/call/predict/0123456789abcdef0123456789abcdef' })).statusCode).toBe(404);
  });
});

describe('uploads and files', () => {
  it('stores uploads under paths it hands out; an image sent as `blob` is sniffed and served as image/png', async () => {
    const a = await mount(brightness());
    const png = await greyPng(100);
    const res = await upload(a, '/', [{ file: png, name: 'blob', type: 'application/octet-stream' }]);
    expect(res.statusCode).toBe(200);
    const [path] = res.json() as string[];
    expect(path).toMatch(/^[0-9a-f]{32}\/blob$/);
    // The Python client downloads `{src}gradio_api/file=<path>` without encoding the path.
    const file = await a.inject({ method: 'GET', url: `/gradio_api/file=${path}` });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(png)).toBe(true);
    const { messages } = await runJoined(a, '/', [{ path, meta: { _type: 'gradio.FileData' } }]);
    const output = (messages.find((m) => m.msg === 'process_completed')!.output as { data: [number, { path: string; url: string }] }).data;
    expect(output[0]).toBe(100);
    expect(output[1].url).toBe(`http://localhost:80/gradio_api/file=${output[1].path}`);
    expect((await a.inject({ method: 'GET', url: `/gradio_api/file=${output[1].path}` })).headers['content-type']).toBe('image/png');
  });

  it('refuses uploads over the size limit (deleting what was written), too many files, and other media types', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrine-uploads-'));
    try {
      const a = await mount(brightness(), '/', { gradio: { dir, maxFileBytes: 1000 } });
      const big = await upload(a, '/', [{ file: new Uint8Array(5000), name: 'big.png' }]);
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ error: 'BODY_TOO_LARGE', detail: 'The request body is larger than the limit of 1000 bytes' });
      expect(await readdir(dir)).toEqual([]);
      const many = await upload(a, '/', Array.from({ length: 17 }, () => ({ file: new Uint8Array(10), name: 'x.png' })));
      expect(many.statusCode).toBe(413);
      expect((await post(a, '/gradio_api/upload', { files: [] })).statusCode).toBe(415);
      expect((await upload(a, '/', [{ file: new Uint8Array(10) }], 'other')).statusCode).toBe(400);
      expect((await a.inject({ method: 'GET', url: '/config' })).json().max_file_size).toBe(1000);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never reads a path it did not hand out: traversal, absolute and altered paths are refused', async () => {
    const a = await mount(brightness());
    const [path] = (await upload(a, '/', [{ file: await greyPng(7), name: 'ok.png' }])).json() as string[];
    const id = path!.split('/')[0];
    for (const escape of ['../../../../etc/passwd', '/etc/passwd', `${id}/../../etc/passwd`, `${id}/other.png`, `${id}%2F..%2F..%2Fetc%2Fpasswd`, id!, 'C:\\Windows\\win.ini']) {
      expect(await errorOf(a, '/', [{ path: escape, meta: { _type: 'gradio.FileData' } }]), escape).toMatch(/is not a file this server handed out/);
    }
    for (const url of ['/gradio_api/file=../../../../etc/passwd', '/gradio_api/file=%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/gradio_api/file=/etc/passwd', `/gradio_api/file=${id}`]) {
      const res = await a.inject({ method: 'GET', url });
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body).not.toContain('root:');
    }
  });

  it('refuses URLs unless allow-listed; resolves its own example URLs without fetching', async () => {
    const served: string[] = [];
    const png = await greyPng(50);
    const remote: Server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/moved.png') res.writeHead(302, { location: '/ok/a.png' }).end();
      else res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    });
    await new Promise<void>((r) => remote.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
    try {
      const closed = await mount(brightness());
      expect(await errorOf(closed, '/', [{ path: `${origin}/ok/a.png`, url: `${origin}/ok/a.png`, meta: { _type: 'gradio.FileData' } }])).toMatch(
        /is a URL, and this server does not fetch URLs unless its operator allows them/,
      );
      expect(served).toEqual([]);
      await closed.close();

      const open = await mount(brightness(), '/', { gradio: { allowedUrls: [`${origin}/ok/`] } });
      const { messages } = await runJoined(open, '/', [{ path: `${origin}/ok/a.png`, meta: { _type: 'gradio.FileData' } }]);
      expect((messages.find((m) => m.msg === 'process_completed')!.output as { data: unknown[] }).data[0]).toBe(50);
      expect(await errorOf(open, '/', [{ path: `${origin}/elsewhere.png` }])).toMatch(/does not fetch URLs/);
      expect(await errorOf(open, '/', [{ path: `${origin}/ok/../moved.png` }])).toMatch(/does not fetch URLs/);
      expect(served).toEqual(['/ok/a.png']);
      await open.close();

      const effects = await mount(imageEffects, '/fx');
      const example = (await effects.inject({ method: 'GET', url: '/fx/gradio_api/info' })).json().named_endpoints['/predict'].parameters[0].example_input;
      expect(example.url).toBe('http://localhost:80/fx/examples/0/landscape.jpg');
      const { messages: fx } = await runJoined(effects, '/fx/', [example, 'invert', 1]);
      expect(fx.find((m) => m.msg === 'process_completed'), JSON.stringify(fx)).toMatchObject({ success: true });
    } finally {
      remote.close();
    }
  });
});

describe('the bearer token, the rate limit, and what the Python client needs', () => {
  const token = 'vitrine-secret';

  it('guards join, upload, call and the streams; takes `Authorization` (JS) and `X-HF-Authorization` (Python)', async () => {
    const a = await mount(shout(), '/', { security: { token } });
    expect((await a.inject({ method: 'GET', url: '/config' })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/gradio_api/info' })).statusCode).toBe(200);
    const refused = await post(a, '/gradio_api/queue/join', { data: ['x'], fn_index: 0, session_hash: 't' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'UNAUTHORIZED', detail: 'A valid bearer token is required' });
    expect((await post(a, '/gradio_api/call/predict', { data: ['x'] })).statusCode).toBe(401);
    expect((await upload(a, '/', [{ file: new Uint8Array(4) }])).statusCode).toBe(401);
    expect((await post(a, '/gradio_api/queue/join', { data: ['js'], fn_index: 0, session_hash: 't' }, { authorization: `Bearer ${token}` })).statusCode).toBe(200);
    expect((await post(a, '/gradio_api/queue/join', { data: ['py'], fn_index: 0, session_hash: 't' }, { 'x-hf-authorization': `Bearer ${token}` })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=t' })).statusCode).toBe(401);
    const stream = await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=t', headers: { 'x-hf-authorization': `Bearer ${token}` } });
    expect(sseMessages(stream.body, 'data').filter((m) => m.msg === 'process_completed')).toHaveLength(2);
    // The JS client sends no token to cancel: the event id is the capability there, as in Gradio.
    expect((await post(a, '/gradio_api/cancel', { event_id: 'unknown', session_hash: 't', fn_index: 0 })).json()).toEqual({ success: false });
  });

  it('counts joins and uploads against the rate limit', async () => {
    const a = await mount(shout(), '/', { security: { rateLimit: { max: 2, windowMs: 60_000 } } });
    for (let i = 0; i < 2; i++) expect((await post(a, '/gradio_api/queue/join', { data: ['x'], session_hash: `r${i}` })).statusCode).toBe(200);
    const limited = await post(a, '/gradio_api/queue/join', { data: ['x'], session_hash: 'r3' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.json()).toMatchObject({ error: 'RATE_LIMITED', detail: expect.stringMatching(/^Too many requests/) });
    expect((await a.inject({ method: 'GET', url: '/gradio_api/queue/data?session_hash=r0' })).statusCode).toBe(200);
  });

  it('keeps the heartbeat stream open with `data:` lines, and answers reset', async () => {
    const a = await mount(shout(), '/', { gradio: { heartbeatMs: 20 } });
    const origin = await a.listen({ port: 0, host: '127.0.0.1' });
    const req = request(`${origin}/gradio_api/heartbeat/some-session`);
    const chunks = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      req.on('response', (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        res.on('data', (c: Buffer) => {
          seen.push(String(c));
          if (seen.length === 3) resolve(seen);
        });
      });
      req.on('error', reject);
      req.end();
    });
    req.destroy();
    expect(chunks.join('').split('\n\n').filter(Boolean).every((m) => m === 'data: ALIVE')).toBe(true);
    expect((await post(a, '/gradio_api/reset', { event_id: 'x' })).json()).toEqual({ success: true });
  });
});
