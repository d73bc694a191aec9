/**
 * Embedding, end to end: a page on another origin loads the bundle from the real server and places
 * `<vt-interface src="http://127.0.0.1:<port>">`; with that origin on the server's CORS allow-list
 * the demo loads, runs an example and flags, all under the embedding page's own strict CSP.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage, type LaunchedChromium, type PageProblems } from './chromium.ts';
import { startRealApp, waitForInterface, type RunningApp } from './real-app.ts';
import { serveRoutes, type TestServer } from './static-server.ts';

const APP = fileURLToPath(new URL('../../apps/image-effects/app.ts', import.meta.url));

let host: TestServer;
let running: RunningApp;
let browser: LaunchedChromium;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  let appOrigin = '';
  // `localhost` and `127.0.0.1` are different origins, so this page is a third-party embedder.
  host = await serveRoutes(
    {
      '/': () => ({
        type: 'text/html; charset=utf-8',
        headers: {
          'content-security-policy': `default-src 'self'; script-src 'self' ${appOrigin}; connect-src 'self' ${appOrigin}; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'`,
        },
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog post</title><link rel="icon" href="data:,">
<script type="module" src="${appOrigin}/assets/vitrine.js"></script></head>
<body><h1>My blog</h1><p>Try the demo:</p><vt-interface src="${appOrigin}"></vt-interface></body></html>`,
      }),
    },
    { host: 'localhost' },
  );
  running = await startRealApp([{ module: APP, workers: 0 }], { security: { corsOrigins: [host.origin] } });
  appOrigin = running.origin;
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  problems = watchPage(page);
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await host?.close();
});

describe('embedding <vt-interface> on another origin', () => {
  it('loads the config, shows thumbnails, runs an example and flags the result', async () => {
    await page.goto(`${host.origin}/`);
    await waitForInterface(page);
    await expect(page.getByRole('heading', { level: 1, name: 'Image effects' }).count()).resolves.toBe(1);
    // The embedder's img-src does not list the server, so thumbnails arrive as data URLs.
    await expect
      .poll(() => page.locator('vt-interface .example img').first().getAttribute('src'), { timeout: 10_000 })
      .toMatch(/^data:image\/jpeg;base64,/);
    await page.getByRole('button', { name: /^Run example 1:/ }).click();
    await expect
      .poll(() => page.locator('vt-interface vt-image[readonly] img').getAttribute('src'), { timeout: 20_000 })
      .toMatch(/^data:image\/png;base64,/);
    await page.getByRole('button', { name: 'Flag' }).click();
    await expect.poll(() => page.getByText('Flagged. Thank you.').count(), { timeout: 10_000 }).toBe(1);
    await page.getByText('Use via API').click();
    await expect(page.locator('vt-interface .snippet pre').first().textContent()).resolves.toContain(`${running.origin}/api/predict`);
    expect(problems.all()).toEqual([]);
  });
});
