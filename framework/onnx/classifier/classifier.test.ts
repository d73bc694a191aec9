/** The generic classifier served: labels and layouts really line up (predictable top labels), softmax only where needed, page/config/OpenAPI. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../index.ts';
import { anySizeModel, coloursModel, COLOURS, QUADRANTS, quadrantsModel, writeModel } from '../../../tests/fixtures/onnx-models.ts';
import { dataUrl, pngOf, solidPng } from '../../../tests/fixtures/images.ts';
import { postJson, settled } from '../../../tests/http/helpers.ts';
import { createOnnxClassifier, toProbabilities } from './classifier.ts';
import { resolveClassifierSpec, type ClassifierOptions } from './spec.ts';

let dir: string;
let app: FastifyInstance | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-onnx-serve-'));
  await writeFile(join(dir, 'quadrants.json'), JSON.stringify(QUADRANTS));
  await writeFile(join(dir, 'colours.txt'), COLOURS.join('\n'));
});
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serveModel(options: ClassifierOptions): Promise<FastifyInstance> {
  app = await buildApp({ apps: [{ interface: createOnnxClassifier(await resolveClassifierSpec(options)), workers: 0 }], logger: false });
  expect(await settled(app)).toBe('ready');
  return app;
}

/** A grey PNG of `side` × `side`, black but for one bright quarter. */
function quarterPng(quarter: number, side = 4): Promise<Buffer> {
  const data = new Uint8Array(side * side);
  const half = side / 2;
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) if ((y < half ? 0 : 2) + (x < half ? 0 : 1) === quarter) data[y * side + x] = 255;
  return pngOf({ data, width: side, height: side, channels: 1 });
}

type LabelWire = { label: string; confidences: Array<{ label: string; confidence: number }> };
async function predict(a: FastifyInstance, png: Uint8Array): Promise<LabelWire> {
  const res = await postJson(a, '/api/predict', { image: dataUrl(png) });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { label: LabelWire }).label;
}

describe('createOnnxClassifier', () => {
  it('NCHW grey logits: the bright quarter is the top label, after a softmax', async () => {
    const a = await serveModel({ model: await writeModel(dir, 'q.onnx', quadrantsModel()), labels: join(dir, 'quadrants.json') });
    for (const [q, name] of QUADRANTS.entries()) {
      const label = await predict(a, await quarterPng(q));
      expect(label.label).toBe(name);
      expect(label.confidences).toHaveLength(3);
      // logits: 4 (the quarter's four pixels at 1.0) against 0 for the others.
      expect(label.confidences[0]!.confidence).toBeCloseTo(Math.exp(4) / (Math.exp(4) + 3), 4);
    }
  });

  it('NHWC RGB with a softmax already: the strongest channel wins and the probabilities are not softmaxed twice', async () => {
    const a = await serveModel({ model: await writeModel(dir, 'c.onnx', coloursModel()), labels: join(dir, 'colours.txt'), topK: 2 });
    for (const [colour, name] of [['#ff0000', 'red'], ['#00ff00', 'green'], ['#0000ff', 'blue']] as const) {
      const label = await predict(a, await solidPng(4, 4, colour));
      expect(label.label).toBe(name);
      expect(label.confidences).toHaveLength(2);
      expect(label.confidences[0]!.confidence).toBeCloseTo(Math.E / (Math.E + 2), 4);
    }
  });

  it('normalises each channel with --mean and --std before the model sees it', async () => {
    // Solid red minus a mean of (1, 0, 0) is all zeros: every class equally likely.
    const a = await serveModel({ model: await writeModel(dir, 'c2.onnx', coloursModel()), labels: join(dir, 'colours.txt'), mean: [1, 0, 0], std: [0.5] });
    const label = await predict(a, await solidPng(4, 4, '#ff0000'));
    for (const c of label.confidences) expect(c.confidence).toBeCloseTo(1 / 3, 4);
  });

  it('resizes any picture to the model size, and runs a fixed-batch model one picture at a time in a batch', async () => {
    const a = await serveModel({ model: await writeModel(dir, 'q1.onnx', quadrantsModel(1)), labels: join(dir, 'quadrants.json') });
    const big = await quarterPng(3, 40);
    const answers = await Promise.all([big, big, big].map((png) => predict(a, png)));
    expect(answers.map((l) => l.label)).toEqual(['bottom-right', 'bottom-right', 'bottom-right']);
    const res = await postJson(a, '/api/predict', { image: dataUrl(await solidPng(300, 200, '#ffffff')) });
    expect(res.statusCode).toBe(200);
  });

  it('serves --size for a model of any size', async () => {
    await writeFile(join(dir, 'two.txt'), 'bright\nhalf\n');
    const a = await serveModel({ model: await writeModel(dir, 'any.onnx', anySizeModel()), labels: join(dir, 'two.txt'), size: [6, 6] });
    expect((await predict(a, await solidPng(6, 6, '#ffffff'))).label).toBe('bright');
    expect((await predict(a, await solidPng(6, 6, '#000000'))).label).toBe('half');
  });

  it('has the page, the config and an OpenAPI description like any app', async () => {
    const a = await serveModel({ model: await writeModel(dir, 'c3.onnx', coloursModel()), labels: join(dir, 'colours.txt'), title: 'Colours' });
    const config = (await a.inject({ method: 'GET', url: '/api/config' })).json() as { title: string; inputs: Array<{ kind: string; props: Record<string, unknown> }> };
    expect(config.title).toBe('Colours');
    expect(config.inputs[0]).toMatchObject({ kind: 'image', props: { width: 4, height: 4, mode: 'RGB' } });
    expect((await a.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/' })).headers['content-type']).toMatch(/text\/html/);
  });
});

describe('toProbabilities', () => {
  it('leaves a distribution alone and softmaxes anything else', () => {
    expect(Array.from(toProbabilities(Float32Array.of(0.25, 0.75)))).toEqual([0.25, 0.75]);
    expect(toProbabilities(Float32Array.of(2, 0))[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1), 6);
    expect(toProbabilities(Float32Array.of(0.2, 0.3))[0]).toBeCloseTo(Math.exp(0.2) / (Math.exp(0.2) + Math.exp(0.3)), 6);
    expect(Array.from(toProbabilities(Float32Array.of(1000, 0)))).toEqual([1, 0]);
  });
});
