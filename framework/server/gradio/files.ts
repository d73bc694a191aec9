/**
 * The files of Gradio's protocol: what clients upload and what the app produces, kept in one folder
 * for a limited time and referred to only by the paths this store handed out.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VitrineError } from '../../errors.ts';
import { probeImage } from '../../image/index.ts';

/** One stored file. `path` is the only name a client ever sees; the disk name is the random id alone. */
export interface StoredFile {
  /** `<32 hex>/<name>`: what `upload` answers and `file=` takes. */
  path: string;
  /** The original name, made safe for a URL and a file system. */
  name: string;
  size: number;
  /** Sniffed from the bytes (an upload from the JS client is named `blob`, without an extension). */
  mimeType: string;
  diskPath: string;
  expiresAt: number;
}

export interface FileStoreOptions {
  /** Where the files go; default a new folder under the OS temp dir, deleted when the server closes. */
  dir?: string | undefined;
  /** Largest single upload in bytes. */
  maxFileBytes: number;
  /** All uploads kept at once, in bytes; beyond it an upload is refused with 507. */
  maxStoredBytes: number;
  /** How long a file stays readable after it was stored (ms). */
  lifetimeMs: number;
}

/** Media types of an app's own outputs that are served inline with their type: sound and video, never markup. */
export const PLAYABLE = /^(audio|video)\/[a-z0-9.+-]+$/;

/** Image formats served inline; anything else (SVG, unknown bytes) is served as a download. */
const INLINE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tiff: 'image/tiff',
  avif: 'image/avif',
};

/** Enough of a file to read its format from the header (JPEG's EXIF segment can be this long). */
const SNIFF_BYTES = 64 * 1024;

/**
 * Keeps uploaded and produced files. A path is looked up in a table of the paths handed out, never
 * joined onto a folder, so `../`, absolute paths and encoded separators cannot reach another file.
 *
 * @example
 * const store = new FileStore({ maxFileBytes: 10 << 20, maxStoredBytes: 512 << 20, lifetimeMs: 3_600_000 });
 * store.open();
 * const file = await store.saveBytes(png, 'result.png');
 * store.lookup(file.path)?.diskPath;
 */
export class FileStore {
  readonly #opts: FileStoreOptions;
  readonly #files = new Map<string, StoredFile>();
  /** The folder, made on the first file: a server whose clients never upload creates none. */
  #dir: Promise<string> | undefined;
  #ownsDir = false;
  #storedBytes = 0;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(opts: FileStoreOptions) {
    this.#opts = opts;
  }

  get maxFileBytes(): number {
    return this.#opts.maxFileBytes;
  }

  /** Starts the expiry timer; the folder is made when the first file comes. */
  open(): void {
    const every = Math.max(1000, Math.min(60_000, this.#opts.lifetimeMs / 4));
    this.#sweeper = setInterval(() => void this.sweep(), every);
    this.#sweeper.unref();
  }

  /** Deletes every file this store wrote (and its folder when the store made it). */
  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    const files = [...this.#files.values()];
    this.#files.clear();
    this.#storedBytes = 0;
    const dir = await this.#dir?.catch(() => undefined);
    this.#dir = undefined;
    if (dir !== undefined && this.#ownsDir) await rm(dir, { recursive: true, force: true });
    else await Promise.all(files.map((f) => unlink(f.diskPath).catch(() => undefined)));
  }

  #folder(): Promise<string> {
    if (this.#dir === undefined) {
      const given = this.#opts.dir;
      this.#ownsDir = given === undefined;
      this.#dir =
        given === undefined
          ? mkdtemp(join(tmpdir(), 'vitrine-gradio-'))
          : mkdir(resolve(given), { recursive: true }).then(() => resolve(given));
    }
    return this.#dir;
  }

  /**
   * Streams an upload to disk, refusing it (and deleting what was written) past `maxFileBytes` or
   * when the store is full. `truncated` tells whether the multipart parser cut the file at its limit.
   */
  async saveUpload(stream: Readable & { truncated?: boolean }, name: string): Promise<StoredFile> {
    if (this.#storedBytes >= this.#opts.maxStoredBytes) {
      stream.resume();
      throw new VitrineError('FILE_STORE_FULL', { reason: `it holds ${this.#opts.maxStoredBytes} bytes; retry once older files expire` });
    }
    const id = randomBytes(16).toString('hex');
    const diskPath = join(await this.#folder(), id);
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (headBytes < SNIFF_BYTES) {
        head.push(chunk);
        headBytes += chunk.length;
      }
    });
    try {
      await pipeline(stream, createWriteStream(diskPath, { flags: 'wx' }));
    } catch (err) {
      await unlink(diskPath).catch(() => undefined);
      throw err;
    }
    if (stream.truncated || size > this.#opts.maxFileBytes) {
      await unlink(diskPath).catch(() => undefined);
      throw new VitrineError('BODY_TOO_LARGE', { limit: this.#opts.maxFileBytes });
    }
    return this.#remember(id, name, size, Buffer.concat(head).subarray(0, SNIFF_BYTES), diskPath);
  }

  /** Stores bytes the app produced (an image output) under `name`. */
  async saveBytes(bytes: Uint8Array, name: string, mimeType?: string): Promise<StoredFile> {
    const id = randomBytes(16).toString('hex');
    const diskPath = join(await this.#folder(), id);
    await writeFile(diskPath, bytes, { flag: 'wx' });
    return this.#remember(id, name, bytes.byteLength, bytes.subarray(0, SNIFF_BYTES), diskPath, mimeType);
  }

  /**
   * The live file handed out under exactly this path, or undefined (unknown, expired, or not a path
   * of this store's making).
   */
  lookup(path: string): StoredFile | undefined {
    const file = this.#files.get(path);
    if (file === undefined || file.expiresAt <= Date.now()) return undefined;
    return file;
  }

  /** The bytes of a live file; undefined when `path` is not one. */
  async read(path: string): Promise<Uint8Array | undefined> {
    const file = this.lookup(path);
    if (file === undefined) return undefined;
    return readFile(file.diskPath).catch(() => undefined);
  }

  /** Deletes expired files (runs on a timer; exposed for tests). */
  async sweep(now = Date.now()): Promise<number> {
    const expired = [...this.#files.values()].filter((f) => f.expiresAt <= now);
    for (const f of expired) {
      this.#files.delete(f.path);
      this.#storedBytes -= f.size;
    }
    await Promise.all(expired.map((f) => unlink(f.diskPath).catch(() => undefined)));
    return expired.length;
  }

  #remember(id: string, name: string, size: number, head: Uint8Array, diskPath: string, declared?: string): StoredFile {
    const safe = safeName(name);
    const format = probeImage(head)?.format;
    // An image's type comes from its bytes; an app's audio or video output keeps the type its kind
    // gave it (played inline); anything else is a download.
    const media = declared !== undefined && PLAYABLE.test(declared) ? declared : 'application/octet-stream';
    const file: StoredFile = {
      path: `${id}/${safe}`,
      name: safe,
      size,
      mimeType: (format && INLINE_TYPES[format]) ?? media,
      diskPath,
      expiresAt: Date.now() + this.#opts.lifetimeMs,
    };
    this.#files.set(file.path, file);
    this.#storedBytes += size;
    return file;
  }
}

/**
 * A client's file name reduced to a safe last path segment: letters, digits, `.`, `_`, `-`, no
 * leading dot, at most 100 characters; `file` when nothing is left.
 *
 * @example
 * safeName('../../etc/passwd'); // 'passwd'
 * safeName('my photo (1).JPG'); // 'my_photo__1_.JPG'
 */
export function safeName(name: string): string {
  const last = name.split(/[/\\]/).pop() ?? '';
  const cleaned = last.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 100);
  return cleaned === '' ? 'file' : cleaned;
}

/**
 * Fetches an allow-listed URL's bytes (no redirects, 10 s, at most `maxBytes`); the caller has
 * already checked the allow-list.
 *
 * @example
 * const bytes = await fetchAllowed(new URL('https://example.org/cat.png'), 10 << 20, 'image');
 */
export async function fetchAllowed(url: URL, maxBytes: number, field: string): Promise<Uint8Array> {
  const refuse = (reason: string) => new VitrineError('INVALID_INPUT', { field, reason: `could not fetch ${url.href}: ${reason}` });
  let response: Response;
  try {
    // A redirect could leave the allow-list, so none is followed.
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw refuse(err instanceof Error ? err.message : String(err));
  }
  if (!response.ok) throw refuse(`it answered ${response.status}`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw refuse(`it is larger than ${maxBytes} bytes`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader!.read()) {
    size += part.value.byteLength;
    if (size > maxBytes) {
      await reader!.cancel();
      throw refuse(`it is larger than ${maxBytes} bytes`);
    }
    chunks.push(part.value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
