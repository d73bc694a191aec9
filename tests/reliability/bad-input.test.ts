/** Every kind of bad upload gets the right 4xx with a JSON message, odd but valid images get 200, the server stays up and leaks no tensors. */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import effects from '../../apps/image-effects/app.ts';
import { brightnessApp, echoJsonApp, svgApp } from './fixtures/apps.ts';
import { animatedGif, cmykJpeg, dataUrl, gifBomb, gradientPng, jpegBomb, oddButValid, png16, pngBomb, solid } from './fixtures/images.ts';
import { expectError, multipart, rawBody, rawExchange, waitHealthy, type Answer } from './helpers.ts';

let app: FastifyInstance;
let port: number;
let tmp: string;
let tensorsAfterWarmUp: number;
let png: Buffer;
let jpeg: Buffer;

const SECRET = 'TOP-SECRET-NEXT-TO-THE-ASSETS';

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-bad-input-'));
  await mkdir(join(tmp, 'ui'));
  await writeFile(join(tmp, 'ui', 'vitrine.js'), 'export {};\n');
  await writeFile(join(tmp, 'secret.txt'), SECRET);
  app = await buildApp({
    apps: [
      { prefix: '/', interface: brightnessApp(), workers: 0 },
      { prefix: '/fx', interface: effects, workers: 0 },
      { prefix: '/svg', interface: svgApp(), workers: 0 },
      { prefix: '/echo', interface: echoJsonApp(), workers: 0 },
    ],
    uiDir: join(tmp, 'ui'),
    requestTimeoutMs: 1000,
    flagging: false,
    security: { token: false, rateLimit: false },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  await waitHealthy(app, ['/healthz', '/fx/healthz', '/svg/healthz', '/echo/healthz']);
  png = await gradientPng();
  jpeg = await solid('jpeg', 40, 30);
  // Warm up: the backend and its kernels allocate once; leaks are counted from here.
  for (let i = 0; i < 3; i++) expect((await predictJson('/', { image: png.toString('base64') })).statusCode).toBe(200);
  tensorsAfterWarmUp = tf.memory().numTensors;
});

afterAll(async () => {
  await app?.close();
  await rm(tmp, { recursive: true, force: true });
});

function predictJson(base: string, body: unknown, contentType = 'application/json'): Promise<Answer> {
  return app.inject({
    method: 'POST',
    url: `${base === '/' ? '' : base}/api/predict`,
    headers: { 'content-type': contentType },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

function predictMultipart(base: string, parts: Parameters<typeof multipart>[0]): Promise<Answer> {
  const { body, contentType } = multipart(parts);
  return predictJson(base, body, contentType);
}

async function expectUp(): Promise<void> {
  const res = await predictJson('/', { image: png.toString('base64') });
  expect(res.statusCode).toBe(200);
}

describe('broken images → 400/413/415 naming the field', () => {
  it('a zero-byte upload', async () => {
    expectError(await predictMultipart('/', [{ name: 'image', filename: 'empty.png', type: 'image/png', value: Buffer.alloc(0) }]), 400, 'INVALID_IMAGE', /empty/);
    expectError(await predictJson('/', { image: '' }), 400, 'INVALID_INPUT', /"image".*empty/);
  });

  it('a truncated PNG and a truncated JPEG', async () => {
    const bigPng = await solid('png', 300, 200);
    const bigJpeg = await solid('jpeg', 300, 200);
    expectError(await predictMultipart('/', [{ name: 'image', filename: 'a.png', value: bigPng.subarray(0, 16) }]), 400, 'INVALID_IMAGE', /truncated PNG/);
    expectError(await predictMultipart('/', [{ name: 'image', filename: 'a.png', value: bigPng.subarray(0, bigPng.length - 40) }]), 400, 'INVALID_IMAGE', /PNG/);
    expectError(await predictJson('/', { image: bigJpeg.subarray(0, 200).toString('base64') }), 400, 'INVALID_IMAGE', /JPEG/);
    expectError(await predictJson('/', { image: bigJpeg.subarray(0, 8).toString('base64') }), 400, 'INVALID_IMAGE', /truncated JPEG/);
  });

  it('a text file renamed .png', async () => {
    const csv = Buffer.from('id,label\n1,sneaker\n2,bag\n');
    expectError(await predictMultipart('/', [{ name: 'image', filename: 'data.png', type: 'image/png', value: csv }]), 400, 'INVALID_IMAGE', /looks like text/);
  });

  it('decompression bombs are refused from the header, before any pixel is allocated', async () => {
    const rssBefore = process.memoryUsage().rss;
    for (const [bomb, size] of [
      [pngBomb(100_000), /100000×100000/],
      [jpegBomb(), /65000×65000/],
      [gifBomb(), /65535×65535/],
    ] as const) {
      expect(bomb.length).toBeLessThan(1024);
      // The message quotes the declared size: the refusal came from the header check.
      expectError(await predictMultipart('/', [{ name: 'image', filename: 'bomb', value: bomb }]), 413, 'IMAGE_TOO_LARGE', size);
      expectError(await predictJson('/', { image: bomb.toString('base64') }), 413, 'IMAGE_TOO_LARGE', size);
    }
    // Decoding 10^10 grey pixels would need 10 GB; allow generous noise around a few MB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('SVG is refused unless the app enables it', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="white"/></svg>');
    expectError(await predictMultipart('/', [{ name: 'image', filename: 'a.svg', type: 'image/svg+xml', value: svg }]), 415, 'UNSUPPORTED_IMAGE', /SVG is not accepted/);
    const ok = await predictJson('/svg', { image: svg.toString('base64') });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(JSON.parse(ok.body).number).toBeGreaterThan(250);
  });

  it('an enabled SVG never fetches external references', async () => {
    let hits = 0;
    const bait: Server = createServer((_req, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((r) => bait.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
    const svgs = [
      `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="${url}/a.png" width="10" height="10"/></svg>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="${url}/b.png" width="10" height="10"/></svg>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(${url}/c.css);</style></svg>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" style="fill:url(${url}/d#p)"/></svg>`,
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY ext SYSTEM "${url}/e.xml">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&ext;</text></svg>`,
      `<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "${url}/f.dtd"><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`,
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><use href="file:///etc/passwd#x"/></svg>`,
    ];
    try {
      for (const svg of svgs) {
        const res = await predictJson('/svg', { image: Buffer.from(svg).toString('base64') });
        expect(res.statusCode, `${res.body} for ${svg}`).toBeLessThan(500);
        if (res.statusCode !== 200) expectError(res, res.statusCode, JSON.parse(res.body).error);
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(hits).toBe(0);
    } finally {
      await new Promise((r) => bait.close(r));
    }
  });

  it('base64 garbage, and valid base64 of random bytes', async () => {
    expectError(await predictJson('/', { image: '!!!not*base64***' }), 400, 'INVALID_IMAGE', /not valid base64/);
    expectError(await predictJson('/', { image: Buffer.from('just some words, not a picture').toString('base64') }), 400, 'INVALID_IMAGE', /not a recognised image/);
    const noise = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 251));
    expectError(await predictJson('/', { image: noise.toString('base64') }), 400, 'INVALID_IMAGE', /not a recognised image/);
  });

  it('a data URL with the wrong media type or no base64', async () => {
    expectError(await predictJson('/', { image: dataUrl('text/plain', png) }), 400, 'INVALID_IMAGE', /media type "text\/plain"/);
    expectError(await predictJson('/', { image: `data:image/png,${png.toString('latin1').slice(0, 10)}` }), 400, 'INVALID_IMAGE', /base64/);
    expectError(await predictJson('/', { image: 'data:' }), 400, 'INVALID_IMAGE', /data URL/);
  });
});

describe('odd but valid images → 200', () => {
  it('an animated GIF gives its first frame', async () => {
    const res = await predictMultipart('/', [{ name: 'image', filename: 'anim.gif', type: 'image/gif', value: await animatedGif() }]);
    expect(res.statusCode, res.body).toBe(200);
    // First frame black, second white: the mean proves which one was used.
    expect(JSON.parse(res.body).mean).toBeLessThan(10);
  });

  it('a 16-bit PNG and a CMYK JPEG', async () => {
    for (const img of [await png16(), await cmykJpeg()]) {
      const res = await predictJson('/', { image: img.toString('base64') });
      expect(res.statusCode, res.body).toBe(200);
      expect(JSON.parse(res.body).mean).toBeGreaterThan(230);
    }
  });

  it('grey+alpha, palette, interlaced, progressive, 1×1, a 4000×1 strip, EXIF-rotated, WebP, TIFF', async () => {
    for (const [name, img] of Object.entries(await oddButValid())) {
      const res = await predictJson('/', { image: dataUrl('image/png', img) });
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      const fx = await predictMultipart('/fx', [{ name: 'image', filename: 'x', value: img }, { name: 'effect', value: 'invert' }]);
      expect(fx.statusCode, `${name} (effects): ${fx.body.slice(0, 200)}`).toBe(200);
    }
  });
});

describe('broken JSON and fields → 400 naming the field', () => {
  it('wrong JSON types', async () => {
    expectError(await predictJson('/', { image: 42 }), 400, 'INVALID_INPUT', /"image"/);
    expectError(await predictJson('/', { image: ['a'] }), 400, 'INVALID_INPUT', /"image"/);
    expectError(await predictJson('/fx', { image: png.toString('base64'), strength: 'high' }), 400, 'INVALID_INPUT', /"strength"/);
    expectError(await predictJson('/fx', { image: png.toString('base64'), effect: 'melt' }), 400, 'INVALID_INPUT', /"effect"/);
    expectError(await predictJson('/fx', { image: png.toString('base64'), strength: 7 }), 400, 'INVALID_INPUT', /"strength"/);
    expectError(await predictJson('/', [png.toString('base64')]), 400, 'BAD_REQUEST', /JSON object/);
    expectError(await predictJson('/', 'null'), 400, 'BAD_REQUEST', /JSON object/);
    expectError(await predictJson('/', '"just a string"'), 400, 'BAD_REQUEST', /JSON object/);
  });

  it('missing and unknown fields', async () => {
    expectError(await predictJson('/', {}), 400, 'MISSING_INPUT', /"image"/);
    expectError(await predictJson('/', { image: png.toString('base64'), extra: 1 }), 400, 'UNKNOWN_FIELD', /"extra"/);
    expectError(await predictJson('/fx', { effect: 'blur' }), 400, 'MISSING_INPUT', /"image"/);
  });

  it('malformed and empty JSON', async () => {
    expectError(await predictJson('/', '{"image": "abc'), 400, 'INVALID_JSON');
    expectError(await predictJson('/', ''), 400, 'INVALID_JSON', /empty/);
    expectError(await predictJson('/', '{"image": "a", "__proto__": {"polluted": 1}}'), 400, 'INVALID_JSON');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deeply nested JSON: 100 000 levels is a 400, not a crash', async () => {
    expectError(await predictJson('/', '['.repeat(100_000)), 400, 'INVALID_JSON');
    expectError(await predictJson('/', '['.repeat(100_000) + ']'.repeat(100_000)), 400, 'BAD_REQUEST');
    expectError(await predictJson('/', `{"image":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), 400, 'INVALID_INPUT', /"image"/);
    expectError(await predictJson('/echo', `{"json":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`), 400, 'INVALID_INPUT', /nested deeper/);
    const ok = await predictJson('/echo', `{"json":${'['.repeat(20)}1${']'.repeat(20)}}`);
    expect(ok.statusCode).toBe(200);
    await expectUp();
  });
});

describe('bodies, parts and content types', () => {
  it('a 50 MB body → 413 and the server stays responsive', async () => {
    for (const chunked of [false, true]) {
      const answer = await new Promise<{ status: number; body: string; cutOff?: string; sentMiB: number }>((resolve, reject) => {
        let answered = false;
        let sent = 0;
        const req = httpRequest(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/api/predict',
            headers: chunked ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'content-length': 50 * 1024 * 1024 },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentMiB: sent }));
          },
        );
        req.on('response', () => (answered = true));
        // The server answers and closes as soon as it knows the body is too large. A client still
        // uploading can then see EPIPE/ECONNRESET before it has read the 413: that is the server
        // cutting the upload off, which counts only if it happened before the whole 50 MB went out.
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (answered) return;
          if (err.code === 'EPIPE' || err.code === 'ECONNRESET') resolve({ status: 0, body: '', cutOff: err.code, sentMiB: sent });
          else reject(err);
        });
        if (!chunked) {
          // Content-Length alone tells the server the body is too large: send none of it.
          req.flushHeaders();
          return;
        }
        const block = Buffer.alloc(1024 * 1024, 0x61);
        const pump = () => {
          while (sent < 50 && !answered && !req.destroyed) {
            sent++;
            if (!req.write(block)) return void req.once('drain', pump);
          }
          if (!req.destroyed) req.end();
        };
        pump();
      });
      if (answer.cutOff === undefined) {
        expect(answer.status).toBe(413);
        expect(JSON.parse(answer.body).error).toBe('BODY_TOO_LARGE');
      } else {
        expect(chunked).toBe(true);
        expect(answer.sentMiB).toBeLessThan(50);
      }
      await expectUp();
    }
  });

  it('hundreds of multipart parts, and hundreds of files', async () => {
    const fields = Array.from({ length: 400 }, (_, i) => ({ name: `f${i}`, value: 'x' }));
    expectError(await predictMultipart('/fx', fields), 400, 'UNKNOWN_FIELD', /"f0"/);
    const effectsParts = [
      { name: 'image', filename: 'a.png', value: png },
      ...Array.from({ length: 400 }, () => ({ name: 'effect', value: 'blur' })),
    ];
    const many = await predictMultipart('/fx', effectsParts);
    expect([400, 413]).toContain(many.statusCode);
    expectError(many, many.statusCode, many.statusCode === 413 ? 'TOO_MANY_PARTS' : 'INVALID_INPUT');
    const files = Array.from({ length: 300 }, (_, i) => ({ name: 'image', filename: `${i}.png`, value: png }));
    expectError(await predictMultipart('/', files), 413, 'TOO_MANY_PARTS');
    await expectUp();
  });

  it('a file under the wrong field name, and a file for a text input', async () => {
    expectError(await predictMultipart('/', [{ name: 'picture', filename: 'a.png', value: png }]), 400, 'UNKNOWN_FIELD', /"picture".*"image"/);
    expectError(
      await predictMultipart('/fx', [{ name: 'strength', filename: 's.txt', value: '0.5' }, { name: 'image', filename: 'a.png', value: png }]),
      400,
      'INVALID_INPUT',
      /"strength".*text field/,
    );
    // After the image, a second file part may meet the multipart file limit first: 413 is right too.
    const second = await predictMultipart('/fx', [{ name: 'image', filename: 'a.png', value: png }, { name: 'strength', filename: 's.txt', value: '0.5' }]);
    expectError(second, second.statusCode, second.statusCode === 413 ? 'TOO_MANY_PARTS' : 'INVALID_INPUT');
    expect([400, 413]).toContain(second.statusCode);
  });

  it('malformed multipart: no boundary, cut short, garbage', async () => {
    expectError(await predictJson('/', 'a=1', 'multipart/form-data'), 400, 'BAD_REQUEST', /multipart/);
    const { body, contentType } = multipart([{ name: 'image', filename: 'a.png', value: png }]);
    expectError(await predictJson('/', body.subarray(0, body.length - 60), contentType), 400, 'BAD_REQUEST', /multipart/);
    expectError(await predictJson('/', 'garbage', contentType), 400, 'BAD_REQUEST', /multipart/);
  });

  it('wrong content types → 415', async () => {
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png', 'application/octet-stream']) {
      expectError(await predictJson('/', '{"image":"x"}', type), 415, 'UNSUPPORTED_MEDIA_TYPE', /application\/json or multipart\/form-data/);
    }
    const none = await app.inject({ method: 'POST', url: '/api/predict', payload: Buffer.from('{}'), headers: { 'content-type': '' } });
    expectError(none, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a JPEG as multipart and as a data URL still works after all that', async () => {
    expect((await predictMultipart('/', [{ name: 'image', filename: 'x.jpg', type: 'image/jpeg', value: jpeg }])).statusCode).toBe(200);
    expect((await predictJson('/', { image: dataUrl('image/jpeg', jpeg) })).statusCode).toBe(200);
  });
});

describe('slow clients (real sockets)', () => {
  it('a body that never finishes is cut off by the request timeout', async () => {
    const head = 'POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"image":"';
    const r = await rawExchange(port, head, { waitMs: 8000, trickle: { chunks: Array.from({ length: 60 }, () => 'AAAA'), everyMs: 100 } });
    expect(r.closed || r.status === 408, r.text).toBe(true);
    if (r.status !== undefined) {
      expect(r.status).toBe(408);
      expect(rawBody(r)).toMatchObject({ error: 'REQUEST_TIMEOUT' });
    }
    await expectUp();
  });

  it('headers that trickle in forever are cut off too', async () => {
    const r = await rawExchange(port, 'GET /api/config HTTP/1.1\r\nHost: x\r\n', {
      waitMs: 8000,
      trickle: { chunks: Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: 1\r\n`), everyMs: 100 },
    });
    expect(r.closed || r.status === 408, r.text).toBe(true);
    await expectUp();
  });

  it('oversized headers → 431 in the catalogue shape', async () => {
    const r = await rawExchange(port, `GET /api/config HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, { waitMs: 4000 });
    expect(r.status).toBe(431);
    expect(rawBody(r)).toMatchObject({ error: 'HEADERS_TOO_LARGE' });
  });

  it('malformed HTTP → 400 in the catalogue shape', async () => {
    const r = await rawExchange(port, 'BREW /pot HTTP/9.9\r\n\r\n', { waitMs: 4000 });
    expect(r.status).toBe(400);
    expect(rawBody(r)).toMatchObject({ error: 'BAD_REQUEST' });
  });
});

describe('path traversal on static routes (raw sockets: the path is sent as written)', () => {
  const attempts = [
    '/assets/../secret.txt',
    '/assets/../package.json',
    '/assets/%2e%2e/secret.txt',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/.%2e/secret.txt',
    '/assets/%252e%252e/secret.txt',
    '/assets/..%5csecret.txt',
    '/assets/..\\secret.txt',
    '/assets/..\\..\\package.json',
    '/assets//etc/passwd',
    '/assets/%2fetc%2fpasswd',
    '/assets/C:%5cWindows%5cwin.ini',
    '/assets/vitrine.js/../../secret.txt',
    '/assets/vitrine.js%00.png',
    '/assets/.env',
    '/examples/../../package.json',
    '/examples/0/..%2f..%2fpackage.json',
    '/fx/examples/0/..%2f..%2f..%2fpackage.json',
    '/fx/examples/0/%2e%2e%2fpackage.json',
    '/fx/examples/../../package.json',
    '/fx/examples/0/..\\..\\package.json',
    '/../../../../etc/passwd',
  ];
  it.each(attempts)('%s → 4xx JSON, nothing from outside', async (path) => {
    const r = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, { waitMs: 4000 });
    expect(r.status, r.text.slice(0, 200)).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('"devDependencies"');
    expect(r.text).not.toContain('root:x:0');
    const body = rawBody(r) as { error?: string; message?: string } | undefined;
    expect(body?.error).toMatch(/^(NOT_FOUND|FORBIDDEN|BAD_REQUEST)$/);
  });

  it('the real files are still served', async () => {
    const asset = await rawExchange(port, 'GET /assets/vitrine.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { waitMs: 4000 });
    expect(asset.status).toBe(200);
    const config = JSON.parse((await app.inject({ method: 'GET', url: '/fx/api/config' })).body) as { examples: Array<{ image: string }> };
    const example = await app.inject({ method: 'GET', url: `/fx/${config.examples[0]!.image}` });
    expect(example.statusCode).toBe(200);
    expect(String(example.headers['content-type'])).toMatch(/^image\//);
  });
});

describe('after the whole suite', () => {
  it('the server is up and TF.js holds exactly the tensors it held after warm-up', async () => {
    await expectUp();
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(tf.memory().numTensors).toBe(tensorsAfterWarmUp);
  });
});

describe('the Fashion-MNIST app, once its model is trained', () => {
  const hasModel = existsSync('apps/fashion-mnist/model/model.json');
  it.runIf(hasModel)('answers bad input with 4xx, a good image with 200, and leaks no tensors', async () => {
    const mnist = await buildApp({ apps: [{ module: 'apps/fashion-mnist/app.ts', workers: 0 }], flagging: false, security: { token: false } });
    try {
      await waitHealthy(mnist, ['/healthz']);
      const ask = (payload: unknown) => mnist.inject({ method: 'POST', url: '/api/predict', payload: payload as object });
      expect((await ask({ image: png.toString('base64') })).statusCode).toBe(200);
      const before = tf.memory().numTensors;
      expectError(await ask({ image: pngBomb().toString('base64') }), 413, 'IMAGE_TOO_LARGE');
      expectError(await ask({ image: 'garbage!' }), 400, 'INVALID_IMAGE');
      expectError(await ask({ picture: png.toString('base64') }), 400, 'UNKNOWN_FIELD');
      for (const img of [png, jpeg, await animatedGif(), await png16(), await cmykJpeg()]) {
        const res = await ask({ image: img.toString('base64') });
        expect(res.statusCode, res.body).toBe(200);
        expect(JSON.parse(res.body).label.confidences).toHaveLength(3);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await mnist.close();
    }
  });
});
