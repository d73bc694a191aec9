/** Image: wire or file → checked bytes → pixels in the requested mode and size; pixels → PNG data URL. */
import { describe, expect, it } from 'vitest';
import { Image } from './image.ts';
import { isVitrineError } from '../errors.ts';
import { dataUrl, decodeDataUrl, gradient, pngHeaderDeclaring, pngOf, solidPng } from '../../tests/fixtures/images.ts';

const ctx = { field: 'photo' };

async function through(c: ReturnType<typeof Image>, wire: string) {
  return c.preprocess(c.toTransport(wire, ctx), ctx);
}

describe('Image as input', () => {
  it('decodes to the requested mode and size', async () => {
    const png = await solidPng(40, 20, '#ff0000');
    const grey = await through(Image({ width: 28, height: 28, mode: 'L', fit: 'fill' }), dataUrl(png));
    expect([grey.width, grey.height, grey.channels, grey.data.length]).toEqual([28, 28, 1, 784]);
    // BT.601 luma of pure red, as PIL rounds it.
    expect(grey.data[0]).toBe(76);
    const rgba = await through(Image({ mode: 'RGBA' }), png.toString('base64'));
    expect([rgba.width, rgba.height, rgba.channels]).toEqual([40, 20, 4]);
    expect([...rgba.data.subarray(0, 4)]).toEqual([255, 0, 0, 255]);
  });

  it('keeps the aspect ratio when only a width is given', async () => {
    const img = await through(Image({ width: 10 }), dataUrl(await solidPng(40, 20)));
    expect([img.width, img.height, img.channels]).toEqual([10, 5, 3]);
  });

  it('scales only down with withoutEnlargement, and up without it', async () => {
    const small = dataUrl(await solidPng(8, 4));
    const kept = await through(Image({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true }), small);
    expect([kept.width, kept.height]).toEqual([8, 4]);
    const shrunk = await through(Image({ width: 4, height: 4, fit: 'inside', withoutEnlargement: true }), small);
    expect([shrunk.width, shrunk.height]).toEqual([4, 2]);
    const grown = await through(Image({ width: 512, height: 512, fit: 'inside' }), small);
    expect([grown.width, grown.height]).toEqual([512, 256]);
    expect(() => Image({ withoutEnlargement: 'yes' as never })).toThrow(/"withoutEnlargement" must be true or false/);
  });

  it('gives the exact pixels of a lossless upload', async () => {
    const src = gradient(5, 3, 3);
    const img = await through(Image({ mode: 'RGB' }), dataUrl(await pngOf(src)));
    expect([...img.data]).toEqual([...src.data]);
  });

  it('takes a file part the same way as a JSON value', async () => {
    const c = Image({ mode: 'L' });
    const png = await pngOf(gradient(4, 4, 1));
    const fromFile = await c.preprocess(c.fromFile(new Uint8Array(png), ctx), ctx);
    const fromJson = await through(c, dataUrl(png));
    expect(fromFile).toEqual(fromJson);
  });

  it('refuses an image over the pixel limit from its header, on the main thread, naming the field', () => {
    const c = Image();
    const bomb = pngHeaderDeclaring(50_000, 50_000);
    const err = catchSync(() => c.toTransport(dataUrl(bomb), ctx));
    expect(isVitrineError(err) && err.code).toBe('IMAGE_TOO_LARGE');
    expect(isVitrineError(err) && err.field).toBe('photo');
    expect(catchSync(() => c.fromFile(new Uint8Array(bomb), ctx))).toMatchObject({ code: 'IMAGE_TOO_LARGE', status: 413 });
  });

  it('applies its own limits', async () => {
    const c = Image({ limits: { maxPixels: 100, maxBytes: 10_000 } });
    const tooMany = dataUrl(await solidPng(11, 10));
    expect(catchSync(() => c.toTransport(tooMany, ctx))).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    expect(catchSync(() => c.fromFile(new Uint8Array(20_000), ctx))).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    await expect(through(c, dataUrl(await solidPng(10, 10)))).resolves.toMatchObject({ width: 10, height: 10 });
  });

  it('answers bad data with INVALID_IMAGE naming the field', async () => {
    const c = Image();
    expect(catchSync(() => c.toTransport('not base64 at all!', ctx))).toMatchObject({ code: 'INVALID_IMAGE', field: 'photo' });
    expect(catchSync(() => c.fromFile(new Uint8Array(0), ctx))).toMatchObject({ code: 'INVALID_IMAGE', field: 'photo' });
    // Text is recognised from its header on the main thread, before anything is queued or decoded.
    expect(catchSync(() => c.toTransport(Buffer.from('hello, this is text').toString('base64'), ctx))).toMatchObject({
      code: 'INVALID_IMAGE',
      field: 'photo',
      message: expect.stringMatching(/looks like text/),
    });
    // A header that passes but pixel data that does not decode fails in preprocess, still naming the field.
    const png = await solidPng(8, 8);
    const truncated = c.toTransport(Buffer.from(png.subarray(0, png.length - 30)).toString('base64'), ctx);
    await expect(c.preprocess(truncated, ctx)).rejects.toMatchObject({ code: 'INVALID_IMAGE', field: 'photo' });
  });

  it('gives the worker bytes that own their buffer (so they can be transferred)', async () => {
    const png = await solidPng(3, 3);
    const t = Image().fromFile(new Uint8Array(png.buffer, png.byteOffset, png.length), ctx);
    expect(t.bytes.byteOffset).toBe(0);
    expect(t.bytes.byteLength).toBe(t.bytes.buffer.byteLength);
  });

  it('sends serialisable props with the defaults filled in', () => {
    expect(Image().props).toEqual({ width: null, height: null, mode: 'RGB', fit: 'contain', sources: ['upload', 'clipboard', 'webcam'] });
    expect(Image({ width: 28, height: 28, mode: 'L' }).props).toMatchObject({ width: 28, height: 28, mode: 'L' });
  });
});

describe('Image as output', () => {
  it.each([1, 2, 3, 4] as const)('encodes %i-channel pixels as a PNG data URL that decodes to the same pixels', async (channels) => {
    const src = gradient(7, 5, channels);
    const wire = await Image().postprocess(src, ctx);
    expect(wire).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const { data, width, height, channels: decoded } = decodeDataUrl(wire);
    expect([width, height, decoded]).toEqual([7, 5, channels]);
    expect([...data]).toEqual([...src.data]);
  });

  it('encodes a large image (sharp path) losslessly too', async () => {
    const src = gradient(300, 300, 3);
    const { data, channels } = decodeDataUrl(await Image().postprocess(src, ctx));
    expect(channels).toBe(3);
    expect(Buffer.compare(data, src.data)).toBe(0);
  });

  it('its output goes back in as an input', async () => {
    const c = Image({ mode: 'RGB' });
    const src = gradient(6, 6, 3);
    const back = await through(c, await c.postprocess(src, ctx));
    expect([...back.data]).toEqual([...src.data]);
  });

  it('fails (an app error) when the pixels do not match the size', async () => {
    await expect(Image().postprocess({ data: new Uint8Array(5), width: 2, height: 2, channels: 3 }, ctx)).rejects.toThrow(RangeError);
  });
});

function catchSync(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
