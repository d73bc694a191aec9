/** Model-level fields read from the file's top level, the graph skipped by its length. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../training/onnx-writer.ts';
import { readOnnxFileInfo } from './file-info.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-onnx-info-'));
});

describe('readOnnxFileInfo', () => {
  it('reads producer, IR version, opsets and metadata_props, past a large graph', async () => {
    const path = join(dir, 'm.onnx');
    // 2 MB of weights: the graph is longer than what the reader reads in one go.
    const weights = new Float32Array(512 * 1024).fill(0.5);
    await writeFile(
      path,
      encodeOnnxModel({
        graphName: 'g',
        inputs: [{ name: 'x', shape: ['batch', 512 * 1024] }],
        outputs: [{ name: 'y', shape: ['batch', 512 * 1024] }],
        nodes: [{ op: 'Mul', inputs: ['x', 'w'], outputs: ['y'] }],
        initializers: [{ name: 'w', dims: [512 * 1024], data: weights }],
        metadata: { 'vitrine.mirror_average': 'adaptive', labels: '["a","b"]' },
        producer: { name: 'test', version: '1.2' },
      }),
    );
    expect(await readOnnxFileInfo(path)).toEqual({
      irVersion: 7,
      producer: 'test 1.2',
      opsets: { '': 13 },
      metadata: { 'vitrine.mirror_average': 'adaptive', labels: '["a","b"]' },
    });
  });

  it('says a file that is not protobuf is not an ONNX model', async () => {
    const path = join(dir, 'not.onnx');
    await writeFile(path, '{"hello": "world"}\n');
    await expect(readOnnxFileInfo(path)).rejects.toThrow(/is not an ONNX model/);
  });
});
