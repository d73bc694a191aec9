/** Serves a `vitrine build` folder as a plain static host would (files only, no API), optionally cross-origin isolated, and records every request. */
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import type { VitrineInterface } from 'vitrine';
import { executeBatch } from '../../framework/runtime/execute.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.md': 'text/markdown',
  '': 'application/json',
};

/** The headers a static Space sets from the README's `custom_headers`, which make the page cross-origin isolated. */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
};

export interface StaticHost {
  origin: string;
  /** Every request, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 (port 0): GET only, `index.html` for a folder, 404 otherwise.
 *
 * @example
 * const host = await serveFolder('/tmp/site', { isolated: true });
 */
export async function serveFolder(dir: string, opts: { isolated?: boolean } = {}): Promise<StaticHost> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    const headers: Record<string, string> = { 'cache-control': 'no-cache', ...(opts.isolated ? ISOLATION_HEADERS : {}) };
    void (async () => {
      let file = normalize(join(dir, path));
      if (!file.startsWith(dir) || req.method !== 'GET') return res.writeHead(req.method === 'GET' ? 404 : 405, headers).end();
      if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file).catch(() => null);
      if (!body) return res.writeHead(404, headers).end();
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One answer of the page's worker: the top-1 label (or `<status> <error code>`) and the time the page waited for it. */
export interface BrowserAnswer {
  top: string;
  ms: number;
}

/**
 * Sends each data URL to the page's `api/predict` as `<vt-interface>` does (its `fetcher`, which a
 * static page points at the Web Worker), one after the other, in chunks of `chunk` per evaluate.
 *
 * @example
 * const answers = await browserAnswers(page, [pngDataUrl]); // [{ top: 'Sneaker', ms: 4.2 }]
 */
export async function browserAnswers(page: Page, dataUrls: readonly string[], chunk = 250): Promise<BrowserAnswer[]> {
  const out: BrowserAnswer[] = [];
  for (let i = 0; i < dataUrls.length; i += chunk) {
    out.push(
      ...(await page.evaluate(async (urls) => {
        const el = document.querySelector('vt-interface') as HTMLElement & { fetcher: typeof fetch };
        const answers: Array<{ top: string; ms: number }> = [];
        for (const image of urls) {
          const t = performance.now();
          const response = await el.fetcher('api/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ image }) });
          const body = (await response.json()) as { label?: { label: string }; error?: string };
          answers.push({ top: body.label?.label ?? `${response.status} ${body.error}`, ms: performance.now() - t });
        }
        return answers;
      }, dataUrls.slice(i, i + chunk))),
    );
  }
  return out;
}

/**
 * The server's answers for the same pictures, in this process: the app's Interface through the
 * server's own steps (the Image component's wire reading and sharp decoding, the function,
 * postprocessing), one request at a time.
 *
 * @example
 * const tops = await serverAnswers(iface, [pngDataUrl]); // ['Sneaker']
 */
export async function serverAnswers(iface: VitrineInterface, dataUrls: readonly string[]): Promise<BrowserAnswer[]> {
  const input = iface.inputs[0]!;
  const out: BrowserAnswer[] = [];
  for (const image of dataUrls) {
    const t = performance.now();
    const [outcome] = await executeBatch(iface, [{ [input.name]: input.component.toTransport(image, { field: input.name }) }]);
    const label = outcome?.ok ? (outcome.outputs.label as { label: string }).label : 'error';
    out.push({ top: label, ms: performance.now() - t });
  }
  return out;
}

/** How many answers agree, and which do not. */
export function agreement(a: readonly BrowserAnswer[], b: readonly BrowserAnswer[]): { same: number; total: number; rate: number; differing: number[] } {
  const differing = a.flatMap((x, i) => (x.top === b[i]?.top ? [] : [i]));
  return { same: a.length - differing.length, total: a.length, rate: (a.length - differing.length) / Math.max(1, a.length), differing };
}
