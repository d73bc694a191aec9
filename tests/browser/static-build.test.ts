/**
 * The static build of the Fashion-MNIST app in Chromium, served by a plain file server: the demo
 * classifies with no request to any server for predictions, agrees with the server on the
 * committed examples, answers bad input with the server's 4xx, keeps working offline after the
 * first load, and is cross-origin isolated when the host sends the Space's headers.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import type { VitrineInterface } from 'vitrine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildStaticSite } from '../../framework/static/build.ts';
import { importInterface } from '../../framework/server/import-interface.ts';
import { launchChromium, watchPage, type LaunchedChromium, type PageProblems } from './chromium.ts';
import { agreement, browserAnswers, serveFolder, serverAnswers, type StaticHost } from './static-site.ts';

const APP = fileURLToPath(new URL('../../apps/fashion-mnist/app.ts', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../apps/fashion-mnist/examples/', import.meta.url));
const CHAT = fileURLToPath(new URL('../../apps/chat/app.ts', import.meta.url));

let tmp: string;
let site: string;
let host: StaticHost;
let browser: LaunchedChromium;
let page: Page;
let problems: PageProblems;
let iface: VitrineInterface;

/** Opens the demo and waits until the worker has loaded the model. */
async function open(p: Page, origin: string): Promise<void> {
  await p.goto(`${origin}/`);
  await p.waitForFunction(() => document.documentElement.dataset.vitrineReady !== undefined, null, { timeout: 60_000 });
}

const dataUrl = async (file: string) => `data:image/${file.endsWith('.jpg') ? 'jpeg' : 'png'};base64,${(await readFile(join(EXAMPLES, file))).toString('base64')}`;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'vitrine-static-e2e-'));
  site = join(tmp, 'site');
  await buildStaticSite({ mounts: [{ prefix: '/', module: APP, exportName: 'default' }], out: site });
  iface = await importInterface({ module: APP });
  host = await serveFolder(site);
  browser = await launchChromium();
  page = await browser.context.newPage();
  problems = watchPage(page);
  await open(page, host.origin);
});

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('the static build in Chromium', () => {
  it('classifies an example from the page, with no request to a server for predictions', async () => {
    await page.getByRole('button', { name: /^Run example \d+: trouser\.png$/ }).click();
    await expect.poll(() => page.locator('vt-interface vt-label .top').textContent(), { timeout: 30_000 }).toBe('Trouser');
    await page.getByRole('button', { name: /^Run example \d+: photo-sneaker\.jpg$/ }).click();
    await expect.poll(() => page.locator('vt-interface vt-label .top').textContent(), { timeout: 30_000 }).toBe('Sneaker');
    expect(host.requests.filter((r) => r.includes('/api/predict'))).toEqual([]);
    expect(host.requests.every((r) => r.startsWith('GET '))).toBe(true);
    expect(problems.all()).toEqual([]);
  });

  it('gives the top-1 class the server gives on every committed example', async () => {
    const files = (await readdir(EXAMPLES)).filter((f) => /\.(png|jpg)$/.test(f)).sort();
    const urls = await Promise.all(files.map(dataUrl));
    const inBrowser = await browserAnswers(page, urls);
    const onServer = await serverAnswers(iface, urls);
    const { same, total, differing } = agreement(inBrowser, onServer);
    console.log(`committed examples: browser top-1 = server top-1 on ${same}/${total}${differing.map((i) => `; ${files[i]}: ${inBrowser[i]!.top} vs ${onServer[i]!.top}`).join('')}`);
    expect(differing.map((i) => files[i])).toEqual([]);
  });

  it("answers bad input with the server's 4xx and keeps working", async () => {
    const ask = (body: unknown) =>
      page.evaluate(async (b) => {
        const el = document.querySelector('vt-interface') as HTMLElement & { fetcher: typeof fetch };
        const r = await el.fetcher('api/predict', { method: 'POST', body: JSON.stringify(b) });
        return { status: r.status, body: (await r.json()) as { error: string; field?: string; message: string } };
      }, body);
    const tiff = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]).toString('base64');
    const cases: Array<[unknown, number, string]> = [
      [{}, 400, 'MISSING_INPUT'],
      [{ image: 'not base64 at all!' }, 400, 'INVALID_IMAGE'],
      [{ image: Buffer.from('label,value\na,1\n').toString('base64') }, 400, 'INVALID_IMAGE'],
      [{ image: (await dataUrl('bag.png')).slice(0, 80) }, 400, 'INVALID_IMAGE'],
      [{ image: tiff }, 400, 'INVALID_IMAGE'],
      [{ image: await dataUrl('bag.png'), extra: 1 }, 400, 'UNKNOWN_FIELD'],
      ['just a string', 400, 'BAD_REQUEST'],
      // The server decodes TIFF with sharp; browsers cannot, and say so by name.
      [{ image: (await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).tiff().toBuffer()).toString('base64') }, 415, 'UNSUPPORTED_IMAGE'],
    ];
    for (const [body, status, error] of cases) {
      const answer = await ask(body);
      expect({ status: answer.status, error: answer.body.error }, JSON.stringify(body).slice(0, 60)).toEqual({ status, error });
      expect(answer.body.message).not.toMatch(/\n\s+at /);
    }
    const ok = await ask({ image: await dataUrl('bag.png') });
    expect(ok.status).toBe(200);
  });

  it('works offline after the first load', async () => {
    await page.waitForFunction(() => document.documentElement.dataset.vitrineOffline === 'ready', null, { timeout: 30_000 });
    const before = host.requests.length;
    await browser.context.setOffline(true);
    try {
      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.vitrineReady !== undefined, null, { timeout: 60_000 });
      const [answer] = await browserAnswers(page, [await dataUrl('sandal.png')]);
      expect(answer!.top).toBe('Sandal');
      // Only the browser's own update check of the service worker may get through: it ignores the
      // page's offline emulation (really offline it fails, and the installed worker stays).
      expect(host.requests.slice(before).filter((r) => r !== 'GET /sw.js')).toEqual([]);
    } finally {
      await browser.context.setOffline(false);
    }
  });

  it('runs a ChatInterface from the worker too: the chat sends its messages there', async () => {
    const chatSite = join(tmp, 'chat');
    await buildStaticSite({ mounts: [{ prefix: '/', module: CHAT, exportName: 'default' }], out: chatSite });
    const chatHost = await serveFolder(chatSite);
    const p = await browser.context.newPage();
    try {
      await open(p, chatHost.origin);
      const box = p.getByRole('textbox', { name: 'Message' });
      await box.fill('hello');
      await box.press('Enter');
      const replies = p.getByRole('log', { name: 'Conversation' }).locator('.message.assistant');
      await expect.poll(async () => (await replies.allInnerTexts()).join(' '), { timeout: 30_000 }).toMatch(/Hello!/);
      expect(chatHost.requests.filter((r) => r.includes('/api/predict'))).toEqual([]);
    } finally {
      await p.close();
      await chatHost.close();
    }
  });

  it('is cross-origin isolated under the Space headers, and says how many threads it runs', async () => {
    const isolated = await serveFolder(site, { isolated: true });
    const p = await browser.context.newPage();
    const logs: string[] = [];
    p.on('console', (m) => logs.push(m.text()));
    try {
      await open(p, isolated.origin);
      expect(await p.evaluate(() => self.crossOriginIsolated)).toBe(true);
      expect(logs.join('\n')).toMatch(/ONNX Runtime Web [\d.]+ \(WASM SIMD\) loaded model\.onnx .*\d+ threads? \(cross-origin isolated\)/);
      const [answer] = await browserAnswers(p, [await dataUrl('coat.png')]);
      expect(answer!.top).toBe('Coat');
    } finally {
      await p.close();
      await isolated.close();
    }
  });
});
