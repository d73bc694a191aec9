/** The flag store: a crash-safe, append-only dataset of flagged inputs and outputs (a JSONL index plus the files), one folder per interface. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, truncate, unlink, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { VitrineError } from '../errors.ts';
import { FlagRecordSchema, type FlagFile, type FlagRecord } from './flag-schemas.ts';
import { FLAG_LIMITS } from './limits.ts';

export type { FlagFile, FlagRecord };

/** A file to store with a record: where it sits (`inputs.<field>`, or the n-th file inside that value) and its bytes. */
export interface PendingFile {
  side: 'input' | 'output';
  field: string;
  /** The n-th file of this field's value (0 for a single file). */
  index: number;
  /** Stored under this extension, and served with this media type. */
  extension: string;
  mimeType: string;
  bytes: Uint8Array;
}

const INDEX = 'index.jsonl';
const FILE_NAME = /^[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8}\.(input|output)\.[A-Za-z_][A-Za-z0-9_-]{0,63}(-[0-9]{1,4})?\.[a-z0-9]{2,5}$/;
const EXTENSION = /^[a-z0-9]{2,5}$/;

/**
 * The path a record's file is stored under, relative to the store's folder: what the record's value
 * holds in place of the file.
 *
 * @example
 * flagFilePath('20261124T190229123Z-a1b2c3d4', { side: 'input', field: 'image', index: 0, extension: 'png' }); // 'files/…input.image.png'
 */
export function flagFilePath(id: string, f: Pick<PendingFile, 'side' | 'field' | 'index' | 'extension'>): string {
  return `files/${id}.${f.side}.${f.field}${f.index > 0 ? `-${f.index}` : ''}.${f.extension}`;
}

/**
 * A new record id: the time, then random bits (sortable, unique per store).
 *
 * @example
 * newFlagId(); // '20261124T190229123Z-a1b2c3d4'
 */
export function newFlagId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
}

/**
 * An append-only dataset of flags in one folder: `index.jsonl` (one JSON record per line) and
 * `files/`. A record becomes visible only when its index line is complete and on disk: each file is
 * written to `tmp/`, fsynced and renamed into `files/` (then the folder is fsynced), and only then is
 * the index line appended and fsynced — so a crash at any moment leaves either the whole record or
 * nothing a reader can see. Appends are serialised, so a torn write can only be the last line, and
 * `open()` cuts it off along with files no line refers to. One process per folder.
 *
 * @example
 * const store = await FlagStore.open('flagged/root', { maxRecords: 100 });
 * const rec = await store.add({ inputs: { text: 'hi' }, outputs: {}, reason: null, requestId: null }, []);
 */
export class FlagStore {
  readonly dir: string;
  readonly maxRecords: number;
  readonly maxBytes: number;
  /** Byte offset and length of each record's line in the index. */
  readonly #starts: number[] = [];
  readonly #lengths: number[] = [];
  readonly #files = new Map<string, string>();
  #indexSize = 0;
  #bytes = 0;
  #reservedRecords = 0;
  #reservedBytes = 0;
  #index: FileHandle | undefined;
  #dirsReady: Promise<void> | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(dir: string, limits: { maxRecords?: number; maxBytes?: number }) {
    this.dir = resolve(dir);
    this.maxRecords = limits.maxRecords ?? FLAG_LIMITS.maxRecords;
    this.maxBytes = limits.maxBytes ?? FLAG_LIMITS.maxBytes;
  }

  /**
   * Opens (and, after a crash, repairs) the store in `dir`; the folder is created on the first flag.
   * Repair: a last index line without its newline was never acknowledged and is cut off; files no
   * line refers to and leftovers in `tmp/` are removed. `warn` hears about each repair.
   *
   * @example
   * const store = await FlagStore.open('flagged/root', {}, (m) => app.log.warn(m));
   */
  static async open(dir: string, limits: { maxRecords?: number; maxBytes?: number } = {}, warn: (message: string) => void = () => {}): Promise<FlagStore> {
    const store = new FlagStore(dir, limits);
    await store.#recover(warn);
    return store;
  }

  /** Records stored. */
  get count(): number {
    return this.#starts.length;
  }

  /** Bytes on disk: the index and every stored file. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Stores a record and its files durably; resolves once it would survive a crash. Rejects with
   * FLAG_STORE_FULL (507) when the record or byte cap would be passed.
   *
   * @example
   * await store.add({ inputs: { note: 'hi' }, outputs: {}, reason: 'wrong', requestId: null },
   *   [{ side: 'input', field: 'image', index: 0, extension: 'png', mimeType: 'image/png', bytes: pngBytes }]);
   */
  async add(entry: Omit<FlagRecord, 'id' | 'time' | 'files'> & { id?: string }, files: PendingFile[]): Promise<FlagRecord> {
    const now = new Date();
    const id = entry.id ?? newFlagId(now);
    const record: FlagRecord = { id, time: now.toISOString(), reason: entry.reason, requestId: entry.requestId, inputs: { ...entry.inputs }, outputs: { ...entry.outputs }, files: [] };
    for (const f of files) {
      if (!EXTENSION.test(f.extension)) throw new VitrineError('UNSUPPORTED_FILE', { field: f.field, reason: `files with the extension "${f.extension.slice(0, 20)}" are not stored` });
      record.files.push({ path: flagFilePath(id, f), side: f.side, field: f.field, type: f.mimeType, bytes: f.bytes.byteLength, sha256: sha256(f.bytes) });
    }
    const line = Buffer.from(`${JSON.stringify(record)}\n`);
    const size = line.length + files.reduce((n, f) => n + f.bytes.byteLength, 0);

    if (this.count + this.#reservedRecords + 1 > this.maxRecords) {
      throw new VitrineError('FLAG_STORE_FULL', { reason: `the limit of ${this.maxRecords} records is reached` });
    }
    if (this.#bytes + this.#reservedBytes + size > this.maxBytes) {
      throw new VitrineError('FLAG_STORE_FULL', { reason: `this flag needs ${size} bytes and ${Math.max(0, this.maxBytes - this.#bytes - this.#reservedBytes)} of ${this.maxBytes} are left` });
    }
    this.#reservedRecords += 1;
    this.#reservedBytes += size;
    const written: string[] = [];
    try {
      await this.#ensureDirs();
      for (const [i, f] of files.entries()) {
        const temp = join(this.dir, 'tmp', `${id}.${i}.tmp`);
        const final = join(this.dir, record.files[i]!.path);
        written.push(temp, final);
        await writeDurably(temp, f.bytes);
        await rename(temp, final);
      }
      if (files.length > 0) await syncDir(join(this.dir, 'files'));
      await this.#append(line);
    } catch (err) {
      await Promise.all(written.map((p) => unlink(p).catch(() => {})));
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC' || (err as NodeJS.ErrnoException).code === 'EDQUOT') {
        throw new VitrineError('FLAG_STORE_FULL', { reason: 'the disk is full' });
      }
      throw err;
    } finally {
      this.#reservedRecords -= 1;
      this.#reservedBytes -= size;
    }
    this.#bytes += size;
    for (const f of record.files) this.#files.set(f.path.slice('files/'.length), f.type);
    return record;
  }

  /**
   * Records `offset` … `offset + limit - 1`, oldest first, and the total.
   *
   * @example
   * const { total, items } = await store.list(0, 50);
   */
  async list(offset: number, limit: number): Promise<{ total: number; items: FlagRecord[] }> {
    const total = this.count;
    const end = Math.min(total, offset + limit);
    if (offset >= end) return { total, items: [] };
    const from = this.#starts[offset]!;
    const to = this.#starts[end - 1]! + this.#lengths[end - 1]!;
    const buf = Buffer.alloc(to - from);
    const fh = await open(join(this.dir, INDEX), 'r');
    try {
      await fh.read(buf, 0, buf.length, from);
    } finally {
      await fh.close();
    }
    const items: FlagRecord[] = [];
    for (let i = offset; i < end; i++) {
      const at = this.#starts[i]! - from;
      items.push(JSON.parse(buf.subarray(at, at + this.#lengths[i]!).toString('utf8')) as FlagRecord);
    }
    return { total, items };
  }

  /**
   * A stored file by its name under `files/`, or null when no record refers to that name (the name
   * is looked up, never joined into a path as given).
   *
   * @example
   * const file = await store.readFile('20261124T190229123Z-a1b2c3d4.input.image.png');
   */
  async readFile(name: string): Promise<{ type: string; bytes: Buffer } | null> {
    const type = this.#files.get(name);
    if (type === undefined || !FILE_NAME.test(name)) return null;
    return { type, bytes: await readFile(join(this.dir, 'files', name)) };
  }

  /** Waits for pending appends and closes the index. */
  async close(): Promise<void> {
    await this.#chain.catch(() => {});
    await this.#index?.close();
    this.#index = undefined;
  }

  async #recover(warn: (message: string) => void): Promise<void> {
    const indexPath = join(this.dir, INDEX);
    let buf: Buffer;
    try {
      buf = await readFile(indexPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        await this.#sweep(new Set(), warn);
        return;
      }
      throw err;
    }
    const complete = buf.lastIndexOf(0x0a) + 1;
    if (complete < buf.length) {
      // Only the last append can be torn (appends are serialised), and it was never acknowledged.
      await truncate(indexPath, complete);
      warn(`flag store ${this.dir}: removed an incomplete last index line (${buf.length - complete} bytes) left by a crash`);
      buf = buf.subarray(0, complete);
    }
    const referenced = new Set<string>();
    let unreadable = 0;
    for (let at = 0; at < buf.length; ) {
      const nl = buf.indexOf(0x0a, at);
      const text = buf.subarray(at, nl).toString('utf8');
      try {
        const rec = FlagRecordSchema.parse(JSON.parse(text));
        this.#starts.push(at);
        this.#lengths.push(nl + 1 - at);
        for (const f of rec.files) {
          const name = f.path.slice('files/'.length);
          referenced.add(name);
          this.#files.set(name, f.type);
          this.#bytes += f.bytes;
        }
      } catch {
        if (text.trim() !== '') unreadable++;
      }
      at = nl + 1;
    }
    this.#indexSize = buf.length;
    this.#bytes += buf.length;
    if (unreadable > 0) {
      // A line written by someone else: keep it, and keep every file, since it may refer to them.
      warn(`flag store ${this.dir}: ${unreadable} index lines are not flag records; they are kept but not listed`);
      return;
    }
    await this.#sweep(referenced, warn);
  }

  /** Removes what a crash between writing files and appending the index line left behind. */
  async #sweep(referenced: Set<string>, warn: (message: string) => void): Promise<void> {
    await rm(join(this.dir, 'tmp'), { recursive: true, force: true });
    let names: string[];
    try {
      names = await readdir(join(this.dir, 'files'));
    } catch {
      return;
    }
    const orphans = names.filter((n) => !referenced.has(n));
    await Promise.all(orphans.map((n) => unlink(join(this.dir, 'files', n)).catch(() => {})));
    if (orphans.length > 0) warn(`flag store ${this.dir}: removed ${orphans.length} files of flags that were never acknowledged`);
  }

  #ensureDirs(): Promise<void> {
    this.#dirsReady ??= (async () => {
      await mkdir(join(this.dir, 'files'), { recursive: true });
      await mkdir(join(this.dir, 'tmp'), { recursive: true });
      await syncDir(this.dir);
      await syncDir(resolve(this.dir, '..'));
    })().catch((err: unknown) => {
      this.#dirsReady = undefined;
      throw err;
    });
    return this.#dirsReady;
  }

  /** Appends one line and fsyncs it; appends run one at a time so no two lines interleave. */
  #append(line: Buffer): Promise<void> {
    const run = async () => {
      if (!this.#index) {
        this.#index = await open(join(this.dir, INDEX), 'a');
        await syncDir(this.dir);
      }
      const fh = this.#index;
      const start = this.#indexSize;
      try {
        for (let off = 0; off < line.length; ) off += (await fh.write(line, off, line.length - off)).bytesWritten;
        await fh.datasync();
      } catch (err) {
        // Leave no partial line for the next append to follow.
        await fh.truncate(start).catch(() => {});
        throw err;
      }
      this.#starts.push(start);
      this.#lengths.push(line.length);
      this.#indexSize = start + line.length;
    };
    const done = this.#chain.then(run, run);
    this.#chain = done.catch(() => {});
    return done;
  }
}

async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'wx');
  try {
    for (let off = 0; off < bytes.byteLength; ) off += (await fh.write(bytes, off, bytes.byteLength - off)).bytesWritten;
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a directory makes the names created or renamed in it durable (POSIX leaves it to the caller). */
async function syncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

