/** FileStore: paths it hands out and nothing else, sizes capped, files deleted once their lifetime is over or the server closes. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStore, safeName } from './files.ts';

const PNG_HEADER = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1]);

let store: FileStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe('FileStore', () => {
  it('deletes a file once its lifetime is over, and its own folder on close', async () => {
    store = new FileStore({ maxFileBytes: 1000, maxStoredBytes: 10_000, lifetimeMs: 60_000 });
    store.open();
    const file = await store.saveBytes(PNG_HEADER, 'result.png');
    expect(file.path).toMatch(/^[0-9a-f]{32}\/result\.png$/);
    expect(file.mimeType).toBe('image/png');
    expect(existsSync(file.diskPath)).toBe(true);
    expect(await store.sweep(Date.now() + 30_000)).toBe(0);
    expect(await store.sweep(Date.now() + 60_001)).toBe(1);
    expect(existsSync(file.diskPath)).toBe(false);
    expect(store.lookup(file.path)).toBeUndefined();
    const folder = join(file.diskPath, '..');
    await store.close();
    expect(existsSync(folder)).toBe(false);
    store = undefined;
  });

  it('refuses an upload past its size and when full, leaving nothing behind in a given folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrine-store-'));
    try {
      store = new FileStore({ dir, maxFileBytes: 10, maxStoredBytes: 20, lifetimeMs: 60_000 });
      store.open();
      await expect(store.saveUpload(Readable.from([Buffer.alloc(11)]), 'big')).rejects.toMatchObject({ code: 'BODY_TOO_LARGE' });
      expect(await readdir(dir)).toEqual([]);
      const ok = await store.saveUpload(Readable.from([Buffer.from('plain text')]), 'note.txt');
      expect(ok.mimeType).toBe('application/octet-stream');
      await store.saveUpload(Readable.from([Buffer.alloc(10)]), 'second');
      await expect(store.saveUpload(Readable.from([Buffer.alloc(1)]), 'third')).rejects.toMatchObject({ code: 'FILE_STORE_FULL', status: 507 });
      await store.close();
      store = undefined;
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('looks paths up only in its table of the ones it handed out', async () => {
    store = new FileStore({ maxFileBytes: 1000, maxStoredBytes: 10_000, lifetimeMs: 60_000 });
    store.open();
    const file = await store.saveBytes(PNG_HEADER, '../../evil name.png');
    expect(file.name).toBe('evil_name.png');
    expect(store.lookup(file.path)).toBe(file);
    for (const other of [file.path.split('/')[0]!, `${file.path}/..`, `./${file.path}`, file.diskPath, file.path.toUpperCase()]) {
      expect(store.lookup(other), other).toBeUndefined();
    }
  });
});

describe('safeName', () => {
  it('keeps a last path segment of safe characters', () => {
    expect(safeName('../../etc/passwd')).toBe('passwd');
    expect(safeName('C:\\Users\\me\\photo 1.jpg')).toBe('photo_1.jpg');
    expect(safeName('.hidden')).toBe('hidden');
    expect(safeName('')).toBe('file');
    expect(safeName('blob')).toBe('blob');
  });
});
