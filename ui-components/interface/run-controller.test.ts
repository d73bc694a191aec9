/** RunController: one run at a time, the outputs or the API's error, a cancelled run reports nothing. */
import { describe, expect, it } from 'vitest';
import { FakeHost, jsonResponse, scriptedFetch } from './fake-host.ts';
import { RunController, type Run, type RunFailure } from './run-controller.ts';

/** An event-stream answer whose messages the test writes one by one. */
function streamedResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const write = (event: string, data: unknown) => controller.enqueue(new TextEncoder().encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
  return { response: new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } }), write, end: () => controller.close() };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function setUp(answer: Parameters<typeof scriptedFetch>[0]) {
  const host = new FakeHost();
  const partials: Array<Record<string, unknown>> = [];
  const results: Run[] = [];
  const failures: RunFailure[] = [];
  const statuses: number[] = [];
  const { fetch, calls } = scriptedFetch(answer);
  const run = new RunController(host, {
    url: () => new URL('http://h/app/api/predict'),
    headers: () => ({ authorization: 'Bearer t' }),
    onStatus: (s) => statuses.push(s),
    onPartial: (o) => partials.push(o),
    onResult: (r) => results.push(r),
    onFailure: (f) => failures.push(f),
    fetch,
  });
  return { host, run, partials, results, failures, statuses, calls };
}

describe('RunController', () => {
  it('posts the inputs as JSON with the token, and reports the outputs with the request id', async () => {
    const { run, results, calls, statuses } = setUp(() => jsonResponse({ out: 'HI' }, 200, { 'x-request-id': 'req-1' }));
    const signal = run.begin();
    expect(run.busy).toBe(true);
    expect(run.status).toBe('Running…');
    await run.send(signal, { text: 'hi' });
    expect(calls[0]!.url).toBe('http://h/app/api/predict');
    expect(calls[0]!.init).toMatchObject({ method: 'POST', body: '{"text":"hi"}', headers: { 'content-type': 'application/json', authorization: 'Bearer t' } });
    expect(results).toEqual([{ inputs: { text: 'hi' }, outputs: { out: 'HI' }, requestId: 'req-1' }]);
    expect(run.last).toEqual(results[0]);
    expect(run.busy).toBe(false);
    expect(run.status).toMatch(/^Done in \d+\.\d\d s\.$/);
    expect(statuses).toEqual([200]);
  });

  it("shows the API's error message and reports its code and status", async () => {
    const { run, failures } = setUp(() => jsonResponse({ error: 'INVALID_IMAGE', message: 'Invalid image for "image": not a PNG', field: 'image' }, 400));
    await run.send(run.begin(), { image: 'x' });
    expect(run.problem).toBe('Invalid image for "image": not a PNG');
    expect(failures).toEqual([{ error: 'INVALID_IMAGE', message: 'Invalid image for "image": not a PNG', status: 400 }]);
    expect(run.last).toBeNull();
    expect(run.busy).toBe(false);
  });

  it("keeps a development server's detail (the app's message and frames) under the error, until the next run", async () => {
    const detail = 'RangeError: empty\n    at check (app.ts:3:9)';
    const { run, failures } = setUp(() => jsonResponse({ error: 'APP_ERROR', message: 'The app failed (request id r)', requestId: 'r', detail }, 500));
    await run.send(run.begin(), {});
    expect(run.problem).toBe('The app failed (request id r)');
    expect(run.problemDetail).toBe(detail);
    expect(failures).toEqual([{ error: 'APP_ERROR', message: 'The app failed (request id r)', status: 500, detail }]);
    run.begin();
    expect(run.problemDetail).toBe('');
  });

  it('says what the server answered when it is not the API speaking, and when it cannot be reached', async () => {
    const proxy = setUp(() => new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }));
    await proxy.run.send(proxy.run.begin(), {});
    expect(proxy.failures).toEqual([{ error: 'HTTP_ERROR', message: 'The server answered 502 Bad Gateway', status: 502 }]);
    const offline = setUp(() => {
      throw new TypeError('fetch failed');
    });
    await offline.run.send(offline.run.begin(), {});
    expect(offline.failures).toEqual([{ error: 'NETWORK_ERROR', message: 'Could not reach the server: fetch failed', status: null }]);
  });

  it('a new run cancels the one in flight, which then reports nothing; Clear cancels too', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { run, results, failures } = setUp(async (_url, init) => {
      if (init?.body === '{"n":1}') await held;
      return jsonResponse({ n: init?.body });
    });
    const first = run.begin();
    const firstSent = run.send(first, { n: 1 });
    const second = run.begin();
    expect(first.aborted).toBe(true);
    await run.send(second, { n: 2 });
    release();
    await firstSent;
    expect(results.map((r) => r.inputs)).toEqual([{ n: 2 }]);
    expect(failures).toEqual([]);

    const third = run.begin();
    run.cancel();
    expect(third.aborted).toBe(true);
    expect(run).toMatchObject({ busy: false, problem: '', status: '', last: null });
  });

  it('shows each partial output of a stream as it arrives, then the result', async () => {
    const stream = streamedResponse();
    const { run, partials, results } = setUp(() => stream.response);
    const sent = run.send(run.begin(), { text: 'hi' });
    stream.write('partial', { out: 'H' });
    await tick();
    expect(partials).toEqual([{ out: 'H' }]);
    expect(results).toEqual([]);
    stream.write('partial', { out: 'HI' });
    stream.write('complete', { out: 'HI' });
    stream.end();
    await sent;
    expect(partials).toEqual([{ out: 'H' }, { out: 'HI' }]);
    expect(results.map((r) => r.outputs)).toEqual([{ out: 'HI' }]);
  });

  it('Stop aborts the request, keeps what was shown, and hears nothing more', async () => {
    const stream = streamedResponse();
    const { run, partials, results, failures } = setUp(() => stream.response);
    const signal = run.begin();
    const sent = run.send(signal, { text: 'hi' });
    stream.write('partial', { out: 'H' });
    await tick();
    run.stop();
    expect(signal.aborted).toBe(true);
    expect(run).toMatchObject({ busy: false, status: 'Stopped.' });
    stream.write('partial', { out: 'HI' });
    stream.end();
    await sent;
    expect(partials).toEqual([{ out: 'H' }]);
    expect(results).toEqual([]);
    expect(failures).toEqual([]);
  });

  it('cancels the run in flight when the host is disconnected', () => {
    const { host, run } = setUp(() => jsonResponse({}));
    const signal = run.begin();
    host.disconnect();
    expect(signal.aborted).toBe(true);
    expect(run.busy).toBe(false);
  });
});
