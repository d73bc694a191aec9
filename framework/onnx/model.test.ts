/** loadOnnxModel on tiny models written by the test: description, runs on typed arrays, threads, warm-up, errors. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../training/onnx-writer.ts';
import { loadOnnxModel } from './model.ts';

let dir: string;
/** y = x · W + b with W = [[1, 2], [3, 4], [5, 6]], b = [10, 20]: a dense layer, batch symbolic. */
let dense: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-onnx-model-'));
  dense = join(dir, 'dense.onnx');
  await writeFile(
    dense,
    encodeOnnxModel({
      graphName: 'dense',
      inputs: [{ name: 'features', shape: ['batch', 3] }],
      outputs: [{ name: 'scores', shape: ['batch', 2] }],
      nodes: [{ op: 'Gemm', inputs: ['features', 'W', 'b'], outputs: ['scores'] }],
      initializers: [
        { name: 'W', dims: [3, 2], data: new Float32Array([1, 2, 3, 4, 5, 6]) },
        { name: 'b', dims: [2], data: new Float32Array([10, 20]) },
      ],
      metadata: { note: 'dense' },
    }),
  );
});

describe('loadOnnxModel', () => {
  it('describes inputs and outputs with their symbolic batch, and the file', async () => {
    const model = await loadOnnxModel(dense, { warmUp: false });
    expect(model.inputs).toEqual([{ name: 'features', type: 'float32', shape: ['batch', 3] }]);
    expect(model.outputs).toEqual([{ name: 'scores', type: 'float32', shape: ['batch', 2] }]);
    expect(model.file.metadata).toEqual({ note: 'dense' });
    expect(model.runtimeVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs any batch size on typed arrays', async () => {
    const model = await loadOnnxModel(dense);
    const one = await model.predict(new Float32Array([1, 0, 0]), [1, 3]);
    expect(Array.from(one.data as Float32Array)).toEqual([11, 22]);
    expect(one.dims).toEqual([1, 2]);
    const { scores } = await model.run({ features: { data: new Float32Array([0, 1, 0, 0, 0, 1, 1, 1, 1]), dims: [3, 3] } });
    expect(Array.from(scores!.data as Float32Array)).toEqual([13, 24, 15, 26, 19, 32]);
  });

  it('loads a file once per thread and thread count', async () => {
    const a = loadOnnxModel(dense, { threads: 1 });
    expect(loadOnnxModel(dense, { threads: 1 })).toBe(a);
    expect(loadOnnxModel(dense, { threads: 2 })).not.toBe(a);
    expect((await loadOnnxModel(dense, { threads: 2 })).threads).toBe(2);
  });

  it('says what it loaded, with how many threads, the shapes and the warm-up', async () => {
    const said: string[] = [];
    const model = await loadOnnxModel(dense, { threads: 3, log: (m) => said.push(m) });
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^ONNX Runtime \d+\.\d+\.\d+ \(CPU\) loaded dense\.onnx in \d+ ms: 3 intra-op threads/);
    expect(said[0]).toContain('features float32 [batch, 3] → scores float32 [batch, 2]; warm-up');
    await model.release();
  });

  it('refuses feeds of the wrong type or shape with the input named', async () => {
    const model = await loadOnnxModel(dense);
    await expect(model.predict(new Float64Array(3), [1, 3])).rejects.toThrow('input "features" takes float32, got float64 (Float64Array)');
    await expect(model.predict(new Float32Array(4), [1, 4])).rejects.toThrow('input "features" has shape [batch, 3], got [1, 4]');
    await expect(model.predict(new Float32Array(4), [1, 3])).rejects.toThrow('dims [1, 3] hold 3 values, got 4');
    await expect(model.run({})).rejects.toThrow('no value for input "features"');
  });

  it('names a missing file and a file that is not a model', async () => {
    await expect(loadOnnxModel(join(dir, 'nope.onnx'))).rejects.toThrow(/^No ONNX model at .*nope\.onnx$/);
    const junk = join(dir, 'junk.onnx');
    await writeFile(junk, new Uint8Array([0x08, 0x07, 0x3a, 0x02, 0x0a, 0x00]));
    await expect(loadOnnxModel(junk)).rejects.toThrow(/ONNX Runtime cannot load .*junk\.onnx/);
  });
});
