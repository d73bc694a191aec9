/** `vitrine build` without a browser: what the site holds, the page's size budget, the Space README, and the one-line refusal of an app that needs Node. */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuild } from '../../framework/cli/build.ts';
import { InterfaceConfigSchema } from '../../framework/server/interface-config.ts';
import { GZIP_BUDGET_BYTES } from '../../framework/server/ui-build.ts';
import { buildStaticSite, type StaticBuildResult } from '../../framework/static/build.ts';

const FASHION = fileURLToPath(new URL('../../apps/fashion-mnist/app.ts', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/not-for-browser/', import.meta.url));
const SHOUT = fileURLToPath(new URL('../fixtures/shout-app.ts', import.meta.url));

let tmp: string;
let site: StaticBuildResult;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-static-'));
  site = await buildStaticSite({ mounts: [{ prefix: '/', module: FASHION, exportName: 'default' }], out: join(tmp, 'site') });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('vitrine build', () => {
  it('writes the page, the app, its model, the runtime WASM from npm, a service worker and the config the server would answer', async () => {
    for (const file of ['index.html', 'ui/vitrine.js', 'vitrine-static.js', 'sw.js', 'app/worker.js', 'app/fashion-mnist.js', 'ort/ort-wasm-simd-threaded.wasm', 'ort/ort-wasm-simd-threaded.mjs', 'api/config', 'examples/0/sneaker.png']) {
      expect(site.files, file).toContain(file);
    }
    expect(site.files.some((f) => /^app\/assets\/model-[0-9a-f]{8}\/model\/model\.onnx$/.test(f))).toBe(true);
    const config = InterfaceConfigSchema.parse(JSON.parse(await readFile(join(site.out, 'api/config'), 'utf8')));
    expect(config.title).toBe('Fashion-MNIST Clothing Classifier');
    expect(config.api.flag).toBeNull();
    const html = await readFile(join(site.out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<)/);
    // Nothing in the site loads from a CDN.
    const worker = await readFile(join(site.out, 'app/worker.js'), 'utf8');
    expect(worker).not.toMatch(/cdn\.jsdelivr|unpkg\.com/);
  });

  it(`keeps the page's own JavaScript (without the worker, the app and the runtime) within ${GZIP_BUDGET_BYTES / 1024} KB gzipped`, () => {
    console.log(`page JavaScript without the runtime: ${(site.pageGzipBytes / 1024).toFixed(1)} KB gzip (budget ${GZIP_BUDGET_BYTES / 1024} KB)`);
    expect(site.pageGzipBytes).toBeGreaterThan(5_000);
    expect(site.pageGzipBytes).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it('writes the README of a static Space, with the headers that allow threads', async () => {
    const readme = await readFile(join(site.out, 'README.md'), 'utf8');
    const front = /^---\n([\s\S]*?)\n---\n/.exec(readme)?.[1] ?? '';
    expect(front).toMatch(/^sdk: static$/m);
    expect(front).toMatch(/^app_file: index\.html$/m);
    expect(front).toMatch(/^title: "Fashion-MNIST Clothing Classifier"$/m);
    expect(front).toMatch(/^ {2}cross-origin-embedder-policy: require-corp$/m);
    expect(front).toMatch(/^ {2}cross-origin-opener-policy: same-origin$/m);
  });

  it('lays several apps out as serve mounts them: the first at the root, the others under their names', async () => {
    const out = join(tmp, 'two');
    const lines: string[] = [];
    expect(await runBuild([SHOUT, FASHION, '--out', out], (l) => lines.push(l), (l) => lines.push(l)), lines.join('\n')).toBe(0);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('"app":"./app/shout-app.js"');
    expect(await readFile(join(out, 'fashion-mnist', 'index.html'), 'utf8')).toContain('"app":"../app/fashion-mnist.js"');
    expect(existsSync(join(out, 'fashion-mnist', 'api', 'config'))).toBe(true);
    expect(existsSync(join(out, 'fashion-mnist', 'examples', '0', 'sneaker.png'))).toBe(true);
  });

  it('lists the apps on the root page when none is mounted there', async () => {
    const out = join(tmp, 'listed');
    expect(await runBuild([`/shout=${SHOUT}`, `/clothes=${FASHION}`, '--out', out], () => {}, () => {})).toBe(0);
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index).toContain('href="shout/"');
    expect(index).toContain('href="clothes/"');
  });

  it('stops with one line naming a Node-only import, exit code 2', async () => {
    const errors: string[] = [];
    const code = await runBuild([join(FIXTURES, 'reads-files.ts'), '--out', join(tmp, 'bad')], () => {}, (l) => errors.push(l));
    expect(code).toBe(2);
    expect(errors).toHaveLength(1);
    expect(errors[0]).not.toContain('\n');
    expect(errors[0]).toMatch(/^vitrine build: .*reads-files\.ts:\d+ imports "node:fs", which runs only in Node/);
    expect(existsSync(join(tmp, 'bad'))).toBe(false);
  });

  it('names the package the app imports, not the built-in deep inside it', async () => {
    const errors: string[] = [];
    const code = await runBuild([join(FIXTURES, 'uses-sharp.ts'), '--out', join(tmp, 'bad2')], () => {}, (l) => errors.push(l));
    expect(code).toBe(2);
    expect(errors[0]).toMatch(/uses-sharp\.ts imports "sharp" \(it needs "[^"]+"\), which runs only in Node/);
  });

  it('refuses a folder that holds something else, and a missing --out', async () => {
    const foreign = join(tmp, 'foreign');
    await mkdir(foreign);
    await writeFile(join(foreign, 'thesis.tex'), 'mine');
    const errors: string[] = [];
    expect(await runBuild([SHOUT, '--out', foreign], () => {}, (l) => errors.push(l))).toBe(1);
    expect(errors[0]).toMatch(/not empty and holds no earlier build/);
    expect(await readFile(join(foreign, 'thesis.tex'), 'utf8')).toBe('mine');
    expect(await runBuild([SHOUT], () => {}, (l) => errors.push(l))).toBe(2);
    expect(errors[1]).toMatch(/^vitrine build: build needs --out DIR/);
  });
});
