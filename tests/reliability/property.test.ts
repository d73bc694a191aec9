/** Property-based: random JSON bodies, random fields, mangled images and random content types never give a 5xx. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from 'vitrine';
import effects from '../../apps/image-effects/app.ts';
import { brightnessApp, echoJsonApp } from './fixtures/apps.ts';
import { solid } from './fixtures/images.ts';
import { expectNoLeaks, waitHealthy } from './helpers.ts';

let app: FastifyInstance;
let tmp: string;
let png: Buffer;
let jpeg: Buffer;
let tensors: number;
const seen = new Map<number, number>();

const ROUTES = ['/api/predict', '/fx/api/predict', '/echo/api/predict', '/api/flag', '/fx/api/flag'];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-property-'));
  app = await buildApp({
    apps: [
      { prefix: '/', interface: brightnessApp(), workers: 0 },
      { prefix: '/fx', interface: effects, workers: 0 },
      { prefix: '/echo', interface: echoJsonApp(), workers: 0 },
    ],
    flagging: { dir: tmp, maxRecords: 100_000 },
    security: { token: false, rateLimit: false },
  });
  await waitHealthy(app, ['/healthz', '/fx/healthz', '/echo/healthz']);
  png = await solid('png', 24, 20);
  jpeg = await solid('jpeg', 24, 20);
  expect((await send('/api/predict', JSON.stringify({ image: png.toString('base64') }))).statusCode).toBe(200);
  tensors = tf.memory().numTensors;
});

afterAll(async () => {
  await app?.close();
  await rm(tmp, { recursive: true, force: true });
  console.log(`statuses seen: ${[...seen].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(', ')}`);
});

async function send(url: string, payload: string | Buffer, contentType = 'application/json') {
  const res = await app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });
  seen.set(res.statusCode, (seen.get(res.statusCode) ?? 0) + 1);
  return res;
}

/** A 4xx with the catalogue's shape, or a 200: never a 5xx, never a leak. */
function expectClean(res: { statusCode: number; body: string }, what: string): void {
  expect(res.statusCode, `${what} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body) as { error?: unknown; message?: unknown };
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    expectNoLeaks(res.body);
  }
}

/** Bytes that look a little or a lot like an image. */
const imageBytes = (): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(b)])),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.from(b)])),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from('GIF89a'), Buffer.from(b)])),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBPVP8 '), Buffer.from(b)])),
    mangled(() => png),
    mangled(() => jpeg),
  );

/** A valid image with random bytes overwritten, cut or repeated: a fuzz of the decoders. */
function mangled(source: () => Buffer): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.nat()), fc.boolean())
    .map(([flips, cut, repeat]) => {
      const b = Buffer.from(source());
      for (const [at, v] of flips) b[at % b.length] = v;
      const cutAt = cut === null ? b.length : cut % b.length;
      const out = b.subarray(0, Math.max(1, cutAt));
      return repeat ? Buffer.concat([out, out]) : out;
    });
}

/** Wire values for an image field: base64, URL-safe base64, data URLs of any media type, or anything. */
const imageWire = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    imageBytes().map((b) => b.toString('base64')),
    imageBytes().map((b) => b.toString('base64url')),
    fc.tuple(fc.constantFrom('image/png', 'image/jpeg', 'text/plain', 'image/svg+xml', '', 'image/png;charset=x'), imageBytes()).map(([t, b]) => `data:${t};base64,${b.toString('base64')}`),
    fc.string(),
    fc.jsonValue({ maxDepth: 3 }),
    fc.constant(png.toString('base64')),
  );

describe('the JSON API under random input', () => {
  it('any JSON value as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...ROUTES), async (body, url) => {
        expectClean(await send(url, JSON.stringify(body)), `${url} ${JSON.stringify(body).slice(0, 100)}`);
      }),
      { numRuns: 250 },
    );
  });

  it('objects with the right field names and random values', async () => {
    const fields = fc.record(
      {
        image: imageWire(),
        effect: fc.oneof(fc.constantFrom('blur', 'pixelate', 'sepia', 'grayscale', 'invert', 'posterize'), fc.jsonValue({ maxDepth: 2 })),
        strength: fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.jsonValue({ maxDepth: 2 })),
        json: fc.jsonValue(),
        extra: fc.jsonValue({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fields, fc.constantFrom('/api/predict', '/fx/api/predict', '/echo/api/predict'), async (body, url) => {
        expectClean(await send(url, JSON.stringify(body)), `${url} ${JSON.stringify(body).slice(0, 150)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('flags with random inputs, outputs and reasons', async () => {
    const flagBody = fc.record(
      {
        inputs: fc.oneof(fc.record({ image: imageWire(), effect: fc.jsonValue({ maxDepth: 1 }), strength: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
        outputs: fc.oneof(fc.record({ label: fc.jsonValue({ maxDepth: 3 }), mean: fc.jsonValue({ maxDepth: 1 }), result: imageWire() }, { requiredKeys: [] }), fc.jsonValue({ maxDepth: 2 })),
        reason: fc.oneof(fc.string({ maxLength: 1200 }), fc.jsonValue({ maxDepth: 1 })),
        requestId: fc.oneof(fc.uuid(), fc.string()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(flagBody, fc.constantFrom('/api/flag', '/fx/api/flag'), async (body, url) => {
        expectClean(await send(url, JSON.stringify(body)), `${url} ${JSON.stringify(body).slice(0, 150)}`);
      }),
      { numRuns: 200 },
    );
  });

  it('mangled images as multipart uploads', async () => {
    await fc.assert(
      fc.asyncProperty(imageBytes(), fc.constantFrom('/api/predict', '/fx/api/predict'), async (bytes, url) => {
        const boundary = 'propBoundary';
        const body = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\nContent-Type: image/png\r\n\r\n`),
          bytes,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        expectClean(await send(url, body, `multipart/form-data; boundary=${boundary}`), `${url} multipart ${bytes.length} bytes`);
      }),
      { numRuns: 200 },
    );
  });

  it('any text under any content type', async () => {
    const contentType = fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-8', 'multipart/form-data', 'multipart/form-data; boundary=x', 'text/plain', 'application/x-www-form-urlencoded', 'image/png'),
      fc.string({ maxLength: 60 }).filter((s) => /^[\x21-\x7e ]*$/.test(s)),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 })), contentType, fc.constantFrom(...ROUTES), async (text, type, url) => {
        expectClean(await send(url, text, type), `${url} [${type}] ${JSON.stringify(text).slice(0, 100)}`);
      }),
      { numRuns: 250 },
    );
  });

  it('valid inputs of any size and setting always give 200 with a PNG', async () => {
    const valid = fc.record({
      width: fc.integer({ min: 1, max: 96 }),
      height: fc.integer({ min: 1, max: 96 }),
      format: fc.constantFrom('png', 'jpeg', 'webp', 'gif', 'tiff') as fc.Arbitrary<'png' | 'jpeg' | 'webp' | 'gif' | 'tiff'>,
      effect: fc.constantFrom('blur', 'pixelate', 'sepia', 'grayscale', 'invert', 'posterize'),
      strength: fc.integer({ min: 0, max: 20 }).map((n) => n * 0.05),
    });
    await fc.assert(
      fc.asyncProperty(valid, async ({ width, height, format, effect, strength }) => {
        const img = await solid(format, width, height, { r: width % 256, g: height % 256, b: 90 });
        const res = await send('/fx/api/predict', JSON.stringify({ image: img.toString('base64'), effect, strength }));
        expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
        expect(JSON.parse(res.body).result).toMatch(/^data:image\/png;base64,/);
        const grey = await send('/api/predict', JSON.stringify({ image: img.toString('base64') }));
        expect(grey.statusCode, grey.body.slice(0, 200)).toBe(200);
      }),
      { numRuns: 40 },
    );
  });

  it('leaves the server up and the tensor count where it was', async () => {
    expect((await send('/api/predict', JSON.stringify({ image: png.toString('base64') }))).statusCode).toBe(200);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
