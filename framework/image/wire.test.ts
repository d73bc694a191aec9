/** imageBytesFromWire: base64 and data URLs in, bytes out; anything else a clear INVALID_IMAGE. */
import { describe, expect, it } from 'vitest';
import { VitrineError } from '../errors.ts';
import { imageBytesFromWire } from './index.ts';

const PNG_HEAD = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function thrown(fn: () => unknown): VitrineError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VitrineError);
    return err as VitrineError;
  }
  throw new Error('did not throw');
}

describe('imageBytesFromWire', () => {
  it('plain base64, standard and URL-safe, with line breaks', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 1, 2, 3]);
    expect(Buffer.from(imageBytesFromWire(bytes.toString('base64'), 'image'))).toEqual(bytes);
    expect(Buffer.from(imageBytesFromWire(bytes.toString('base64url'), 'image'))).toEqual(bytes);
    expect(Buffer.from(imageBytesFromWire('+//+\nAQID', 'image'))).toEqual(bytes);
  });

  it('a data URL with an image media type and parameters', () => {
    const url = `data:image/png;name=x.png;base64,${PNG_HEAD.toString('base64')}`;
    expect(Buffer.from(imageBytesFromWire(url, 'image'))).toEqual(PNG_HEAD);
    expect(Buffer.from(imageBytesFromWire(`DATA:IMAGE/JPEG;BASE64,${PNG_HEAD.toString('base64')}`, 'image'))).toEqual(PNG_HEAD);
  });

  it('the result owns its ArrayBuffer (safe to transfer to a worker)', () => {
    const out = imageBytesFromWire(PNG_HEAD.toString('base64'), 'image');
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(out.length);
  });

  it.each([
    ['a data URL of another media type', 'data:text/plain;base64,aGVsbG8=', /media type "text\/plain"/],
    ['a data URL without a media type', 'data:;base64,aGVsbG8=', /media type "text\/plain"/],
    ['a data URL that is not base64', 'data:image/png,%89PNG', /base64-encoded/],
    ['a malformed data URL', 'data:image/png;base64', /malformed data URL/],
    ['base64 garbage', 'this is not base64!', /not valid base64/],
    ['base64 of impossible length', 'abcde', /not valid base64/],
    ['an empty payload', 'data:image/png;base64,', /empty image data/],
  ])('%s → INVALID_IMAGE', (_name, value, message) => {
    const err = thrown(() => imageBytesFromWire(value, 'photo'));
    expect([err.code, err.status, err.field]).toEqual(['INVALID_IMAGE', 400, 'photo']);
    expect(err.message).toMatch(message);
    expect(err.message).toMatch(/"photo"/);
  });

  it('refuses an oversized payload before decoding it', () => {
    const err = thrown(() => imageBytesFromWire('A'.repeat(4000), 'image', 1000));
    expect([err.code, err.status]).toEqual(['IMAGE_TOO_LARGE', 413]);
  });
});
