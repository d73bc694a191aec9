/** The `--import` hook of `--reload`: every file any thread loads reaches the supervisor, worker-only imports and JSON included, installed packages not. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModulesMessage } from './module-graph.ts';

const HOOK = new URL('./module-graph.ts', import.meta.url).href;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vitrine-module-graph-'));
  await mkdir(join(dir, 'node_modules', 'dep'), { recursive: true });
  await writeFile(join(dir, 'node_modules', 'dep', 'package.json'), JSON.stringify({ name: 'dep', type: 'module', exports: './index.js' }));
  await writeFile(join(dir, 'node_modules', 'dep', 'index.js'), 'export const dep = 1;\n');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(dir, 'main.js'), "import './lib.js';\nimport 'dep';\nimport { Worker } from 'node:worker_threads';\nnew Worker(new URL('./worker.js', import.meta.url));\n");
  await writeFile(join(dir, 'lib.js'), 'export const lib = 1;\n');
  // What only a worker loads: an app's `load()` importing its model code and labels.
  await writeFile(join(dir, 'worker.js'), "await import('./only-in-worker.js');\nawait import('./labels.json', { with: { type: 'json' } });\n");
  await writeFile(join(dir, 'only-in-worker.js'), 'export const w = 1;\n');
  await writeFile(join(dir, 'labels.json'), '["a","b"]\n');
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('module-graph.ts', () => {
  it('reports the files of every thread over the IPC channel, and lets the process exit', async () => {
    const child = spawn(process.execPath, [`--import=${HOOK}`, join(dir, 'main.js')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const files = new Set<string>();
    child.on('message', (m: ModulesMessage) => m.files.forEach((f) => files.add(f)));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, stderr).toBe(0);
    expect([...files].filter((f) => f.startsWith(dir)).sort()).toEqual(['labels.json', 'lib.js', 'main.js', 'only-in-worker.js', 'worker.js'].map((f) => join(dir, f)));
  });

  it('reports the files the server announces besides its imports: an app element that esbuild bundles', async () => {
    const announce = new URL('../runtime/loaded-files.ts', import.meta.url).href;
    await writeFile(join(dir, 'announce.mjs'), `import { announceLoadedFiles } from ${JSON.stringify(announce)};\nannounceLoadedFiles([${JSON.stringify(join(dir, 'element.ts'))}]);\n`);
    const child = spawn(process.execPath, [`--import=${HOOK}`, join(dir, 'announce.mjs')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const files = new Set<string>();
    child.on('message', (m: ModulesMessage) => m.files.forEach((f) => files.add(f)));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(0);
    expect(files.has(join(dir, 'element.ts'))).toBe(true);
  });
});
