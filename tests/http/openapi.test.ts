/** GET /openapi.json: a valid OpenAPI 3.1 document whose schemas and examples agree with what the server does. */
import { afterEach, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  type VitrineInterface,
} from 'vitrine';
import imageEffects from '../../apps/image-effects/app.ts';
import { postJson } from './helpers.ts';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document

const classifier = () =>
  Interface({
    fn: () => ({ Sneaker: 0.9, Sandal: 0.06, Bag: 0.04, Coat: 0 }),
    inputs: Image({ width: 28, height: 28, mode: 'L' }),
    outputs: Label({ topK: 3 }),
    title: 'Classifier',
    description: 'Top-3 classes.',
  });

const everyKind = () =>
  Interface({
    fn: (args) => ({ echo: args.meta, flag: args.on, n: args.n, text: args.text, pick: args.pick, s: args.s, image: { data: new Uint8Array(3), width: 1, height: 1, channels: 3 } }),
    inputs: {
      image: Image(),
      text: Textbox({ label: 'Your text' }),
      n: NumberComponent({ min: 0, max: 10 }),
      on: Checkbox(),
      pick: Dropdown({ choices: ['a', 'b'] }),
      meta: JsonComponent(),
      s: Slider({ min: 0, max: 1, step: 0.5 }),
    },
    outputs: { echo: JsonComponent(), flag: Checkbox(), n: NumberComponent(), text: Textbox(), pick: Dropdown({ choices: ['a', 'b'] }), s: Slider({ min: 0, max: 1, step: 0.5 }), image: Image() },
  });

const CASES: Array<[string, () => VitrineInterface, string]> = [
  ['a single-image classifier at /', classifier, '/'],
  ['every component kind under /kinds', everyKind, '/kinds'],
  ['the image-effects app under /image-effects', () => imageEffects, '/image-effects'],
];

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function documentOf(iface: VitrineInterface, prefix: string): Promise<{ a: FastifyInstance; doc: Doc; base: string }> {
  app = await buildApp({ apps: [{ prefix, interface: iface, workers: 0 }], logger: false });
  const base = prefix === '/' ? '/' : `${prefix}/`;
  const res = await app.inject({ method: 'GET', url: `${base}openapi.json` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return { a: app, doc: res.json() as Doc, base };
}

describe('the example request', () => {
  it("is the app's first example, its picture inlined: /docs's Try it out sends a real image", async () => {
    const { doc } = await documentOf(imageEffects, '/image-effects');
    const example = doc.paths['/api/predict'].post.requestBody.content['application/json'].example as Record<string, unknown>;
    const landscape = await readFile(new URL('../../apps/image-effects/examples/landscape.jpg', import.meta.url));
    expect(example.image).toBe(`data:image/jpeg;base64,${landscape.toString('base64')}`);
  });

  it("is the components' samples for an app without examples", async () => {
    const { doc } = await documentOf(classifier(), '/');
    const example = doc.paths['/api/predict'].post.requestBody.content['application/json'].example as Record<string, unknown>;
    expect(example).toEqual({ image: Image().exampleWire });
  });
});

describe.each(CASES)('OpenAPI of %s', (_name, make, prefix) => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { doc } = await documentOf(make(), prefix);
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    expect(doc.servers).toEqual([{ url: prefix }]);
  });

  it('describes POST /api/predict with request schemas for both content types, a 200 schema and examples', async () => {
    const { doc } = await documentOf(make(), prefix);
    const op = doc.paths['/api/predict'].post;
    expect(op.operationId).toBe('predict');
    expect(op.requestBody.required).toBe(true);
    expect(Object.keys(op.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    for (const media of Object.values(op.requestBody.content) as Doc[]) {
      expect(media.schema.type).toBe('object');
      expect(media.schema.additionalProperties).toBe(false);
    }
    expect(op.requestBody.content['application/json'].example).toBeTypeOf('object');
    const ok = op.responses['200'].content['application/json'];
    expect(ok.schema.type).toBe('object');
    expect(ok.example).toBeTypeOf('object');
    for (const status of ['400', '413', '415', '500', '503']) {
      expect(op.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    }
    expect(op.responses['503'].headers['Retry-After'].schema.type).toBe('integer');
  });

  it('its schemas accept its own examples and refuse what the server refuses', async () => {
    const { doc } = await documentOf(make(), prefix);
    const ajv = new Ajv2020({ strict: false });
    const op = doc.paths['/api/predict'].post;
    const json = op.requestBody.content['application/json'];
    const request = ajv.compile(json.schema);
    expect(request(json.example), JSON.stringify(request.errors)).toBe(true);
    const firstInput = Object.keys(json.schema.properties)[0]!;
    expect(request({ ...json.example, [firstInput]: 5 })).toBe(false);
    expect(request({ ...json.example, unknownField: 1 })).toBe(false);
    expect(request({})).toBe(false);
    const response = ajv.compile(op.responses['200'].content['application/json'].schema);
    expect(response(op.responses['200'].content['application/json'].example), JSON.stringify(response.errors)).toBe(true);
    const error = ajv.compile(doc.components.schemas.Error);
    for (const status of ['400', '413', '415', '500', '503']) {
      const example = op.responses[status].content['application/json'].example;
      expect(error(example), `${status}: ${JSON.stringify(error.errors)}`).toBe(true);
    }
  });

  it('its request example, sent to the server, answers 200 with a body its 200 schema accepts', async () => {
    const { a, doc, base } = await documentOf(make(), prefix);
    const op = doc.paths['/api/predict'].post;
    const res = await postJson(a, `${base}api/predict`, op.requestBody.content['application/json'].example);
    expect(res.statusCode, res.body).toBe(200);
    const response = new Ajv2020({ strict: false }).compile(op.responses['200'].content['application/json'].schema);
    expect(response(res.json()), JSON.stringify(response.errors)).toBe(true);
  });

  it('describes GET /api/config with a real schema that its answer meets, and /healthz likewise', async () => {
    const { a, doc, base } = await documentOf(make(), prefix);
    const schema = doc.paths['/api/config'].get.responses['200'].content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'inputs', 'outputs', 'examples', 'api']));
    expect(schema.properties.inputs.items.required).toEqual(expect.arrayContaining(['name', 'kind', 'tag', 'label', 'props']));
    const ajv = new Ajv2020({ strict: false });
    const config = ajv.compile(schema);
    const served = (await a.inject({ method: 'GET', url: `${base}api/config` })).json();
    expect(config(served), JSON.stringify(config.errors)).toBe(true);
    expect(config({ ...served, inputs: 'none' })).toBe(false);
    const health = ajv.compile(doc.paths['/healthz'].get.responses['200'].content['application/json'].schema);
    expect(health((await a.inject({ method: 'GET', url: `${base}healthz` })).json()), JSON.stringify(health.errors)).toBe(true);
  });

  it('sends images as binary file parts in multipart, and everything else as in JSON', async () => {
    const { doc } = await documentOf(make(), prefix);
    const content = doc.paths['/api/predict'].post.requestBody.content;
    const form = content['multipart/form-data'].schema;
    const json = content['application/json'].schema;
    expect(form.required).toEqual(json.required);
    for (const [name, prop] of Object.entries(form.properties) as Array<[string, Doc]>) {
      if (json.properties[name].description?.startsWith('An image')) {
        expect(prop).toMatchObject({ type: 'string', format: 'binary' });
        expect(prop.description).not.toMatch(/base64/);
      } else {
        expect(prop).toEqual(json.properties[name]);
      }
    }
  });
});

describe('OpenAPI details', () => {
  it('marks inputs with defaults as optional and shows the default', async () => {
    const { doc } = await documentOf(everyKind(), '/kinds');
    const schema = doc.paths['/api/predict'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['image', 'text', 'n', 'meta']);
    expect(schema.properties.on.default).toBe(false);
    expect(schema.properties.pick).toMatchObject({ enum: ['a', 'b'], default: 'a' });
    expect(schema.properties.s).toMatchObject({ minimum: 0, maximum: 1, default: 0 });
    expect(schema.properties.n).toMatchObject({ type: 'number', minimum: 0, maximum: 10 });
    expect(schema.properties.text.title).toBe('Your text');
    const out = doc.paths['/api/predict'].post.responses['200'].content['application/json'].schema;
    expect(out.required).toEqual(['echo', 'flag', 'n', 'text', 'pick', 's', 'image']);
  });

  it('describes a Label as its wire shape, cut to topK', async () => {
    const { doc } = await documentOf(classifier(), '/');
    const label = doc.paths['/api/predict'].post.responses['200'].content['application/json'].schema.properties.label;
    expect(label.type).toBe('object');
    expect(label.required).toEqual(['label', 'confidences']);
    expect(label.properties.confidences).toMatchObject({ type: 'array', maxItems: 3 });
    expect(label.properties.confidences.items.properties.confidence).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
  });

  it('names the first input in the 400 example', async () => {
    const { doc } = await documentOf(everyKind(), '/kinds');
    const example = doc.paths['/api/predict'].post.responses['400'].content['application/json'].example;
    expect(example).toMatchObject({ error: 'MISSING_INPUT', field: 'image' });
    expect(example.message).toContain('"image"');
  });
});

describe('OpenAPI of the flag routes', () => {
  it('describes api/flag, api/flags and api/flags/files/{name} when flagging is on, with bearer auth for reading', async () => {
    const { doc } = await documentOf(classifier(), '/');
    expect(doc.paths['/api/flag'].post.operationId).toBe('flag');
    expect(doc.paths['/api/flags'].get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/flags/files/{name}'].get.parameters[0]).toMatchObject({ name: 'name', in: 'path', required: true });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths['/api/flag'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '507']));
  });

  it('its flag request example validates against its schema and the server stores it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitrine-openapi-flags-'));
    const a = (app = await buildApp({ apps: [{ interface: classifier(), workers: 0 }], logger: false, flagging: { dir } }));
    const doc = (await a.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
    const base = '/';
    const body = doc.paths['/api/flag'].post.requestBody.content['application/json'];
    const validate = new Ajv2020({ strict: false }).compile(body.schema);
    expect(validate(body.example)).toBe(true);
    expect(validate({ ...body.example, extra: 1 })).toBe(false);
    const res = await postJson(a, `${base}api/flag`, body.example);
    expect(res.statusCode).toBe(200);
    const ok = doc.paths['/api/flag'].post.responses['200'].content['application/json'].schema;
    expect(new Ajv2020({ strict: false }).compile(ok)(res.json())).toBe(true);
    await a.close();
    app = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves them out when flagging is off', async () => {
    app = await buildApp({ apps: [{ interface: classifier(), workers: 0 }], logger: false, flagging: false });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
    expect(Object.keys(doc.paths)).toEqual(['/api/predict', '/api/config', '/healthz']);
    expect(doc.components.securitySchemes).toBeUndefined();
    expect((await app.inject({ method: 'POST', url: '/api/flag', payload: {} })).statusCode).toBe(404);
  });
});

describe('OpenAPI and a function that streams', () => {
  it('documents the event-stream answer, whose example is what the server sends', async () => {
    const streaming = Interface({
      // Its outputs are its inputs, so the request example gives the response example.
      fn: async function* (text: string) {
        yield text;
      },
      inputs: Textbox(),
      outputs: Textbox(),
      workers: 0,
    });
    const { a, doc } = await documentOf(streaming, '/');
    const ok = doc.paths['/api/predict'].post.responses['200'];
    expect(ok.description).toMatch(/`partial` messages/);
    const stream = ok.content['text/event-stream'];
    expect(stream.schema.description).toContain('progress|partial|complete|error');
    const example = doc.paths['/api/predict'].post.requestBody.content['application/json'].example;
    const res = await a.inject({ method: 'POST', url: '/api/predict', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, payload: JSON.stringify(example) });
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.example).toBe(res.body);
    expect(await SwaggerParser.validate(structuredClone(doc) as never)).toBeTruthy();
  });
});
