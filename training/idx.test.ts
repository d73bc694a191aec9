/** The IDX reader: good files parse, bad magic numbers and truncated files fail with a clear message. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, IdxError, parseIdx, readIdxSplit } from './idx.ts';

let dir: string;

function images(count: number): Uint8Array {
  const data = new Uint8Array(count * 28 * 28);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
  return encodeIdx([count, 28, 28], data);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idx-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseIdx', () => {
  it('reads dimensions and data', () => {
    const { dims, data } = parseIdx(images(3), IDX_IMAGES_MAGIC);
    expect(dims).toEqual([3, 28, 28]);
    expect(data.length).toBe(3 * 784);
    expect(data[1]).toBe(7);
  });

  it('rejects a wrong magic number and says which it found', () => {
    const labels = encodeIdx([2], new Uint8Array([1, 2]));
    expect(() => parseIdx(labels, IDX_IMAGES_MAGIC, 'x.idx')).toThrow(/magic number 0x00000801, expected 0x00000803/);
  });

  it('rejects a file truncated in its data', () => {
    const bytes = images(2).subarray(0, 16 + 784 + 100);
    expect(() => parseIdx(bytes, IDX_IMAGES_MAGIC, 'x.idx')).toThrow(/truncated: header promises 2×28×28 = 1568 bytes of data, found 884/);
  });

  it('rejects a file truncated in its header', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]), IDX_LABELS_MAGIC)).toThrow(IdxError);
  });
});

describe('readIdxSplit', () => {
  it('reads a gzipped image file and a plain label file', async () => {
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(images(2)));
    await writeFile(join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array([9, 0])));
    const split = await readIdxSplit(dir, 't10k');
    expect(split.count).toBe(2);
    expect([split.rows, split.cols]).toEqual([28, 28]);
    expect(Array.from(split.labels)).toEqual([9, 0]);
    expect(split.images[784 + 1]).toBe(((784 + 1) * 7) % 256);
  });

  it('says how to get the dataset when the files are missing', async () => {
    await expect(readIdxSplit(join(dir, 'nowhere'), 'train')).rejects.toThrow(/apt-get install -y dataset-fashion-mnist/);
  });

  it('rejects label files that disagree with the image count', async () => {
    const sub = join(dir, 'mismatch');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    await writeFile(join(sub, 'train-images-idx3-ubyte'), images(3));
    await writeFile(join(sub, 'train-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array([1, 2])));
    await expect(readIdxSplit(sub, 'train')).rejects.toThrow(/3 images but .* has 2 labels/);
  });

  it('rejects a truncated gzip file with the install hint', async () => {
    const sub = join(dir, 'badgz');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    const gz = gzipSync(images(2));
    await writeFile(join(sub, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length / 2));
    await writeFile(join(sub, 'train-labels-idx1-ubyte'), encodeIdx([2], new Uint8Array([1, 2])));
    await expect(readIdxSplit(sub, 'train')).rejects.toThrow(/not a valid gzip file.*dataset-fashion-mnist/);
  });
});
