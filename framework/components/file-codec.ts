/** File codecs for kinds whose wire value is one file, or holds files at known places (a gallery's pictures). */
import { VitrineError } from '../errors.ts';
import { dataUrl } from '../files/wire.ts';
import type { FileBytes, FileCodec } from './base.ts';

/**
 * The codec of a kind whose wire value is one file string (base64 or a `data:` URL): `read` checks
 * the bytes as the kind does for a prediction.
 *
 * @example
 * files: singleFileCodec((value, field) => ({ ...readAudio(value, field) }))
 */
export function singleFileCodec(read: (value: string, field: string) => FileBytes): FileCodec {
  return {
    map: (value, fn) => fn(value),
    read: function readFileString(file, field) {
      if (typeof file !== 'string') throw new VitrineError('INVALID_FILE', { field, reason: 'expected a base64 string or a data: URL' });
      return read(file, field);
    },
    write: (file) => dataUrl(file.mimeType, file.bytes),
  };
}

/**
 * A codec for a list of values that each hold files at the places `each` maps (a gallery's
 * `{ image, caption }` items), reusing the codec of one file.
 *
 * @example
 * files: listFileCodec(imageCodec, (item, fn) => ({ ...item, image: fn(item.image) }))
 */
export function listFileCodec(one: FileCodec, each: (item: Record<string, unknown>, fn: (file: unknown) => unknown) => unknown): FileCodec {
  return {
    map: (value, fn) => (Array.isArray(value) ? value.map((item: unknown) => (item !== null && typeof item === 'object' ? each(item as Record<string, unknown>, fn) : item)) : value),
    read: one.read,
    write: one.write,
  };
}

/**
 * `codec.map` with an async conversion: every file of `value` converted (concurrently), then the
 * value rebuilt with the results in order.
 *
 * @example
 * const data = await mapFilesAsync(component.files, wire, async (file) => store.save(file));
 */
export async function mapFilesAsync(codec: FileCodec, value: unknown, fn: (file: unknown, index: number) => Promise<unknown>): Promise<unknown> {
  const pending: Array<Promise<unknown>> = [];
  codec.map(value, (file) => {
    pending.push(fn(file, pending.length));
    return file;
  });
  const results = await Promise.all(pending);
  let i = 0;
  return codec.map(value, () => results[i++]);
}
