/** `vitrine onnx` (and `npm run serve:onnx`, which runs it): start-up errors printed as one line (no stack), a model served end to end, and the spec reaching the app module in worker threads. */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from 'vitrine';
import { COLOURS, coloursModel, tabularModel, writeModel } from '../../tests/fixtures/onnx-models.ts';
import { dataUrl, solidPng } from '../../tests/fixtures/images.ts';
import { postJson, settled } from '../../tests/http/helpers.ts';
import { resolveClassifierSpec, SPEC_ENV } from '../../framework/onnx/classifier/spec.ts';
import { SOURCE_FLAGS, freePort } from '../../scripts/lib/server-process.ts';

const CLI = fileURLToPath(new URL('../../framework/cli.ts', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-serve-onnx-'));
  await writeFile(join(dir, 'colours.json'), JSON.stringify(COLOURS));
});

/** Runs the CLI to its exit; it must fail before listening for these cases. */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [...SOURCE_FLAGS, CLI, 'onnx', ...args], { timeout: 60_000, env: { ...process.env, PORT: '1' } });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('vitrine onnx start-up errors', () => {
  it.each([
    ['a missing model', () => [join(dir, 'missing.onnx')], /^vitrine: no model file at .*missing\.onnx\n$/],
    ['a non-image model', async () => [await writeModel(dir, 'tab.onnx', tabularModel()), '--labels', join(dir, 'colours.json')], /^vitrine: input "features" \(float32 \[batch, 10\]\) is not an image/],
    ['no model at all', () => [], /^vitrine: onnx takes exactly one model file, e.g. vitrine onnx model.onnx --labels labels.json\n\nUsage: vitrine serve/],
    ['a malformed --mean', () => ['m.onnx', '--mean', '0.5,x'], /^vitrine: --mean takes one number or one per channel, separated by commas; got "0.5,x"\n/],
  ])('exits 2 with one clear line for %s', async (_what, args, message) => {
    const { code, stderr } = await cli(...(await args()));
    expect(code).toBe(2);
    expect(stderr.replace(/^npm warn.*\n/gm, '')).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('vitrine onnx serves a model', () => {
  it('says what it read from the model and where it serves it, then classifies over HTTP', async () => {
    const model = await writeModel(dir, 'colours.onnx', coloursModel());
    const port = await freePort();
    const child = spawn(process.execPath, [...SOURCE_FLAGS, CLI, 'onnx', model, '--labels', join(dir, 'colours.json'), '--port', String(port), '--title', 'Colours'], {
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!out.includes(' at http://') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out, err).toBe(`vitrine: ${model}: NHWC RGB 4×4, 3 classes, top 3\nvitrine: ${model} at http://127.0.0.1:${port}/\n`);
      const res = await fetch(`http://127.0.0.1:${port}/api/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ image: dataUrl(await solidPng(4, 4, '#00ff00')) }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { label: { label: string } }).label.label).toBe('green');
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 90_000);
});

describe('the app module', () => {
  let app: FastifyInstance | undefined;
  afterAll(async () => {
    await app?.close();
    delete process.env[SPEC_ENV];
  });

  it('reads the spec from the environment in the main thread and in its worker threads', async () => {
    const spec = await resolveClassifierSpec({ model: await writeModel(dir, 'c3.onnx', coloursModel()), labels: join(dir, 'colours.json'), title: 'From env' });
    process.env[SPEC_ENV] = JSON.stringify(spec);
    app = await buildApp({ apps: [{ module: fileURLToPath(new URL('../../framework/onnx/classifier/app.ts', import.meta.url)), workers: 1 }], logger: false });
    expect(await settled(app)).toBe('ready');
    expect(((await app.inject({ method: 'GET', url: '/api/config' })).json() as { title: string }).title).toBe('From env');
    const res = await postJson(app, '/api/predict', { image: dataUrl(await solidPng(4, 4, '#00ff00')) });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { label: { label: string } }).label.label).toBe('green');
  });
});
