/** Shared helpers of the reliability suites: error-shape checks, multipart bodies and raw sockets. */
import { connect } from 'node:net';
import { expect } from 'vitest';

/** A response as the suites see it, from `inject` or a socket. */
export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/**
 * Asserts the catalogue's error shape: the status, a JSON body `{ error, message }` with the code,
 * a message matching `message`, and nothing that looks like a stack trace or a server path.
 *
 * @example
 * expectError(res, 400, 'INVALID_IMAGE', /truncated PNG/);
 */
export function expectError(res: Answer, status: number, code: string, message?: RegExp): Record<string, unknown> {
  expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  if (message) expect(body.message).toMatch(message);
  expectNoLeaks(res.body);
  return body;
}

/** No stack frames, no absolute paths of this machine, no module names in a response body. */
export function expectNoLeaks(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(text).not.toMatch(/\/(work|home|srv|usr|tmp|root)\/[\w.-]+\//);
  expect(text).not.toMatch(/node_modules/);
}

/** One part of a multipart body: a text field, or a file when `filename` is given. */
export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  type?: string;
}

/**
 * Builds a `multipart/form-data` body by hand (so malformed ones can be built too).
 *
 * @example
 * const { body, contentType } = multipart([{ name: 'image', filename: 'a.png', value: png }]);
 */
export function multipart(parts: Part[], boundary = 'vitrineBoundary7MA4YWxk'): { body: Buffer; contentType: string } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? `\r\nContent-Type: ${p.type ?? 'application/octet-stream'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** What a raw exchange ended with: the bytes the server sent, and whether it closed the socket. */
export interface RawResult {
  text: string;
  status: number | undefined;
  closed: boolean;
  ms: number;
}

/**
 * Sends raw bytes (exactly as given: no URL normalisation) and collects the answer until the
 * server closes, `waitMs` passes, or one complete response has arrived (`untilResponse`).
 *
 * @example
 * const r = await rawExchange(port, 'GET /assets/../package.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  opts: { waitMs?: number; untilResponse?: boolean; trickle?: { chunks: Array<string | Buffer>; everyMs: number } } = {},
): Promise<RawResult> {
  const began = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let settled = false;
    let trickleTimer: NodeJS.Timeout | undefined;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(trickleTimer);
      socket.destroy();
      const text = data.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : undefined, closed, ms: performance.now() - began });
    };
    const timer = setTimeout(() => finish(false), opts.waitMs ?? 10_000);
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      if (opts.untilResponse && isComplete(data)) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.write(request);
    if (opts.trickle) {
      const queue = [...opts.trickle.chunks];
      trickleTimer = setInterval(() => {
        const next = queue.shift();
        if (next === undefined || socket.destroyed) return clearInterval(trickleTimer);
        socket.write(next);
      }, opts.trickle.everyMs);
    }
  });
}

function isComplete(data: Buffer): boolean {
  const head = data.indexOf('\r\n\r\n');
  if (head < 0) return false;
  const m = /content-length:\s*(\d+)/i.exec(data.subarray(0, head).toString('latin1'));
  return m !== null && data.length >= head + 4 + Number(m[1]);
}

/** The JSON body of a raw response, or undefined. */
export function rawBody(r: RawResult): unknown {
  const at = r.text.indexOf('\r\n\r\n');
  if (at < 0) return undefined;
  try {
    return JSON.parse(r.text.slice(at + 4));
  } catch {
    return undefined;
  }
}

/**
 * Waits until every given `healthz` URL answers 200 (the app's `load` has run), or throws.
 *
 * @example
 * await waitHealthy(app, ['/healthz', '/fx/healthz']);
 */
export async function waitHealthy(app: { inject: (o: { method: 'GET'; url: string }) => PromiseLike<{ statusCode: number; body: string }> }, urls: string[], timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode === 200) break;
      if (Date.now() > until) throw new Error(`${url} is not healthy: ${res.body}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
