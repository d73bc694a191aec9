/** Batches and augmentation: the input contract (bytes / 255) and what a shift or flip does. */
import { describe, expect, it } from 'vitest';
import { fillBatch, seededRandom, shuffledIndices, splitValidation } from './data.ts';

function oneImage(): { images: Uint8Array; labels: Uint8Array; count: number } {
  const images = new Uint8Array(784);
  images[5 * 28 + 3] = 255; // one white pixel at row 5, column 3
  images[0] = 51;
  return { images, labels: new Uint8Array([4]), count: 1 };
}

describe('fillBatch', () => {
  it('scales bytes to [0, 1] without augmentation', () => {
    const x = new Float32Array(784);
    const y = new Uint8Array(1);
    fillBatch(oneImage(), [0], x, y);
    expect(x[5 * 28 + 3]).toBe(1);
    expect(x[0]).toBeCloseTo(0.2, 6);
    expect(y[0]).toBe(4);
  });

  it('flips horizontally', () => {
    const x = new Float32Array(784);
    fillBatch(oneImage(), [0], x, new Uint8Array(1), { flipProbability: 1 });
    expect(x[5 * 28 + (27 - 3)]).toBe(1);
    expect(x[5 * 28 + 3]).toBe(0);
  });

  it('shifts by at most maxShift pixels, keeping the pixel', () => {
    const rand = seededRandom(3);
    for (let t = 0; t < 20; t++) {
      const x = new Float32Array(784);
      fillBatch(oneImage(), [0], x, new Uint8Array(1), { maxShift: 2 }, rand);
      const at = x.indexOf(1);
      const r = Math.floor(at / 28);
      const c = at % 28;
      expect(Math.abs(r - 5)).toBeLessThanOrEqual(2);
      expect(Math.abs(c - 3)).toBeLessThanOrEqual(2);
    }
  });
});

describe('shuffling and the validation split', () => {
  it('is a seeded permutation', () => {
    const a = shuffledIndices(100, seededRandom(7));
    const b = shuffledIndices(100, seededRandom(7));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('holds out the requested fraction without overlap', () => {
    const count = 50;
    const images = new Uint8Array(count * 784);
    for (let i = 0; i < count; i++) images[i * 784] = i;
    const labels = new Uint8Array(count).map((_, i) => i % 10);
    const { train, validation } = splitValidation({ images, labels, count }, 0.2, 1);
    expect(validation.count).toBe(10);
    expect(train.count).toBe(40);
    const ids = new Set<number>();
    for (const part of [train, validation]) {
      for (let i = 0; i < part.count; i++) {
        const id = part.images[i * 784]!;
        expect(part.labels[i]).toBe(id % 10);
        ids.add(id);
      }
    }
    expect(ids.size).toBe(50);
  });
});
