/** Start-up checks of the generic classifier: layout read from the model, labels, normalisation, and clear errors for what cannot be served. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { anySizeModel, coloursModel, COLOURS, QUADRANTS, quadrantsModel, tabularModel, writeModel } from '../../../tests/fixtures/onnx-models.ts';
import { ClassifierSetupError, imageLayout, parseLabels, resolveClassifierSpec } from './spec.ts';

let dir: string;
let labels: { quadrants: string; colours: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-onnx-classifier-'));
  labels = { quadrants: join(dir, 'quadrants.txt'), colours: join(dir, 'colours.json') };
  await writeFile(labels.quadrants, `${QUADRANTS.join('\n')}\n`);
  await writeFile(labels.colours, JSON.stringify(COLOURS));
});

describe('resolveClassifierSpec', () => {
  it('reads an NCHW grey input and a logits output, with labels one per line', async () => {
    const model = await writeModel(dir, 'quadrants.onnx', quadrantsModel());
    expect(await resolveClassifierSpec({ model, labels: labels.quadrants })).toEqual({
      modelPath: model,
      inputName: 'input',
      outputName: 'logits',
      layout: { format: 'NCHW', channels: 1, height: 4, width: 4, dynamicBatch: true },
      labels: QUADRANTS,
      mean: [0],
      std: [1],
      topK: 3,
      title: 'quadrants',
    });
  });

  it('reads an NHWC RGB input, labels as a JSON array, per-channel mean/std and a top-k no larger than the classes', async () => {
    const model = await writeModel(dir, 'colours.onnx', coloursModel());
    const spec = await resolveClassifierSpec({ model, labels: labels.colours, mean: [0.5], std: [0.2, 0.3, 0.4], topK: 5, title: 'Colours' });
    expect(spec).toMatchObject({ layout: { format: 'NHWC', channels: 3, height: 4, width: 4 }, mean: [0.5, 0.5, 0.5], std: [0.2, 0.3, 0.4], topK: 3, title: 'Colours' });
  });

  it('runs a model with a fixed batch of 1 one picture at a time, and takes --size for symbolic height and width', async () => {
    const fixed = await writeModel(dir, 'fixed.onnx', quadrantsModel(1));
    expect((await resolveClassifierSpec({ model: fixed, labels: labels.quadrants })).layout.dynamicBatch).toBe(false);
    const any = await writeModel(dir, 'any.onnx', anySizeModel());
    await expect(resolveClassifierSpec({ model: any, labels: labels.colours })).rejects.toThrow('leaves the picture size open; give it with --size HEIGHTxWIDTH');
    await writeFile(join(dir, 'two.txt'), 'bright\nmiddle\n');
    expect((await resolveClassifierSpec({ model: any, labels: join(dir, 'two.txt'), size: [6, 8] })).layout).toMatchObject({ height: 6, width: 8 });
  });

  it('takes the class names from the model metadata when --labels is not given', async () => {
    const model = await writeModel(dir, 'named.onnx', { ...coloursModel(), metadata: { 'vitrine.labels': JSON.stringify(COLOURS) } });
    expect((await resolveClassifierSpec({ model })).labels).toEqual(COLOURS);
  });

  it.each([
    ['a missing file', () => ({ model: join(dir, 'nope.onnx') }), /^no model file at .*nope\.onnx$/],
    ['a file that is not ONNX', async () => ({ model: await writeText('junk.onnx', 'hello') }), /junk\.onnx is not an ONNX model/],
    ['a non-image input', async () => ({ model: await writeModel(dir, 'tab.onnx', tabularModel()), labels: labels.colours }), 'input "features" (float32 [batch, 10]) is not an image: expected 4 dimensions'],
    ['too few labels', async () => ({ model: await writeModel(dir, 'q2.onnx', quadrantsModel()), labels: labels.colours }), 'names 3 classes, but output "logits" gives 4 scores per picture'],
    ['no labels at all', async () => ({ model: await writeModel(dir, 'q3.onnx', quadrantsModel()) }), 'carries no class names; give them with --labels labels.json'],
    ['a missing labels file', async () => ({ model: await writeModel(dir, 'q4.onnx', quadrantsModel()), labels: join(dir, 'none.json') }), /cannot read the labels file .*none\.json/],
    ['a mean per channel of the wrong count', async () => ({ model: await writeModel(dir, 'c2.onnx', coloursModel()), labels: labels.colours, mean: [1, 2] }), '--mean gives 2 values; the model takes 3 channels (give 1 or 3)'],
    ['a zero std', async () => ({ model: await writeModel(dir, 'c3.onnx', coloursModel()), labels: labels.colours, std: [0] }), '--std must not be 0'],
  ])('refuses %s with a clear message', async (_what, options, message) => {
    const err = await resolveClassifierSpec(await options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClassifierSetupError);
    expect((err as Error).message).toMatch(message);
  });
});

async function writeText(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

describe('imageLayout', () => {
  const input = (shape: Array<number | string>, type = 'float32') => ({ name: 'x', type, shape });

  it('tells channels first from channels last', () => {
    expect(imageLayout(input(['b', 3, 224, 224]))).toEqual({ format: 'NCHW', channels: 3, height: 224, width: 224, dynamicBatch: true });
    expect(imageLayout(input([1, 32, 48, 1]))).toEqual({ format: 'NHWC', channels: 1, height: 32, width: 48, dynamicBatch: false });
    expect(imageLayout(input(['b', 3, 5, 3]))).toMatchObject({ format: 'NCHW', height: 5, width: 3 });
  });

  it('refuses what is not a 1- or 3-channel float picture', () => {
    expect(() => imageLayout(input(['b', 4, 8, 8]))).toThrow('neither its second nor its last dimension is 1 or 3');
    expect(() => imageLayout(input(['b', 3, 8, 8], 'uint8'))).toThrow('an image input holds float32 values');
    expect(() => imageLayout(input([8, 3, 8, 8]))).toThrow('fixes the batch at 8; export it with a dynamic batch axis');
  });
});

describe('parseLabels', () => {
  it('reads a JSON array or lines, and says what is wrong with a file', () => {
    expect(parseLabels(' ["a", "b"] ', 'l.json')).toEqual(['a', 'b']);
    expect(parseLabels('a\r\n\r\nb c\n', 'l.txt')).toEqual(['a', 'b c']);
    expect(() => parseLabels('[1, 2]', 'l.json')).toThrow('l.json must be a JSON array of strings');
    expect(() => parseLabels('["a",', 'l.json')).toThrow(/l\.json starts like a JSON array but does not parse/);
    expect(() => parseLabels('\n\n', 'l.txt')).toThrow('l.txt names no classes');
  });
});
