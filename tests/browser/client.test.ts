/**
 * `vitrine/client` in a browser: bundled by esbuild for the browser (which refuses any Node
 * module), loaded by a page on another origin, calling a real server through its CORS allow-list
 * with a Blob, a data: URL and a run-time check.
 */
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Image, Interface, Textbox } from 'vitrine';
import { launchChromium, watchPage, type LaunchedChromium, type PageProblems } from './chromium.ts';
import { startRealApp, type RunningApp } from './real-app.ts';
import { pageCsp, serveRoutes, type TestServer } from './static-server.ts';

const CLIENT_ENTRY = fileURLToPath(new URL('../../framework/client/index.ts', import.meta.url));

const sizes = Interface({
  fn: ({ image, caption }) => ({ size: `${caption}: ${image.width}×${image.height}` }),
  inputs: { image: Image(), caption: Textbox() },
  outputs: { size: Textbox() },
  workers: 0,
});

let bundle: string;
let host: TestServer;
let running: RunningApp;
let browser: LaunchedChromium;
let page: Page;
let problems: PageProblems;
let pngBase64: string;

beforeAll(async () => {
  const result = await build({ entryPoints: [CLIENT_ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  bundle = result.outputFiles[0]!.text;
  pngBase64 = (await sharp({ create: { width: 6, height: 4, channels: 3, background: '#884422' } }).png().toBuffer()).toString('base64');
  host = await serveRoutes(
    {
      '/': () => ({
        type: 'text/html; charset=utf-8',
        // The page may connect to the app's server, and to nothing else.
        headers: { 'content-security-policy': pageCsp([running.origin]) },
        body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>client</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script></head><body></body></html>',
      }),
      '/client.js': () => ({ type: 'text/javascript', body: bundle }),
      // What an app's page script would do: import the client and use it.
      '/page.js': () => ({ type: 'text/javascript', body: "import { connect } from '/client.js';\nwindow.vitrineConnect = connect;\n" }),
    },
    // `localhost` and `127.0.0.1` are different origins: the page calls the server across origins.
    { host: 'localhost', csp: pageCsp() },
  );
  running = await startRealApp([{ interface: sizes }], { security: { corsOrigins: [host.origin] } });
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  problems = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await host?.close();
});

describe('vitrine/client in the browser', () => {
  it('bundles for the browser without a Node module', () => {
    expect(bundle).not.toMatch(/from\s*["']node:/);
    expect(bundle).toContain('node:fs/promises'); // the one Node module, named only in the dynamic import for file paths
  });

  it('loads zod only to read the server description: split, the entry is a few KB', async () => {
    const split = await build({ entryPoints: [CLIENT_ENTRY], bundle: true, format: 'esm', platform: 'browser', splitting: true, outdir: 'out', minify: true, write: false, logLevel: 'silent' });
    const entry = split.outputFiles.find((f) => f.path.endsWith('/index.js'))!;
    expect(split.outputFiles.length).toBeGreaterThan(1);
    expect(gzipSync(entry.contents).byteLength).toBeLessThan(10 * 1024);
  });

  it('predicts with a Blob and a data: URL, and checks inputs before sending', async () => {
    await page.goto(`${host.origin}/`);
    await page.waitForFunction(() => 'vitrineConnect' in window);
    const results = await page.evaluate(
      async ({ server, base64 }) => {
        const connect = (window as unknown as { vitrineConnect: typeof import('vitrine/client').connect }).vitrineConnect;
        const client = connect(server);
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const fromBlob = await client.predict({ image: new Blob([bytes], { type: 'image/png' }), caption: 'blob' });
        const fromDataUrl = await client.predict({ image: `data:image/png;base64,${base64}`, caption: 'data URL' });
        const refused = await client.predict({ image: new Blob([bytes]), caption: 'x', colour: 'red' }).catch((e: { code: string; field: string }) => [e.code, e.field]);
        const path = await client.predict({ image: '/tmp/picture.png', caption: 'x' }).catch((e: { code: string; message: string }) => [e.code, e.message]);
        return { fromBlob, fromDataUrl, refused, path };
      },
      { server: running.origin, base64: pngBase64 },
    );
    expect(results.fromBlob).toEqual({ size: 'blob: 6×4' });
    expect(results.fromDataUrl).toEqual({ size: 'data URL: 6×4' });
    expect(results.refused).toEqual(['UNKNOWN_FIELD', 'colour']);
    expect(results.path).toEqual(['INVALID_INPUT', 'Invalid value for "image": a file path can only be read in Node; pass a Blob or a data: URL']);
    expect(problems.all()).toEqual([]);
  });
});
