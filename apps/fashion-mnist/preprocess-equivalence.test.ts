/**
 * The faster preprocessing gives the same results as the code it replaced (a frozen copy in
 * tests/fixtures/preprocess-v1/): the same 28×28 tensor to the bit, and the same report, on
 * casual and studio photos, the bench's 800×800 JPEG, the app's examples and dataset images.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, type RawImage } from 'vitrine';
import { benchPhotoJpeg, casualPhotos, exampleFiles, studioPhotos, type PhotoFile } from '../../scripts/lib/photo-sets.ts';
import { APP_DECODE } from '../../training/casual-set.ts';
import { DEFAULT_DATA_DIR, readIdxSplit, type IdxSplit } from '../../training/idx.ts';
import * as reference from '../../tests/fixtures/preprocess-v1/preprocess.ts';
import { analyseForFashionMnist, seenImage, type PreprocessReport } from './preprocess.ts';

/** Photos per rendered set: a few hundred pictures in all, each through both implementations. */
const PER_SET = 150;

function expectSameReport(name: string, actual: PreprocessReport, expected: PreprocessReport): void {
  // Bit-for-bit: the Float32 bytes, so −0 and NaN would count as differences too.
  const same = Buffer.from(actual.tensor.buffer, actual.tensor.byteOffset, actual.tensor.byteLength).equals(
    Buffer.from(expected.tensor.buffer, expected.tensor.byteOffset, expected.tensor.byteLength),
  );
  expect(same, `${name}: tensor differs`).toBe(true);
  expect({ ...actual, tensor: null }, name).toEqual({ ...expected, tensor: null });
  expect(Buffer.from(seenImage(actual.tensor).data).equals(Buffer.from(reference.seenImage(expected.tensor).data)), `${name}: seen`).toBe(true);
}

async function compareAll(files: PhotoFile[], decode: (bytes: Uint8Array) => Promise<RawImage>): Promise<number> {
  for (const f of files) {
    const img = await decode(f.bytes);
    expectSameReport(f.name, analyseForFashionMnist(img), reference.analyseForFashionMnist(img));
  }
  return files.length;
}

const asApp = (bytes: Uint8Array) => decodeImage(bytes, { field: 'image', ...APP_DECODE });

describe('the preprocessing against its frozen reference', () => {
  let test: IdxSplit;
  beforeAll(async () => {
    test = await readIdxSplit(DEFAULT_DATA_DIR, 't10k');
  });

  it('casual phone photos, decoded as the app does', async () => {
    expect(await compareAll(await casualPhotos(test, PER_SET, 1), asApp)).toBe(PER_SET);
  });

  it('studio product photos, decoded as the app does', async () => {
    expect(await compareAll(await studioPhotos(test, PER_SET, 1), asApp)).toBe(PER_SET);
  });

  it('the bench photo and the examples, as the app decodes them, at full size and in grey', async () => {
    const files = [{ name: 'bench-800.jpg', bytes: await benchPhotoJpeg() }, ...exampleFiles()];
    await compareAll(files, asApp);
    // Direct callers: any size (workingSide 224 shrinks them here), one channel, alpha.
    await compareAll(files, (bytes) => decodeImage(bytes, { field: 'image', mode: 'RGB' }));
    await compareAll(files, (bytes) => decodeImage(bytes, { field: 'image', mode: 'L' }));
    await compareAll(files, (bytes) => decodeImage(bytes, { field: 'image', mode: 'RGBA' }));
  });

  it('studio photos at full size and with other options', async () => {
    const files = await studioPhotos(test, 20, 7);
    for (const f of files) {
      const img = await decodeImage(f.bytes, { field: 'image', mode: 'RGB' });
      for (const options of [{}, { workingSide: 112 }, { sharpen: 0 }, { cleanSpread: 100 }, { borderFraction: 0.2, blurFraction: 0.05 }]) {
        expectSameReport(`${f.name} ${JSON.stringify(options)}`, analyseForFashionMnist(img, options), reference.analyseForFashionMnist(img, options));
      }
    }
  });

  it('dataset images (the passthrough) and degenerate pictures', () => {
    for (let k = 0; k < 200; k++) {
      const img: RawImage = { data: test.images.slice(k * 784, (k + 1) * 784), width: 28, height: 28, channels: 1 };
      expectSameReport(`t10k ${k}`, analyseForFashionMnist(img), reference.analyseForFashionMnist(img));
      // The same garment as a light-background 28×28 picture: not a passthrough.
      const negative: RawImage = { ...img, data: img.data.map((v) => 255 - v) };
      expectSameReport(`t10k ${k} negative`, analyseForFashionMnist(negative), reference.analyseForFashionMnist(negative));
    }
    const pictures: Array<[string, RawImage]> = [
      ['1×1', { data: new Uint8Array([200, 10, 10]), width: 1, height: 1, channels: 3 }],
      ['blank', { data: new Uint8Array(60 * 40 * 3).fill(230), width: 60, height: 40, channels: 3 }],
      ['2×300', { data: Uint8Array.from({ length: 600 }, (_, i) => (i * 37) % 256), width: 2, height: 300, channels: 1 }],
      ['noise', { data: Uint8Array.from({ length: 90 * 70 * 4 }, (_, i) => (i * 7919) % 251), width: 90, height: 70, channels: 4 }],
    ];
    for (const [name, img] of pictures) expectSameReport(name, analyseForFashionMnist(img), reference.analyseForFashionMnist(img));
  });
});
