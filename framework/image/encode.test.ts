/** encodePng: both encoders (the small-PNG writer and sharp) produce PNGs that decode back to the same pixels. */
import { decode as fastPngDecode } from 'fast-png';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodePng, encodePngDataUrl, imageBytesFromWire, type RawImage } from './index.ts';

function image(width: number, height: number, channels: RawImage['channels']): RawImage {
  const data = new Uint8Array(width * height * channels).map((_, i) => (i * 97 + (i >> 5)) & 0xff);
  return { data, width, height, channels };
}

describe('encodePng', () => {
  it.each([1, 2, 3, 4] as const)('round-trips %i channels, small (fast-png) and large (sharp)', async (channels) => {
    for (const [w, h] of [[28, 28], [300, 250]] as const) {
      const img = image(w, h, channels);
      const png = await encodePng(img);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([w, h]);
      // sharp's raw output is RGB(A); compare against the source replicated the same way.
      const decoded = await decodeImage(png, { field: 'x', mode: channels === 2 || channels === 4 ? 'RGBA' : 'RGB', decoder: 'sharp' });
      expect(decoded.data.length).toBe(data.length);
      for (let p = 0; p < w * h; p += 37) {
        const src = img.data.subarray(p * channels, p * channels + channels);
        const grey = channels <= 2;
        const expected = grey ? [src[0], src[0], src[0], ...(channels === 2 ? [src[1]] : [])] : [...src];
        expect([...decoded.data.subarray(p * decoded.channels, (p + 1) * decoded.channels)]).toEqual(expected);
      }
    }
  });

  it.each([1, 2, 3, 4] as const)('the small-PNG writer gives back every byte, %i channels, with libpng and fast-png', async (channels) => {
    for (const [w, h] of [[1, 1], [1, 9], [9, 1], [28, 28], [112, 75], [256, 256]] as const) {
      const img = image(w, h, channels);
      const png = await encodePng(img);
      // sharp's raw output turns grey into RGB: the round trip above covers it; colour is compared whole here.
      if (channels >= 3) {
        const { data, info } = await sharp(png).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
        expect([info.width, info.height, info.channels], `${w}×${h}`).toEqual([w, h, channels]);
        expect(Buffer.from(data).equals(Buffer.from(img.data)), `${w}×${h} via sharp`).toBe(true);
      }
      const decoded = fastPngDecode(png);
      expect(Buffer.from(decoded.data as Uint8Array).equals(Buffer.from(img.data)), `${w}×${h} via fast-png`).toBe(true);
    }
  });

  it('a data URL that imageBytesFromWire reads back', async () => {
    const url = await encodePngDataUrl(image(3, 2, 1));
    expect(url).toMatch(/^data:image\/png;base64,/);
    const back = await decodeImage(imageBytesFromWire(url, 'x'), { field: 'x', mode: 'L' });
    expect([...back.data]).toEqual([...image(3, 2, 1).data]);
  });

  it('refuses a buffer of the wrong length', async () => {
    await expect(encodePng({ data: new Uint8Array(5), width: 2, height: 2, channels: 1 })).rejects.toThrow(RangeError);
  });
});
