/** The Fashion-MNIST app's declaration: the "what the model saw" output is in the config and the OpenAPI document, and the input decodes the way training and bench:casual assume. */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../framework/index.ts';
import { APP_DECODE } from '../../training/casual-set.ts';
import fashion from './app.ts';
import { preprocessForFashionMnist, seenImage } from './preprocess.ts';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('Fashion-MNIST app declaration', () => {
  it('decodes its input as training/casual-set.ts APP_DECODE says (RGB, inside 112 × 112, never enlarged)', () => {
    const input = fashion.inputs[0]!.component;
    expect(input.props).toMatchObject({ mode: APP_DECODE.mode, width: APP_DECODE.resize.width, height: APP_DECODE.resize.height, fit: APP_DECODE.resize.fit });
  });

  it('has three outputs: the top-3 label, the picture the model saw and where the garment was found', () => {
    expect(fashion.outputs.map((o) => [o.name, o.component.kind])).toEqual([
      ['label', 'label'],
      ['seen', 'image'],
      ['found', 'annotated-image'],
    ]);
  });

  it('lists the seen picture in GET /api/config and in the OpenAPI 200 response', async () => {
    app = await buildApp({ apps: [{ prefix: '/', interface: fashion, workers: 0 }], logger: false });
    const config = (await app.inject({ method: 'GET', url: '/api/config' })).json() as Doc;
    expect(config.outputs.map((o: Doc) => o.name)).toEqual(['label', 'seen', 'found']);
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Doc;
    const ok = doc.paths['/api/predict'].post.responses['200'].content['application/json'];
    expect(Object.keys(ok.schema.properties)).toEqual(['label', 'seen', 'found']);
    expect(ok.schema.required).toEqual(expect.arrayContaining(['label', 'seen', 'found']));
    expect(ok.schema.properties.seen.type).toBe('string');
  });

  it('the seen picture is the model input as 28 × 28 grey pixels', () => {
    const dataset = { data: Uint8Array.from({ length: 784 }, (_, i) => (i % 28 > 8 && i % 28 < 20 ? 200 : 0)), width: 28, height: 28, channels: 1 as const };
    const seen = seenImage(preprocessForFashionMnist(dataset));
    expect(seen).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect([...seen.data]).toEqual([...dataset.data]);
  });
});
