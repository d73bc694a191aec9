/** File: any file (or several) in, with a type filter and size caps; files out as downloads. */
import { z } from 'zod';
import { VitrineError } from '../errors.ts';
import { mediaTypeOfName } from '../files/media-types.ts';
import { dataUrl, fileFromWire, formatBytes } from '../files/wire.ts';
import { checkNumber, checkOption, defineComponent, type CommonOptions, type FileBytes, type FileCodec } from './base.ts';
import { listFileCodec } from './file-codec.ts';

export const FILE_COUNTS = ['single', 'multiple'] as const;

export interface FileOptions extends CommonOptions {
  /** Accepted types: extensions (`.pdf`) and media types (`text/csv`, `image/*`); any when omitted. */
  fileTypes?: readonly string[];
  /** One file, or a list of them (default single). */
  fileCount?: (typeof FILE_COUNTS)[number];
  /** Largest file (default 10 MiB) and most files in a list (default 10). */
  maxBytes?: number;
  maxFiles?: number;
}

/** A file as the function gets it, and may return it (`mimeType` then defaults from the name). */
export interface VitrineFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** The wire value of one file: its name and its bytes as a `data:` URL (or plain base64). */
export interface FileWire {
  name: string;
  data: string;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const SAFE_NAME = /[^A-Za-z0-9._ -]/g;


/**
 * Any file. The function receives `{ name, mimeType, bytes }` (a list of them with
 * `fileCount: 'multiple'`) and may return the same for an output, which clients download.
 *
 * @example
 * inputs: { report: File({ fileTypes: ['.pdf', '.txt'], maxBytes: 5 << 20 }) }
 */
export function File<const N extends (typeof FILE_COUNTS)[number] = 'single'>(options: FileOptions & { fileCount?: N } = {}) {
  const count = checkOption('File', 'fileCount', options.fileCount ?? 'single', FILE_COUNTS);
  const maxBytes = checkNumber('File', 'maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES, { min: 1, integer: true });
  const maxFiles = checkNumber('File', 'maxFiles', options.maxFiles ?? 10, { min: 1, max: 1000, integer: true });
  const fileTypes = [...(options.fileTypes ?? [])];
  for (const t of fileTypes) {
    if (typeof t !== 'string' || !/^(\.[A-Za-z0-9]{1,16}|[a-z]+\/(\*|[A-Za-z0-9.+-]+))$/.test(t)) {
      throw new TypeError(`File(): every fileTypes entry must be an extension (".pdf") or a media type ("image/*"); got ${JSON.stringify(t)}`);
    }
  }
  const multiple = count === 'multiple';

  function accepted(name: string, mimeType: string, field: string): void {
    if (fileTypes.length === 0) return;
    const ext = `.${name.split('.').pop()?.toLowerCase() ?? ''}`;
    const ok = fileTypes.some((t) => (t.startsWith('.') ? t.toLowerCase() === ext : t.endsWith('/*') ? mimeType.startsWith(t.slice(0, -1)) : t === mimeType));
    if (!ok) throw new VitrineError('UNSUPPORTED_FILE', { field, reason: `"${name.slice(0, 100)}" is not one of ${fileTypes.join(', ')}` });
  }

  function fromBytes(bytes: Uint8Array, name: string | undefined, declared: string | undefined, field: string): VitrineFile {
    if (bytes.byteLength > maxBytes) throw new VitrineError('FILE_TOO_LARGE', { field, reason: `the file is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(maxBytes)}` });
    const safe = (name ?? 'file').replace(SAFE_NAME, '_').slice(0, 200) || 'file';
    const mimeType = declared && /^[a-z]+\/[A-Za-z0-9.+-]+$/.test(declared) ? declared : mediaTypeOfName(safe);
    accepted(safe, mimeType, field);
    return { name: safe, mimeType, bytes };
  }

  function read(file: unknown, field: string): VitrineFile {
    const wire = typeof file === 'string' ? { name: undefined, data: file } : (file as Partial<FileWire>);
    if (typeof wire?.data !== 'string') throw new VitrineError('INVALID_FILE', { field, reason: 'expected { "name", "data" } with data as base64 or a data: URL' });
    const { bytes, mimeType } = fileFromWire(wire.data, field, { maxBytes });
    return fromBytes(bytes, wire.name, mimeType, field);
  }

  const one: FileCodec = {
    map: (value, fn) => fn(value),
    read: (file, field): FileBytes => {
      const f = read(file, field);
      return { bytes: f.bytes, mimeType: f.mimeType, extension: (f.name.split('.').pop() ?? 'bin').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 5) || 'bin', name: f.name };
    },
    write: (f): FileWire => ({ name: f.name ?? `file.${f.extension || 'bin'}`, data: dataUrl(f.mimeType, f.bytes) }),
  };

  const fileSchema = z.union([z.string().min(1), z.object({ name: z.string().min(1).max(1000), data: z.string().min(1) })]);
  const oneWire = fileSchema.describe('A file: { name, data } with data as base64 or a data: URL (a bare base64 string has no name)');
  const schema = (multiple ? z.array(fileSchema).min(1).max(maxFiles).describe(`Up to ${maxFiles} files, each { name, data }`) : oneWire) as unknown as z.ZodType<FileWire | FileWire[]>;
  const example: FileWire = { name: 'notes.txt', data: 'data:text/plain;base64,U25lYWtlciwgNDI=' };

  type Value = N extends 'multiple' ? VitrineFile[] : VitrineFile;
  type Result = N extends 'multiple' ? ReadonlyArray<VitrineFile | { name: string; bytes: Uint8Array }> : VitrineFile | { name: string; bytes: Uint8Array; mimeType?: string };
  const toWire = (f: { name: string; bytes: Uint8Array; mimeType?: string }): FileWire => ({ name: f.name, data: dataUrl(f.mimeType ?? mediaTypeOfName(f.name), f.bytes) });

  return defineComponent<'file', FileWire | FileWire[], Value, Value, Result, true>({
    kind: 'file',
    gradio: { name: 'File', props: { file_count: count, file_types: fileTypes.length > 0 ? fileTypes : null, type: 'filepath' } },
    schema,
    props: { fileCount: count, fileTypes, maxBytes, maxFiles },
    options,
    isFile: true,
    multipleFiles: multiple,
    files: multiple ? listFileCodec(one, (item, fn) => fn(item)) : one,
    maxFileBytes: maxBytes,
    exampleWire: multiple ? [example] : example,
    exampleValue: (multiple ? [{ name: 'notes.txt', mimeType: 'text/plain', bytes: new TextEncoder().encode('Sneaker, 42') }] : { name: 'notes.txt', mimeType: 'text/plain', bytes: new TextEncoder().encode('Sneaker, 42') }) as unknown as Result,
    sample: 'notes.txt',
    toTransport: (wire, ctx) => (Array.isArray(wire) ? wire.map((w) => read(w, ctx.field)) : read(wire, ctx.field)) as Value,
    // A text field holds the file as base64 or a data: URL.
    fromMultipart: (text) => text as unknown as FileWire,
    // With fileCount multiple, each file part is one file; the reader collects them into the list.
    fromFile: (bytes, ctx) => fromBytes(bytes, ctx.fileName, ctx.mimeType, ctx.field) as Value,
    postprocess: (result) => (Array.isArray(result) ? result.map(toWire) : toWire(result as VitrineFile)),
  });
}
