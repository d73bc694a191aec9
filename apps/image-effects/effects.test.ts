import { describe, expect, it } from 'vitest';
import { EFFECTS, applyEffect } from './effects.ts';

function gradient(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x * 8, y * 8, 255 - x * 8], (y * width + x) * 3);
  return { data, width, height, channels: 3 as const };
}

describe('applyEffect', () => {
  it('keeps the size and changes pixels for every effect at full strength', () => {
    const img = gradient(31, 17);
    for (const effect of EFFECTS) {
      const out = applyEffect(img, effect, 1);
      expect(out.width).toBe(31);
      expect(out.height).toBe(17);
      expect(out.data.length).toBe(img.data.length);
      expect(Buffer.compare(Buffer.from(out.data), Buffer.from(img.data)), effect).not.toBe(0);
    }
  });

  it('leaves the image unchanged at strength 0', () => {
    const img = gradient(20, 20);
    for (const effect of EFFECTS) expect([...applyEffect(img, effect, 0).data], effect).toEqual([...img.data]);
  });

  it('inverts exactly and greys to equal channels', () => {
    const img = gradient(4, 4);
    expect([...applyEffect(img, 'invert', 1).data]).toEqual([...img.data].map((v) => 255 - v));
    const grey = applyEffect(img, 'grayscale', 1).data;
    for (let i = 0; i < grey.length; i += 3) expect(new Set([grey[i], grey[i + 1], grey[i + 2]]).size).toBe(1);
  });

  it('blur keeps a flat image flat and refuses non-RGB input', () => {
    const flat = { data: new Uint8Array(10 * 10 * 3).fill(77), width: 10, height: 10, channels: 3 as const };
    expect(new Set(applyEffect(flat, 'blur', 1).data)).toEqual(new Set([77]));
    expect(() => applyEffect({ ...flat, channels: 1, data: new Uint8Array(100) }, 'blur', 1)).toThrow(/RGB/);
  });
});
