/** Flagging: records are validated, stored atomically with their files, capped, listed behind the token, and survive kill -9 at any moment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, Image, Interface, Textbox } from 'vitrine';
import { FlagStore, type FlagRecord } from '../../framework/server/flagging.ts';
import { SOURCE_FLAGS } from '../../scripts/lib/server-process.ts';
import { dataUrl, solid } from './fixtures/images.ts';
import { expectError } from './helpers.ts';

const TOKEN = 'flag-reader-token-0123456789';
let tmp: string;
let png: Buffer;

function flagApp() {
  return Interface({
    inputs: { image: Image({ mode: 'L' }), note: Textbox() },
    outputs: { result: Image() },
    fn: ({ image }) => ({ result: image }),
    workers: 0,
  });
}

async function build(dir: string, extra: { token?: string | false; maxRecords?: number; maxBytes?: number } = {}): Promise<FastifyInstance> {
  return buildApp({
    apps: [{ interface: flagApp() }],
    flagging: { dir, maxRecords: extra.maxRecords, maxBytes: extra.maxBytes },
    security: { token: extra.token ?? false },
  });
}

function flag(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/flag', payload: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-flags-'));
  png = await solid('png', 12, 10);
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('POST api/flag', () => {
  it('stores inputs (images as files), outputs and the reason; lists them behind the token', async () => {
    const dir = join(tmp, 'basic');
    const app = await build(dir, { token: TOKEN });
    try {
      const auth = { authorization: `Bearer ${TOKEN}` };
      const out = await solid('png', 5, 5, { r: 0, g: 0, b: 255 });
      const res = await flag(app, { inputs: { image: png.toString('base64'), note: 'looks like a bag' }, outputs: { result: dataUrl('image/png', out) }, reason: 'wrong' }, auth);
      expect(res.statusCode, res.body).toBe(200);
      const { id } = JSON.parse(res.body) as { id: string };
      expect(id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{8}$/);

      const lines = (await readFile(join(dir, 'root', 'index.jsonl'), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(1);
      const rec = JSON.parse(lines[0]!) as FlagRecord;
      expect(rec).toMatchObject({ id, reason: 'wrong', inputs: { note: 'looks like a bag' } });
      expect(rec.inputs.image).toBe(`files/${id}.input.image.png`);
      expect(rec.outputs.result).toBe(`files/${id}.output.result.png`);
      expect(await readFile(join(dir, 'root', String(rec.inputs.image)))).toEqual(png);
      expect(await readFile(join(dir, 'root', String(rec.outputs.result)))).toEqual(out);
      expect(rec.files.map((f) => f.sha256)).toEqual([sha(png), sha(out)]);

      const list = await app.inject({ method: 'GET', url: '/api/flags?limit=10', headers: auth });
      expect(list.statusCode).toBe(200);
      expect(JSON.parse(list.body)).toMatchObject({ total: 1, offset: 0, limit: 10, items: [{ id, reason: 'wrong' }] });

      const file = await app.inject({ method: 'GET', url: `/api/${rec.inputs.image}`.replace('/api/files/', '/api/flags/files/'), headers: auth });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload).toEqual(png);
      expect(file.headers['content-disposition']).toMatch(/^attachment/);
      expect(file.headers['content-type']).toBe('image/png');
    } finally {
      await app.close();
    }
  });

  it('pages through records in order', async () => {
    const app = await build(join(tmp, 'paging'), { token: TOKEN });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(JSON.parse((await flag(app, { inputs: { image: png.toString('base64'), note: `n${i}` } }, { authorization: `Bearer ${TOKEN}` })).body).id);
      const page = async (q: string) => JSON.parse((await app.inject({ method: 'GET', url: `/api/flags?${q}`, headers: { authorization: `Bearer ${TOKEN}` } })).body);
      expect((await page('offset=0&limit=3')).items.map((r: FlagRecord) => r.id)).toEqual(ids.slice(0, 3));
      expect((await page('offset=3&limit=3')).items.map((r: FlagRecord) => r.id)).toEqual(ids.slice(3, 6));
      expect(await page('offset=6&limit=3')).toMatchObject({ total: 7, items: [{ id: ids[6], inputs: { note: 'n6' } }] });
      expect((await page('offset=70')).items).toEqual([]);
      const bad = await app.inject({ method: 'GET', url: '/api/flags?limit=100000', headers: { authorization: `Bearer ${TOKEN}` } });
      expectError(bad, 400, 'INVALID_INPUT', /limit/);
    } finally {
      await app.close();
    }
  });

  it('reading flags needs the token: 401 without or with a wrong one, 403 when none is configured', async () => {
    const withToken = await build(join(tmp, 'auth'), { token: TOKEN });
    const open = await build(join(tmp, 'auth-open'));
    try {
      const none = await withToken.inject({ method: 'GET', url: '/api/flags' });
      expectError(none, 401, 'UNAUTHORIZED');
      expect(none.headers['www-authenticate']).toBe('Bearer realm="vitrine"');
      const wrong = await withToken.inject({ method: 'GET', url: '/api/flags', headers: { authorization: 'Bearer nope' } });
      expectError(wrong, 401, 'UNAUTHORIZED');
      expect(wrong.headers['www-authenticate']).toMatch(/invalid_token/);
      expectError(await withToken.inject({ method: 'GET', url: '/api/flags/files/x.png', headers: { authorization: 'Bearer nope' } }), 401, 'UNAUTHORIZED');
      expectError(await open.inject({ method: 'GET', url: '/api/flags' }), 403, 'FORBIDDEN', /VITRINE_TOKEN/);
      // Flagging itself is open when the server has no token.
      expect((await flag(open, { inputs: { image: png.toString('base64'), note: '' } })).statusCode).toBe(200);
    } finally {
      await withToken.close();
      await open.close();
    }
  });

  it('stored files are found by name only: traversal and unknown names are 404', async () => {
    const app = await build(join(tmp, 'files'), { token: TOKEN });
    try {
      const auth = { authorization: `Bearer ${TOKEN}` };
      for (const name of ['..%2findex.jsonl', '%2e%2e%2f%2e%2e%2fpackage.json', 'index.jsonl', '20261124T190229123Z-a1b2c3d4.input.image.png']) {
        const res = await app.inject({ method: 'GET', url: `/api/flags/files/${name}`, headers: auth });
        expect(res.statusCode, name).toBe(404);
        expect(res.body).not.toContain('"id"');
      }
    } finally {
      await app.close();
    }
  });

  it('refuses bad flags with a 4xx naming what is wrong', async () => {
    const app = await build(join(tmp, 'bad'));
    try {
      const good = { image: png.toString('base64'), note: 'x' };
      expectError(await flag(app, [good]), 400, 'BAD_REQUEST', /JSON object/);
      expectError(await flag(app, { inputs: good, extra: 1 }), 400, 'UNKNOWN_FIELD', /"extra"/);
      expectError(await flag(app, { outputs: {} }), 400, 'MISSING_INPUT', /"inputs"/);
      expectError(await flag(app, { inputs: 'x' }), 400, 'INVALID_INPUT', /"inputs"/);
      expectError(await flag(app, { inputs: { note: 'x' } }), 400, 'MISSING_INPUT', /"image"/);
      expectError(await flag(app, { inputs: { ...good, colour: 'red' } }), 400, 'UNKNOWN_FIELD', /"inputs.colour"/);
      expectError(await flag(app, { inputs: { ...good, note: 5 } }), 400, 'INVALID_INPUT', /"note"/);
      expectError(await flag(app, { inputs: { ...good, image: 'not base64!' } }), 400, 'INVALID_IMAGE', /"image"/);
      expectError(await flag(app, { inputs: { ...good, image: Buffer.from('hello there').toString('base64') } }), 400, 'INVALID_IMAGE');
      expectError(await flag(app, { inputs: { ...good, image: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>').toString('base64') } }), 415, 'UNSUPPORTED_IMAGE');
      expectError(await flag(app, { inputs: good, outputs: { result: 3 } }), 400, 'INVALID_INPUT', /"outputs.result"/);
      expectError(await flag(app, { inputs: good, outputs: { label: 'x' } }), 400, 'UNKNOWN_FIELD', /"outputs.label"/);
      expectError(await flag(app, { inputs: good, reason: 'x'.repeat(1001) }), 400, 'INVALID_INPUT', /"reason"/);
      expectError(await flag(app, { inputs: good, requestId: '../../etc' }), 400, 'INVALID_INPUT', /"requestId"/);
      expectError(await app.inject({ method: 'POST', url: '/api/flag', payload: 'hi', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await app.inject({ method: 'POST', url: '/api/flag', payload: '--b\r\n\r\n--b--', headers: { 'content-type': 'multipart/form-data; boundary=b' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectError(await flag(app, `{"inputs":${'['.repeat(50_000)}`), 400, 'INVALID_JSON');
      expect(existsSync(join(tmp, 'bad', 'root', 'index.jsonl'))).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('a full store answers 507; concurrent flags never pass the record cap', async () => {
    const app = await build(join(tmp, 'cap'), { maxRecords: 5 });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => flag(app, { inputs: { image: png.toString('base64'), note: String(i) } })));
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(5);
      const full = results.filter((r) => r.statusCode !== 200);
      expect(full).toHaveLength(7);
      for (const r of full) expectError(r, 507, 'FLAG_STORE_FULL', /5 records/);
      const lines = (await readFile(join(tmp, 'cap', 'root', 'index.jsonl'), 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(5);
      expect(await readdir(join(tmp, 'cap', 'root', 'files'))).toHaveLength(5);
    } finally {
      await app.close();
    }
    const bytes = await build(join(tmp, 'cap-bytes'), { maxBytes: 2000 });
    try {
      const big = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).png().toBuffer();
      expectError(await flag(bytes, { inputs: { image: big.toString('base64'), note: '' } }), 507, 'FLAG_STORE_FULL', /bytes/);
      expect((await flag(bytes, { inputs: { image: png.toString('base64'), note: '' } })).statusCode).toBe(200);
    } finally {
      await bytes.close();
    }
  });

  it('a restarted server finds every flag', async () => {
    const dir = join(tmp, 'restart');
    const first = await build(dir, { token: TOKEN });
    const ids: string[] = [];
    try {
      for (let i = 0; i < 3; i++) ids.push(JSON.parse((await flag(first, { inputs: { image: png.toString('base64'), note: String(i) } }, { authorization: `Bearer ${TOKEN}` })).body).id);
    } finally {
      await first.close();
    }
    const second = await build(dir, { token: TOKEN });
    try {
      const list = JSON.parse((await second.inject({ method: 'GET', url: '/api/flags', headers: { authorization: `Bearer ${TOKEN}` } })).body);
      expect(list.items.map((r: FlagRecord) => r.id)).toEqual(ids);
      ids.push(JSON.parse((await flag(second, { inputs: { image: png.toString('base64'), note: 'after' } }, { authorization: `Bearer ${TOKEN}` })).body).id);
      expect(JSON.parse((await second.inject({ method: 'GET', url: '/api/flags', headers: { authorization: `Bearer ${TOKEN}` } })).body).total).toBe(4);
    } finally {
      await second.close();
    }
  });
});

describe('FlagStore repair after a crash', () => {
  it('cuts a torn last line, removes unreferenced files and temp files, keeps every complete record', async () => {
    const dir = join(tmp, 'repair');
    const store = await FlagStore.open(dir);
    const kept = [];
    for (let i = 0; i < 3; i++) kept.push(await store.add({ inputs: { n: i }, outputs: {}, reason: null, requestId: null }, [{ side: 'input', field: 'image', index: 0, extension: 'png', mimeType: 'image/png', bytes: png }]));
    await store.close();
    // What kill -9 can leave: half an index line, a renamed file whose line never came, a temp file.
    await appendFile(join(dir, 'index.jsonl'), '{"id":"20991231T235959999Z-deadbeef","time":"2099-');
    await writeFile(join(dir, 'files', '20991231T235959999Z-deadbeef.input.image.png'), png);
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'tmp', '20991231T235959999Z-deadbeef.0.tmp'), png.subarray(0, 10));

    const warnings: string[] = [];
    const reopened = await FlagStore.open(dir, {}, (m) => warnings.push(m));
    expect(reopened.count).toBe(3);
    expect((await reopened.list(0, 10)).items.map((r) => r.id)).toEqual(kept.map((r) => r.id));
    const text = await readFile(join(dir, 'index.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(await readdir(join(dir, 'files'))).toHaveLength(3);
    expect(existsSync(join(dir, 'tmp'))).toBe(false);
    expect(warnings.join('\n')).toMatch(/incomplete last index line[\s\S]*1 files/);
    // New records go after the repaired end.
    await reopened.add({ inputs: { n: 3 }, outputs: {}, reason: null, requestId: null }, []);
    await reopened.close();
    expect((await FlagStore.open(dir)).count).toBe(4);
  });

  it('never deletes files when the index holds lines it cannot read', async () => {
    const dir = join(tmp, 'foreign');
    const store = await FlagStore.open(dir);
    await store.add({ inputs: {}, outputs: {}, reason: null, requestId: null }, [{ side: 'input', field: 'image', index: 0, extension: 'png', mimeType: 'image/png', bytes: png }]);
    await store.close();
    await appendFile(join(dir, 'index.jsonl'), 'not json, written by hand\n');
    await writeFile(join(dir, 'files', 'someone-elses.png'), png);
    const reopened = await FlagStore.open(dir);
    expect(reopened.count).toBe(1);
    expect(await readdir(join(dir, 'files'))).toHaveLength(2);
  });
});

describe('kill -9 at any moment', () => {
  function startServer(dir: string): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, [...SOURCE_FLAGS, 'tests/reliability/fixtures/flag-server.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve({ child, port: Number(m[1]) });
      });
      child.once('exit', (code) => reject(new Error(`flag server exited early (${code})`)));
    });
  }

  it('loses no acknowledged flag and leaves no partial record', async () => {
    const dir = join(tmp, 'kill9');
    // Noise images make the files big enough (~150 KB each) for kills to land mid-write.
    const images = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        sharp({ create: { width: 220, height: 220, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 100 + i, sigma: 80 } } }).png().toBuffer(),
      ),
    );
    const acked = new Map<string, { input: string; output: string }>();
    for (const [round, killAfterMs] of [250, 600, 1100, 80].entries()) {
      const { child, port } = await startServer(dir);
      const exited = new Promise((r) => child.once('exit', r));
      let killed = false;
      const worker = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const input = images[(w + i) % images.length]!;
          const output = images[(w + i + 1) % images.length]!;
          try {
            const res = await fetch(`http://127.0.0.1:${port}/api/flag`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ inputs: { image: input.toString('base64'), note: `r${round} w${w} i${i}` }, outputs: { result: dataUrl('image/png', output) }, reason: 'test' }),
            });
            if (res.status === 200) acked.set(((await res.json()) as { id: string }).id, { input: sha(input), output: sha(output) });
          } catch {
            return; // the server died mid-request: that flag was never acknowledged
          }
        }
      };
      const load = Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
      await new Promise((r) => setTimeout(r, killAfterMs));
      child.kill('SIGKILL');
      killed = true;
      await exited;
      await load;
    }
    expect(acked.size).toBeGreaterThan(0);

    const storeDir = join(dir, 'root');
    const raw = await readFile(join(storeDir, 'index.jsonl'), 'utf8');
    const complete = raw.slice(0, raw.lastIndexOf('\n') + 1);
    for (const line of complete.trim().split('\n')) expect(() => JSON.parse(line), line.slice(0, 80)).not.toThrow();

    const store = await FlagStore.open(storeDir);
    const { items } = await store.list(0, 100_000);
    const byId = new Map(items.map((r) => [r.id, r]));
    for (const [id, want] of acked) {
      const rec = byId.get(id);
      expect(rec, `acknowledged flag ${id}`).toBeDefined();
      expect(rec!.files.map((f) => f.sha256)).toEqual([want.input, want.output]);
    }
    // Every listed record is whole: each file is there with the bytes its line describes.
    for (const rec of items) {
      for (const f of rec.files) expect(sha(await readFile(join(storeDir, f.path))), f.path).toBe(f.sha256);
    }
    const files = await readdir(join(storeDir, 'files'));
    expect(files.length).toBe(items.reduce((n, r) => n + r.files.length, 0));
    expect(existsSync(join(storeDir, 'tmp'))).toBe(false);
    console.log(`kill -9: ${acked.size} acknowledged flags over 4 kills, ${items.length} records on disk, ${raw.length - complete.length} bytes of torn tail`);
    await store.close();
  }, 60_000);
});
