/** POST /api/predict: JSON and multipart bodies, and every 4xx the contract names, on a fresh app per test. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, Checkbox, Dropdown, Image, Interface, JSON as JsonComponent, Label, Number as NumberComponent, Slider, Textbox } from 'vitrine';
import { dataUrl, decodeDataUrl, gradient, noise, pngHeaderDeclaring, pngOf, solidPng } from '../fixtures/images.ts';
import { postJson, postMultipart } from './helpers.ts';

/** A one-input classifier: how bright is the picture, on 4×4 grey pixels. */
function brightness() {
  return Interface({
    fn: (img) => {
      const mean = img.data.reduce((a, b) => a + b, 0) / img.data.length / 255;
      return { bright: mean, dark: 1 - mean, size: img.width * img.height === 16 && img.channels === 1 ? 0 : 1 };
    },
    inputs: Image({ mode: 'L', width: 4, height: 4, fit: 'fill' }),
    outputs: Label({ topK: 2 }),
    title: 'Brightness',
  });
}

/** Every input kind at once; the function echoes what it received. */
function everyKind() {
  return Interface({
    fn: ({ image, text, n, on, pick, meta, s }) => ({
      echo: { text, n, on, pick, meta, s, image: [image.width, image.height, image.channels] },
      image,
    }),
    inputs: {
      image: Image({ mode: 'RGB', limits: { maxPixels: 10_000 } }),
      text: Textbox({ maxLength: 20 }),
      n: NumberComponent({ min: 0, max: 10 }),
      on: Checkbox(),
      pick: Dropdown({ choices: ['a', 'b'], value: 'b' }),
      meta: JsonComponent({ maxDepth: 3 }),
      s: Slider({ min: 0, max: 1, step: 0.5, value: 0.5 }),
    },
    outputs: { echo: JsonComponent(), image: Image() },
  });
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function mount(iface: ReturnType<typeof brightness> | ReturnType<typeof everyKind>, opts: { bodyLimit?: number } = {}) {
  app = await buildApp({ apps: [{ interface: iface }], logger: false, ...opts });
  return app;
}

/** Checks the one error shape: JSON, the right status and code, no stack, nothing but the known keys. */
function expectError(res: LightMyRequestResponse, status: number, code: string, field?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as Record<string, unknown>;
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe('string');
  expect(Object.keys(body).every((k) => ['error', 'message', 'field', 'requestId'].includes(k))).toBe(true);
  expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  if (field !== undefined) {
    expect(body.field).toBe(field);
    expect(body.message).toContain(`"${field}"`);
  }
  return body as { error: string; message: string; field?: string };
}

const validEveryKind = async () => ({
  image: dataUrl(await pngOf(gradient(5, 4, 3))),
  text: 'hello',
  n: 3,
  on: true,
  pick: 'a',
  meta: { k: [1, 2] },
  s: 1,
});

describe('POST /api/predict with JSON', () => {
  it('answers one key per output: a white picture is bright', async () => {
    const res = await postJson(await mount(brightness()), '/api/predict', { image: dataUrl(await solidPng(30, 20, '#ffffff')) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      label: { label: 'bright', confidences: [{ label: 'bright', confidence: 1 }, { label: 'dark', confidence: 0 }] },
    });
  });

  it('takes plain base64 as well as a data URL', async () => {
    const a = await mount(brightness());
    const png = await solidPng(8, 8, '#000000');
    const fromBase64 = await postJson(a, '/api/predict', { image: png.toString('base64') });
    const fromDataUrl = await postJson(a, '/api/predict', { image: dataUrl(png) });
    expect(fromBase64.statusCode).toBe(200);
    expect(fromBase64.json()).toEqual(fromDataUrl.json());
    expect(fromBase64.json().label.label).toBe('dark');
  });

  it('passes every kind of input to the function as the right type', async () => {
    const res = await postJson(await mount(everyKind()), '/api/predict', await validEveryKind());
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.echo).toEqual({ text: 'hello', n: 3, on: true, pick: 'a', meta: { k: [1, 2] }, s: 1, image: [5, 4, 3] });
    const img = decodeDataUrl(body.image);
    expect([...img.data]).toEqual([...gradient(5, 4, 3).data]);
  });

  it('fills the defaults of inputs left out', async () => {
    const { image, text, n, meta } = await validEveryKind();
    const res = await postJson(await mount(everyKind()), '/api/predict', { image, text, n, meta });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().echo).toMatchObject({ on: false, pick: 'b', s: 0.5 });
  });

  it('answers {"image": 5} with 400 naming image', async () => {
    const body = expectError(await postJson(await mount(brightness()), '/api/predict', { image: 5 }), 400, 'INVALID_INPUT', 'image');
    expect(body.message).toMatch(/expected string/);
  });

  it('answers a missing input with 400 naming it', async () => {
    expectError(await postJson(await mount(brightness()), '/api/predict', {}), 400, 'MISSING_INPUT', 'image');
    const { image } = await validEveryKind();
    expectError(await postJson(await mount(everyKind()), '/api/predict', { image, n: 1, meta: null }), 400, 'MISSING_INPUT', 'text');
  });

  it('answers an unknown field with 400 naming it and the expected ones', async () => {
    const res = await postJson(await mount(brightness()), '/api/predict', { image: 'x', imagee: 'y' });
    const body = expectError(res, 400, 'UNKNOWN_FIELD', 'imagee');
    expect(body.message).toContain('expected "image"');
  });

  it.each([
    ['a string', '"text"'],
    ['an array', '[1, 2]'],
    ['null', 'null'],
    ['a number', '5'],
  ])('answers a body that is %s with 400 listing the inputs', async (_what, payload) => {
    const body = expectError(await postJson(await mount(brightness()), '/api/predict', payload), 400, 'BAD_REQUEST');
    expect(body.message).toContain('"image"');
  });

  it('answers malformed or empty JSON with 400 INVALID_JSON', async () => {
    const a = await mount(brightness());
    expectError(await postJson(a, '/api/predict', '{"image": '), 400, 'INVALID_JSON');
    expectError(await postJson(a, '/api/predict', ''), 400, 'INVALID_JSON');
  });

  it.each([
    ['n', { n: 11 }, /less than or equal to 10|<=10/],
    ['n', { n: '3' }, /expected number/],
    ['text', { text: 'x'.repeat(21) }, /20/],
    ['pick', { pick: 'c' }, /"a"|a\b/],
    ['on', { on: 'yes' }, /expected boolean/],
    ['s', { s: 2 }, /1/],
    ['meta', { meta: [[[[1]]]] }, /deeper than 3/],
  ])('answers a bad %s with 400 naming it', async (field, patch, reason) => {
    const res = await postJson(await mount(everyKind()), '/api/predict', { ...(await validEveryKind()), ...patch });
    expect(expectError(res, 400, 'INVALID_INPUT', field).message).toMatch(reason);
  });

  it('answers bad image data with 400 INVALID_IMAGE naming the field, on the main thread and after decoding', async () => {
    const a = await mount(brightness());
    expectError(await postJson(a, '/api/predict', { image: 'not base64!' }), 400, 'INVALID_IMAGE', 'image');
    expectError(await postJson(a, '/api/predict', { image: 'data:text/plain;base64,aGVsbG8=' }), 400, 'INVALID_IMAGE', 'image');
    expectError(await postJson(a, '/api/predict', { image: '' }), 400, 'INVALID_INPUT', 'image');
    const text = Buffer.from('this is plain text, not a picture').toString('base64');
    expectError(await postJson(a, '/api/predict', { image: text }), 400, 'INVALID_IMAGE', 'image');
    const truncated = (await solidPng(40, 40)).subarray(0, 60);
    expectError(await postJson(a, '/api/predict', { image: dataUrl(truncated) }), 400, 'INVALID_IMAGE', 'image');
  });

  it('answers an image whose header is over the pixel limit with 413, before decoding', async () => {
    const res = await postJson(await mount(brightness()), '/api/predict', { image: dataUrl(pngHeaderDeclaring(60_000, 60_000)) });
    expect(expectError(res, 413, 'IMAGE_TOO_LARGE', 'image').message).toMatch(/pixels/);
    const small = await mount(everyKind());
    const big = { ...(await validEveryKind()), image: dataUrl(await solidPng(101, 100)) };
    expectError(await postJson(small, '/api/predict', big), 413, 'IMAGE_TOO_LARGE', 'image');
  });

  it('answers a body over bodyLimit with 413', async () => {
    const a = await mount(brightness(), { bodyLimit: 1024 });
    const res = await postJson(a, '/api/predict', { image: dataUrl(await pngOf(noise(40, 40, 3))) });
    expectError(res, 413, 'BODY_TOO_LARGE');
  });
});

describe('POST /api/predict with multipart', () => {
  it('takes an image as a file part and answers as for JSON', async () => {
    const a = await mount(brightness());
    const png = await solidPng(30, 20, '#ffffff');
    const res = await postMultipart(a, '/api/predict', { image: { file: png } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual((await postJson(a, '/api/predict', { image: dataUrl(png) })).json());
  });

  it('reads text fields as the values they stand for', async () => {
    const png = await pngOf(gradient(5, 4, 3));
    const res = await postMultipart(await mount(everyKind()), '/api/predict', {
      image: { file: png },
      text: '42',
      n: '7.5',
      on: 'true',
      pick: 'a',
      meta: '{"k":[1,2]}',
      s: '0',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().echo).toEqual({ text: '42', n: 7.5, on: true, pick: 'a', meta: { k: [1, 2] }, s: 0, image: [5, 4, 3] });
  });

  it('takes an image as a text field holding a data URL, and fills defaults', async () => {
    const res = await postMultipart(await mount(everyKind()), '/api/predict', {
      image: dataUrl(await solidPng(3, 3)),
      text: 'x',
      n: '1',
      meta: 'null',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().echo).toMatchObject({ image: [3, 3, 3], on: false, pick: 'b', s: 0.5, meta: null });
  });

  it('answers a missing, unknown, repeated or mistyped field with 400 naming it', async () => {
    const a = await mount(everyKind());
    const png = await solidPng(3, 3);
    const ok = { image: { file: png }, text: 'x', n: '1', meta: '1' };
    expectError(await postMultipart(a, '/api/predict', { text: 'x', n: '1', meta: '1' }), 400, 'MISSING_INPUT', 'image');
    expectError(await postMultipart(a, '/api/predict', { ...ok, extra: 'x' }), 400, 'UNKNOWN_FIELD', 'extra');
    expectError(await postMultipart(a, '/api/predict', { ...ok, n: 'seven' }), 400, 'INVALID_INPUT', 'n');
    expectError(await postMultipart(a, '/api/predict', { ...ok, meta: '{oops' }), 400, 'INVALID_INPUT', 'meta');
    expectError(await postMultipart(a, '/api/predict', { ...ok, text: { file: png } }), 400, 'INVALID_INPUT', 'text');
    expectError(await postMultipart(a, '/api/predict', { ...ok, text: ['x', 'y'] }), 400, 'INVALID_INPUT', 'text');
  });

  it('answers a file that is not an image with 400 INVALID_IMAGE', async () => {
    const res = await postMultipart(await mount(brightness()), '/api/predict', { image: { file: Buffer.from('GIF? no, text'), name: 'a.png' } });
    expectError(res, 400, 'INVALID_IMAGE', 'image');
  });

  it('answers an image over the pixel limit with 413 naming the field', async () => {
    const res = await postMultipart(await mount(brightness()), '/api/predict', { image: { file: pngHeaderDeclaring(60_000, 60_000) } });
    expectError(res, 413, 'IMAGE_TOO_LARGE', 'image');
  });

  it('holds file parts and text fields to bodyLimit too', async () => {
    const a = await mount(everyKind(), { bodyLimit: 2048 });
    const big = await pngOf(noise(40, 40, 3));
    expect(big.length).toBeGreaterThan(2048);
    // A declared length over the limit is refused before a byte is read (the streamed parts are
    // held to the limit one by one when no length is declared: wire-reader.ts).
    const file = await postMultipart(a, '/api/predict', { image: { file: big }, text: 'x', n: '1', meta: '1' });
    expect(expectError(file, 413, 'BODY_TOO_LARGE').message).toContain('2048');
    const field = await postMultipart(a, '/api/predict', { image: dataUrl(big), text: 'x', n: '1', meta: '1' });
    expectError(field, 413, 'BODY_TOO_LARGE');
  });
});

describe('POST /api/predict with other content types', () => {
  it.each([
    ['text/plain', '{"image": "x"}'],
    ['application/xml', '<image/>'],
    ['application/x-www-form-urlencoded', 'image=x'],
  ])('answers %s with 415 naming it', async (type, payload) => {
    const a = await mount(brightness());
    const res = await a.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': type }, payload });
    const body = expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(body.message).toContain(type);
    expect(body.message).toContain('application/json or multipart/form-data');
  });

  it('answers a body without a Content-Type with 415', async () => {
    const a = await mount(brightness());
    const res = await a.inject({ method: 'POST', url: '/api/predict', payload: Buffer.from('{"image":"x"}') });
    expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('still takes JSON with a charset parameter', async () => {
    const a = await mount(brightness());
    const res = await a.inject({
      method: 'POST',
      url: '/api/predict',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ image: dataUrl(await solidPng(2, 2)) }),
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
