/**
 * `/docs` in Chromium against the real server, under its CSP: Swagger UI lists the operations of
 * each app's OpenAPI document, and "Try it out" → "Execute" on POST /api/predict (with the
 * document's own example body) gets a 200. No console errors or CSP violations.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchPage, type LaunchedChromium, type PageProblems } from './chromium.ts';
import { startRealApp, type RunningApp } from './real-app.ts';

const EFFECTS = fileURLToPath(new URL('../../apps/image-effects/app.ts', import.meta.url));
const MEASURE = fileURLToPath(new URL('../gradio/fixtures/measure-app.ts', import.meta.url));

let running: RunningApp;
let browser: LaunchedChromium;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  running = await startRealApp([
    { prefix: '/image-effects', module: EFFECTS, workers: 0 },
    { prefix: '/', module: MEASURE, workers: 0 },
  ]);
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  problems = watchPage(page);
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** Opens an app's /docs, runs POST /api/predict from it and returns the status Swagger UI shows. */
async function tryPredict(base: string): Promise<string> {
  await page.goto(`${running.origin}${base}docs`);
  const operation = page.locator('.opblock-post').filter({ has: page.locator('.opblock-summary-path', { hasText: /^\/api\/predict$/ }) });
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  return (await status.textContent())?.trim() ?? '';
}

describe('/docs (Swagger UI)', () => {
  it('lists the operations of the image-effects app and runs its predict example with a 200', async () => {
    expect(await tryPredict('/image-effects/')).toBe('200');
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths).toEqual(expect.arrayContaining(['/api/predict', '/api/config', '/healthz']));
    const body = await page.locator('.live-responses-table .response-col_description .microlight').first().textContent();
    expect(JSON.parse(body ?? '{}')).toHaveProperty('result');
    expect(problems.all()).toEqual([]);
  });

  it('works for every app: the one mounted at / too', async () => {
    expect(await tryPredict('/')).toBe('200');
    expect(problems.all()).toEqual([]);
  });
});
