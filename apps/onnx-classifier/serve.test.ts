/** `npm run serve:onnx`'s two halves: start-up errors printed as one line (no stack), and the spec reaching the app module in worker threads. */
import { execFile } from 'node:child_process';
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
import { resolveClassifierSpec, SPEC_ENV } from './spec.ts';
import { SOURCE_FLAGS } from '../../scripts/lib/server-process.ts';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-serve-onnx-'));
  await writeFile(join(dir, 'colours.json'), JSON.stringify(COLOURS));
});

/** Runs the CLI to its exit; it must fail before listening for these cases. */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await promisify(execFile)(process.execPath, [...SOURCE_FLAGS, SERVE, ...args], { timeout: 60_000, env: { ...process.env, PORT: '1' } });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('serve:onnx start-up errors', () => {
  it.each([
    ['a missing model', () => [join(dir, 'missing.onnx')], /^error: no model file at .*missing\.onnx\n$/],
    ['a non-image model', async () => [await writeModel(dir, 'tab.onnx', tabularModel()), '--labels', join(dir, 'colours.json')], /^error: input "features" \(float32 \[batch, 10\]\) is not an image/],
    ['no model at all', () => [], /^error: give exactly one model file\n\nUsage: npm run serve:onnx/],
  ])('exits 2 with one clear line for %s', async (_what, args, message) => {
    const { code, stderr } = await cli(...(await args()));
    expect(code).toBe(2);
    expect(stderr.replace(/^npm warn.*\n/gm, '')).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
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
    app = await buildApp({ apps: [{ module: fileURLToPath(new URL('./app.ts', import.meta.url)), workers: 1 }], logger: false });
    expect(await settled(app)).toBe('ready');
    expect(((await app.inject({ method: 'GET', url: '/api/config' })).json() as { title: string }).title).toBe('From env');
    const res = await postJson(app, '/api/predict', { image: dataUrl(await solidPng(4, 4, '#00ff00')) });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { label: { label: string } }).label.label).toBe('green');
  });
});
