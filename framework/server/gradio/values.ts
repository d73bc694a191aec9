/** Gradio's request and value shapes (zod, the single declaration) and the mapping of its `data` lists to and from Vitrine's wire values. */
import { z } from 'zod';
import { VitrineError } from '../../errors.ts';
import type { VitrineInterface } from '../../interface.ts';
import { mapFilesAsync } from '../../components/file-codec.ts';
import { fetchAllowed, type FileStore } from './files.ts';

/** Gradio's `FileData` (gradio/data_classes.py): how every file travels in its protocol. */
export const FileDataSchema = z
  .object({
    path: z.string().min(1).max(4096).describe('A path this server handed out (upload), or an http(s) URL'),
    url: z.string().max(4096).nullish(),
    size: z.number().nullish(),
    orig_name: z.string().max(1024).nullish(),
    mime_type: z.string().max(255).nullish(),
    is_stream: z.boolean().optional(),
    meta: z.object({ _type: z.literal('gradio.FileData') }).optional(),
  })
  .meta({ title: 'FileData' });
export type FileData = z.output<typeof FileDataSchema>;

/** One value per input, positional (Gradio's clients) or by parameter name (hand-written calls). */
const DataSchema = z.union([z.array(z.unknown()).max(256), z.record(z.string(), z.unknown())]);

/** `POST queue/join` (gradio/data_classes.py PredictBody): fields the clients send that Vitrine does not use are accepted and ignored. */
export const JoinBodySchema = z.object({
  data: DataSchema,
  fn_index: z.number().int().nullish(),
  session_hash: z.string().min(1).max(128),
  event_data: z.unknown().optional(),
  trigger_id: z.number().int().nullish(),
});

/** `POST call/{api_name}` (SimplePredictBody). */
export const CallBodySchema = z.object({ data: DataSchema.default([]), session_hash: z.string().max(128).nullish() });

/** `POST cancel` (CancelBody). */
export const CancelBodySchema = z.object({ event_id: z.string().max(128), session_hash: z.string().max(128).nullish(), fn_index: z.number().int().nullish() });

/**
 * A Gradio body that breaks its schema → a 400 naming the first problem.
 *
 * @example
 * const body = parseBody(JoinBodySchema, req.body);
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}": ` : '';
  throw new VitrineError('BAD_REQUEST', { reason: `Invalid request body: ${where}${issue.message}` });
}

/** Where an input file's bytes may come from besides the store. */
export interface FileSources {
  store: FileStore;
  /** This interface's own example file at a URL path under its prefix (`examples/0/sneaker.png`), read without any request. */
  localExample(url: URL): string | undefined;
  /** The origin the client reached this server by: URLs there are resolved locally, never fetched. */
  origin: string;
  /** URL prefixes the server may fetch. */
  allowedUrls: readonly string[];
  readExample(path: string): Promise<Uint8Array>;
}

/**
 * A Gradio `data` list → wire values plus the file inputs' bytes, ready for the shared reader
 * (pipeline.read). An image may be a FileData with a path this server issued, a URL of this
 * interface's own files, an allow-listed URL, or — as in Vitrine's JSON API — a base64 string or
 * data: URL. Missing or null values are left out, so the component's default (or its "missing
 * input" error) applies.
 *
 * @example
 * const { wire, files } = await dataToWire(iface, [fileData, 'sepia', 0.5], sources);
 */
export async function dataToWire(
  iface: VitrineInterface,
  data: unknown[] | Record<string, unknown>,
  sources: FileSources,
): Promise<{ wire: Record<string, unknown>; files: Record<string, Uint8Array> }> {
  const names = iface.inputs.map((i) => i.name);
  let byName: Record<string, unknown>;
  if (Array.isArray(data)) {
    if (data.length > names.length) {
      throw new VitrineError('BAD_REQUEST', { reason: `Expected at most ${names.length} values (${names.join(', ')}); got ${data.length}` });
    }
    byName = Object.fromEntries(data.map((v, i) => [names[i]!, v]));
  } else {
    for (const key of Object.keys(data)) {
      if (!names.includes(key)) throw new VitrineError('UNKNOWN_FIELD', { field: key, expected: names.map((n) => `"${n}"`).join(', ') });
    }
    byName = data;
  }
  const wire: Record<string, unknown> = {};
  const files: Record<string, Uint8Array> = {};
  for (const { name, component } of iface.inputs) {
    const value = byName[name];
    if (value === undefined || value === null) continue;
    const codec = component.files;
    if (codec === undefined || typeof value === 'string') {
      wire[name] = value;
      continue;
    }
    const maxBytes = component.maxFileBytes ?? sources.store.maxFileBytes;
    if (component.isFile && !component.multipleFiles) {
      files[name] = await fileBytes(asFileData(value, name), name, maxBytes, sources);
      continue;
    }
    // A value with files inside (a list of files, a gallery): each FileData becomes the file as the
    // JSON API carries it, and the kind's schema checks the whole value next.
    wire[name] = await mapFilesAsync(codec, value, async (file) => {
      if (typeof file === 'string') return file;
      const data = asFileData(file, name);
      const bytes = await fileBytes(data, name, maxBytes, sources);
      // The name the client gave, else the one the upload was stored under (`<id>/<name>`).
      const fileName = data.orig_name ?? (/^https?:/i.test(data.path) ? undefined : data.path.split('/').pop());
      return codec.write({ bytes, mimeType: data.mime_type ?? 'application/octet-stream', extension: '', name: fileName });
    });
  }
  return { wire, files };
}

function asFileData(value: unknown, field: string): FileData {
  const file = FileDataSchema.safeParse(value);
  if (!file.success) {
    throw new VitrineError('INVALID_INPUT', { field, reason: 'expected a FileData object {"path": …} (upload the file first, or use handle_file())' });
  }
  return file.data;
}

async function fileBytes(file: FileData, field: string, maxBytes: number, sources: FileSources): Promise<Uint8Array> {
  const reference = /^https?:\/\//i.test(file.path) ? file.path : undefined;
  if (reference === undefined) {
    const bytes = await sources.store.read(file.path);
    if (bytes === undefined) {
      throw new VitrineError('INVALID_INPUT', {
        field,
        reason: `"${file.path.slice(0, 200)}" is not a file this server handed out, or it has expired; upload it first (POST gradio_api/upload, or handle_file() in the clients)`,
      });
    }
    return bytes;
  }
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw new VitrineError('INVALID_INPUT', { field, reason: `"${reference.slice(0, 200)}" is not a valid URL` });
  }
  if (url.origin === sources.origin) {
    const own = ownFile(url, sources);
    if (own !== undefined) return own;
  }
  if (sources.allowedUrls.some((prefix) => url.href.startsWith(prefix))) return fetchAllowed(url, maxBytes, field);
  throw new VitrineError('INVALID_INPUT', {
    field,
    reason: `${url.href.slice(0, 200)} is a URL, and this server does not fetch URLs unless its operator allows them (gradio.allowedUrls); upload the file instead (handle_file() on a local path, or POST gradio_api/upload)`,
  });
}

/** A URL of this interface's own example files or of a file it handed out, read without a request. */
function ownFile(url: URL, sources: FileSources): Promise<Uint8Array> | undefined {
  const example = sources.localExample(url);
  if (example !== undefined) return sources.readExample(example);
  const marker = '/gradio_api/file=';
  const at = url.pathname.indexOf(marker);
  if (at < 0) return undefined;
  const path = decodeURIComponent(url.pathname.slice(at + marker.length));
  if (sources.store.lookup(path) === undefined) return undefined;
  return sources.store.read(path) as Promise<Uint8Array>;
}

/**
 * The checked outputs (Vitrine wire values) → Gradio's `data` list: every file inside a value (an
 * image, a sound, a gallery's pictures) becomes a FileData stored on this server, with the `url` a
 * client can fetch it from; everything else is sent as is.
 *
 * @example
 * const data = await wireToData(iface, { result: 'data:image/png;base64,…' }, store, 'http://host/image-effects');
 */
export async function wireToData(iface: VitrineInterface, outputs: Record<string, unknown>, store: FileStore, root: string): Promise<unknown[]> {
  return Promise.all(
    iface.outputs.map(async ({ name, component }) => {
      const value = outputs[name];
      const codec = component.files;
      if (codec === undefined || value === undefined || value === null) return value;
      return mapFilesAsync(codec, value, async (file, index) => {
        const f = codec.read(file, name);
        const stored = await store.saveBytes(f.bytes, f.name ?? `${name}${index > 0 ? `-${index}` : ''}.${f.extension}`, f.mimeType);
        return {
          path: stored.path,
          url: `${root}/gradio_api/file=${stored.path}`,
          size: stored.size,
          orig_name: stored.name,
          mime_type: stored.mimeType,
          is_stream: false,
          meta: { _type: 'gradio.FileData' },
        } satisfies FileData;
      });
    }),
  );
}
