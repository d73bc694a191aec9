/** Reads the IDX files of (Fashion-)MNIST, gzipped or plain, with checks that name what is wrong. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte), the number of dimensions. */
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;
/** Fashion-MNIST images are 28×28 grey levels; there are 10 classes. */
export const IMAGE_SIZE = 28;
export const NUM_CLASSES = 10;
/** Where Debian's `dataset-fashion-mnist` package puts the files. */
export const DEFAULT_DATA_DIR = '/usr/share/datasets/fashion-mnist';

const HOW_TO_GET =
  'Install them with `apt-get install -y dataset-fashion-mnist` (Debian) or download the four ' +
  '*-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist into a folder and pass --data DIR.';

/** One split: `count` images of `rows`×`cols` bytes each (row-major), and their labels. */
export interface IdxSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

/** A parsed IDX file of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** An IDX file that is missing, truncated or not the expected kind. */
export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

/**
 * Parses the bytes of an IDX file (already gunzipped) and checks its magic number and length.
 *
 * @example
 * const { dims, data } = parseIdx(bytes, IDX_IMAGES_MAGIC, 'train-images');
 * // dims = [60000, 28, 28]
 */
export function parseIdx(bytes: Uint8Array, expectedMagic: number, name = 'IDX file'): IdxArray {
  const rank = expectedMagic & 0xff;
  const headerBytes = 4 + 4 * rank;
  if (bytes.byteLength < 4) throw new IdxError(`${name} is truncated: ${bytes.byteLength} bytes, not even a magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    throw new IdxError(
      `${name} has magic number 0x${magic.toString(16).padStart(8, '0')}, expected ` +
        `0x${expectedMagic.toString(16).padStart(8, '0')} (unsigned bytes, ${rank} dimension${rank > 1 ? 's' : ''}); ` +
        'is it the right file, or gzipped without a .gz name?',
    );
  }
  if (bytes.byteLength < headerBytes) {
    throw new IdxError(`${name} is truncated: ${bytes.byteLength} bytes, shorter than its ${headerBytes}-byte header`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.byteLength - headerBytes;
  if (actual < expected) {
    throw new IdxError(`${name} is truncated: header promises ${dims.join('×')} = ${expected} bytes of data, found ${actual}`);
  }
  return { dims, data: bytes.subarray(headerBytes, headerBytes + expected) };
}

/** Reads `<dir>/<base>.gz` or `<dir>/<base>`, gunzipping when the bytes start with the gzip signature. */
async function readMaybeGz(dir: string, base: string): Promise<{ bytes: Uint8Array; path: string }> {
  for (const path of [join(dir, `${base}.gz`), join(dir, base)]) {
    if (!existsSync(path)) continue;
    const raw = new Uint8Array(await readFile(path));
    if (raw[0] === 0x1f && raw[1] === 0x8b) {
      try {
        return { bytes: new Uint8Array(gunzipSync(raw)), path };
      } catch (err) {
        throw new IdxError(`${path} is not a valid gzip file (${(err as Error).message}). ${HOW_TO_GET}`);
      }
    }
    return { bytes: raw, path };
  }
  throw new IdxError(`Fashion-MNIST file ${base}(.gz) not found in ${dir}. ${HOW_TO_GET}`);
}

/**
 * Reads one split (`'train'` or `'t10k'`) from a folder of IDX files.
 *
 * @example
 * const test = await readIdxSplit('/usr/share/datasets/fashion-mnist', 't10k');
 * test.count; // 10000
 */
export async function readIdxSplit(dir: string, split: 'train' | 't10k'): Promise<IdxSplit> {
  const img = await readMaybeGz(dir, `${split}-images-idx3-ubyte`);
  const lab = await readMaybeGz(dir, `${split}-labels-idx1-ubyte`);
  let images: IdxArray;
  let labels: IdxArray;
  try {
    images = parseIdx(img.bytes, IDX_IMAGES_MAGIC, img.path);
    labels = parseIdx(lab.bytes, IDX_LABELS_MAGIC, lab.path);
  } catch (err) {
    throw new IdxError(`${(err as Error).message}. ${HOW_TO_GET}`);
  }
  const [count = 0, rows = 0, cols = 0] = images.dims;
  if (labels.dims[0] !== count) {
    throw new IdxError(`${img.path} has ${count} images but ${lab.path} has ${labels.dims[0]} labels. ${HOW_TO_GET}`);
  }
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i]! >= NUM_CLASSES) {
      throw new IdxError(`${lab.path}: label ${labels.data[i]} at index ${i} is not a class 0–${NUM_CLASSES - 1}. ${HOW_TO_GET}`);
    }
  }
  return { images: images.data, labels: labels.data, count, rows, cols };
}

/**
 * Encodes an IDX file of unsigned bytes (used by tests and tools that write small datasets).
 *
 * @example
 * const bytes = encodeIdx([2, 28, 28], new Uint8Array(2 * 28 * 28));
 */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
