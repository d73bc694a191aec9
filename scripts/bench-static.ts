/**
 * `npm run bench:static`: builds the Fashion-MNIST app's static site and prints, from this
 * machine's Chromium, its first-load bytes (gzip), the time to the first answer (cold and from
 * the service worker's cache), and the per-picture latency in the browser against the server's.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildStaticSite } from '../framework/static/build.ts';
import { launchChromium } from '../tests/browser/chromium.ts';
import { browserAnswers, serveFolder } from '../tests/browser/static-site.ts';
import { APP_MODULE, isMain, startServer } from './bench-accuracy.ts';

const EXAMPLES = join(APP_MODULE, '..', 'examples');

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, mean ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(2)} ms (n = ${s.length})`;
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({ options: { count: { type: 'string', default: '320', short: 'n' }, isolated: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  if (args.help) {
    console.log(`Usage: npm run bench:static -- [--count 320] [--isolated]
  --count     predictions per place for the latency figures (the committed examples, cycled)
  --isolated  serve with the Space's COOP/COEP headers (threads where the cores allow)`);
    return;
  }
  const tmp = await mkdtemp(join(tmpdir(), 'vitrine-bench-static-'));
  const host = await (async () => {
    const site = await buildStaticSite({ mounts: [{ prefix: '/', module: APP_MODULE, exportName: 'default' }], out: join(tmp, 'site') });
    console.log(`site: ${site.files.length} files; page JavaScript without the runtime ${(site.pageGzipBytes / 1024).toFixed(1)} KB gzip (budget 60 KB)`);
    return { site: site.out, server: await serveFolder(site.out, { isolated: args.isolated }) };
  })();
  const browser = await launchChromium();
  try {
    const files = (await readdir(EXAMPLES)).filter((f) => /\.(png|jpg)$/.test(f)).sort();
    const urls = await Promise.all(files.map(async (f) => `data:image/${f.endsWith('.jpg') ? 'jpeg' : 'png'};base64,${(await readFile(join(EXAMPLES, f))).toString('base64')}`));

    // Cold: a fresh profile, nothing cached. The first answer is asked for as soon as the page
    // has built itself; it waits in the worker for the model.
    const page = await browser.context.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    const firstAnswer = async () => {
      await page.waitForFunction(() => document.querySelector('vt-interface')?.shadowRoot?.querySelector('vt-image') != null, null, { timeout: 60_000 });
      return page.evaluate(async (image) => {
        const el = document.querySelector('vt-interface') as HTMLElement & { fetcher: typeof fetch };
        const r = await el.fetcher('api/predict', { method: 'POST', body: JSON.stringify({ image }) });
        const body = (await r.json()) as { label?: { label: string } };
        return { ms: performance.now(), top: body.label?.label };
      }, urls[files.indexOf('photo-sneaker.jpg')]!);
    };
    await page.goto(`${host.server.origin}/`);
    const cold = await firstAnswer();
    const loaded = [...new Set(host.server.requests.map((r) => r.replace(/^GET /, '')))];
    let raw = 0;
    let gz = 0;
    for (const path of loaded) {
      const bytes = await readFile(join(host.site, path.endsWith('/') ? `${path}index.html` : path)).catch(() => null);
      if (!bytes) continue;
      raw += bytes.byteLength;
      gz += gzipSync(bytes, { level: 6 }).byteLength;
    }
    const wasm = gzipSync(await readFile(join(host.site, 'ort', 'ort-wasm-simd-threaded.wasm')), { level: 6 }).byteLength;
    console.log(`first load: ${loaded.length} files, ${(raw / 1e6).toFixed(2)} MB raw, ${(gz / 1e6).toFixed(2)} MB gzip (of which ORT's WASM ${(wasm / 1e6).toFixed(2)} MB)`);
    console.log(`time to first answer, cold (${cold.top}): ${cold.ms.toFixed(0)} ms after navigation`);
    console.log(`runtime: ${logs.find((l) => l.includes('ONNX Runtime')) ?? 'no load line'}`);
    await page.waitForFunction(() => document.documentElement.dataset.vitrineOffline === 'ready', null, { timeout: 30_000 });
    const before = host.server.requests.length;
    await page.reload();
    const warm = await firstAnswer();
    console.log(`time to first answer, from the service worker's cache: ${warm.ms.toFixed(0)} ms after navigation (${host.server.requests.length - before} requests reached the host)`);

    const count = Number(args.count);
    const batch = Array.from({ length: count }, (_, i) => urls[i % urls.length]!);
    const inBrowser = await browserAnswers(page, batch);
    console.log(`per picture in the browser (Web Worker, one at a time, committed examples): ${stats(inBrowser.map((a) => a.ms))}`);
    await page.close();

    const server = await startServer();
    try {
      const ms: number[] = [];
      for (const image of batch) {
        const t = performance.now();
        const res = await fetch(new URL('api/predict', server.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image }) });
        await res.arrayBuffer();
        ms.push(performance.now() - t);
      }
      console.log(`per picture on the server (HTTP on 127.0.0.1, one at a time, same pictures): ${stats(ms)}`);
    } finally {
      await server.close();
    }
  } finally {
    await browser.close();
    await host.server.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
