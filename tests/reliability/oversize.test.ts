/**
 * An oversize request always gets its 413 JSON: 50 MB bodies (JSON, multipart, octet-stream), 20
 * times each, sent whole by a client that reads the answer only after its upload — the server
 * reads and discards the rest of the body for a bounded time and size before it closes (nginx's
 * lingering close), so the kernel never resets the connection under the answer. A body that never
 * ends is still cut off by the request time limit.
 */
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, Image, Interface, Textbox } from 'vitrine';

const MiB = 1024 * 1024;
let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  const iface = Interface({ fn: ({ image, note }) => ({ note: `${image.width} ${note}` }), inputs: { image: Image(), note: Textbox() }, outputs: { note: Textbox() }, workers: 0 });
  app = await buildApp({ apps: [{ interface: iface, workers: 0 }], logger: false, flagging: false, requestTimeoutMs: 4000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
});
afterAll(async () => app?.close());

/** Sends the headers and the whole body as fast as the socket takes it, then reads whatever answer came: status and body, or the socket error. */
function sendWhole(type: string, size: number, preamble = ''): Promise<{ status: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let error: string | undefined;
    // Like a client that reads the answer only once its upload is done: nothing is read before.
    socket.pause();
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4), ...(error ? { error } : {}) });
    });
    socket.write(`POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${type}\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n${preamble}`);
    const block = Buffer.alloc(MiB, 0x61);
    let sent = preamble.length;
    const pump = () => {
      while (sent < size && !socket.destroyed) {
        const n = Math.min(MiB, size - sent);
        sent += n;
        if (!socket.write(n === MiB ? block : block.subarray(0, n))) return void socket.once('drain', pump);
      }
      socket.resume();
    };
    pump();
  });
}

describe('an oversize body', () => {
  const filePart = '--xyz\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n';
  it.each([
    ['application/json', ''],
    ['multipart/form-data; boundary=xyz', filePart],
    ['application/octet-stream', ''],
  ])('%s, 50 MB, 20 times: the answer is read every time', async (type, preamble) => {
    const answers: Array<{ status: number; error?: string }> = [];
    for (let i = 0; i < 20; i++) {
      const { status, body, error } = await sendWhole(type, 50 * MiB, preamble);
      answers.push({ status, ...(error ? { error } : {}), ...(status === 400 ? { body: body.slice(0, 300) } : {}) });
      if (status === 413 || status === 415) expect(JSON.parse(body.trim().split('\r\n').find((l) => l.startsWith('{')) ?? body)).toHaveProperty('error');
    }
    const statuses = new Set(answers.map((a) => a.status));
    expect([...statuses].every((s) => s === 413 || s === 415), JSON.stringify(answers)).toBe(true);
  }, 120_000);

  it('a body that never ends still gets its 413 and is cut off by the request time limit', async () => {
    const started = Date.now();
    const { status, closedAfterMs } = await new Promise<{ status: number; closedAfterMs: number }>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (d) => (received += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.write('POST /api/predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = Buffer.concat([Buffer.from(`${(256 * 1024).toString(16)}\r\n`), Buffer.alloc(256 * 1024, 0x20), Buffer.from('\r\n')]);
      const timer = setInterval(() => socket.destroyed || socket.write(chunk), 20);
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0), closedAfterMs: Date.now() - started });
      });
    });
    expect(status).toBe(413);
    // requestTimeoutMs is 4 s here; the linger's own limits (30 s, 256 MiB) are never reached.
    expect(closedAfterMs).toBeLessThan(12_000);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  }, 30_000);
});
