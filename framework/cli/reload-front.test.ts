/** The address `--reload` keeps: requests wait for a starting server, are refused cleanly when none can answer, and pages hear the state. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ReloadFront } from './reload-front.ts';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const thing of open.splice(0)) await thing.close();
});

/** A stand-in for a server child: answers with its name, or destroys the socket for /crash. */
async function backend(name: string): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/crash') return void req.socket.destroy();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      res.end(JSON.stringify({ name, method: req.method, url: req.url, body }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({ close: () => new Promise((r) => server.close(r)) });
  return { server, port: (server.address() as AddressInfo).port };
}

async function front(waitMs = 5000): Promise<{ front: ReloadFront; origin: string }> {
  const f = new ReloadFront({ waitMs });
  const origin = await f.listen(0, '127.0.0.1');
  open.push(f);
  return { front: f, origin };
}

describe('ReloadFront', () => {
  it('holds a request while the first server starts, then forwards it (method, path, body, headers)', async () => {
    const { front: f, origin } = await front();
    const pending = fetch(`${origin}/api/predict?x=1`, { method: 'POST', body: 'hello' });
    await new Promise((r) => setTimeout(r, 100));
    const b = await backend('one');
    f.ready(b.port, 'one');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ name: 'one', method: 'POST', url: '/api/predict?x=1', body: 'hello' });
  });

  it('while a change is picked up the current server answers; the new one takes over once ready', async () => {
    const { front: f, origin } = await front();
    const one = await backend('one');
    f.ready(one.port, 'one');
    f.restarting('app.ts');
    expect(((await (await fetch(`${origin}/x`)).json()) as { name: string }).name).toBe('one');
    const two = await backend('two');
    f.ready(two.port, 'two');
    expect(((await (await fetch(`${origin}/x`)).json()) as { name: string }).name).toBe('two');
  });

  it('no server and the app failed to load: 503 + Retry-After from the catalogue; a page gets the placeholder with the script', async () => {
    const { front: f, origin } = await front();
    f.failed('the app has a syntax error at app.ts:3\n  oops\n  ^');
    const api = await fetch(`${origin}/api/predict`, { method: 'POST', body: '{}' });
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('1');
    expect(await api.json()).toEqual({ error: 'RELOADING', message: 'The app is reloading (it failed to load: the app has a syntax error at app.ts:3); retry in 1 s' });
    const page = await fetch(`${origin}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('<script type="module" src="/__vitrine/live-reload.js?server=none"></script>');
  });

  it('waits a bounded time for a server that does not come', async () => {
    const { origin } = await front(200);
    const began = Date.now();
    const res = await fetch(`${origin}/api/config`);
    expect(res.status).toBe(503);
    expect(Date.now() - began).toBeGreaterThanOrEqual(150);
    expect(((await res.json()) as { message: string }).message).toContain('it is starting');
  });

  it('a server that drops the connection mid-request: a 503, not a reset', async () => {
    const { front: f, origin } = await front();
    f.ready((await backend('one')).port, 'one');
    const res = await fetch(`${origin}/crash`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('the event stream says the state now, then every change; the script names the stream', async () => {
    const { front: f, origin } = await front();
    const script = await fetch(`${origin}/__vitrine/live-reload.js?server=abc`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('new EventSource("/__vitrine/live-reload")');

    const aborter = new AbortController();
    const res = await fetch(`${origin}/__vitrine/live-reload`, { signal: aborter.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += (await reader.read()).value ?? '';
    };
    await readUntil('"state":"starting"');
    f.restarting('lib.ts');
    await readUntil('"changed":"lib.ts"');
    f.failed('boom');
    await readUntil('"error":"boom"');
    f.ready(1, 'two');
    await readUntil('"server":"two"');
    expect(text).toBe(
      'retry: 250\n\nevent: state\ndata: {"state":"starting"}\n\n' +
        'event: state\ndata: {"state":"restarting","changed":"lib.ts"}\n\n' +
        'event: state\ndata: {"state":"failed","error":"boom"}\n\n' +
        'event: state\ndata: {"state":"ready","server":"two"}\n\n',
    );
    aborter.abort();
  });
});
