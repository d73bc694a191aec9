/** The static page's glue: starts the app's Web Worker, lets `<vt-interface>` send `api/predict` to it instead of a server, and registers the service worker that keeps the site for offline use. */
import type { ErrorBody } from '../errors.ts';
import type { FromWorker, ToWorker } from './messages.ts';

/** What the build writes into the page (`<script type="application/json" id="vitrine-static">`), URLs relative to the page. */
export interface StaticPageSettings {
  worker: string;
  app: string;
  exportName?: string;
  serviceWorker: string | null;
}

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * A fetch that answers `POST …api/predict` from the worker (same status and JSON body as the
 * server) and passes every other request to `fallback`. An aborted signal rejects as fetch does.
 *
 * @example
 * element.fetcher = workerFetch(worker, fetch);
 */
export function workerFetch(worker: Worker, fallback: Fetch): Fetch {
  let next = 0;
  const waiting = new Map<number, (answer: { status: number; body: unknown }) => void>();
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    if (m.type === 'answer') {
      waiting.get(m.id)?.(m);
      waiting.delete(m.id);
    } else if (m.type === 'failed') {
      for (const resolve of waiting.values()) resolve({ status: 503, body: m.error });
      waiting.clear();
    }
  });
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), document.baseURI);
    if (!url.pathname.endsWith('/api/predict') || (init?.method ?? 'GET').toUpperCase() !== 'POST') return fallback(input, init);
    const signal = init?.signal;
    signal?.throwIfAborted();
    let body: unknown;
    try {
      body = JSON.parse(typeof init?.body === 'string' ? init.body : '');
    } catch {
      body = undefined;
    }
    const id = next++;
    const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      waiting.set(id, resolve);
      signal?.addEventListener('abort', () => {
        waiting.delete(id);
        reject(signal.reason);
      });
      worker.postMessage({ type: 'predict', id, body } satisfies ToWorker);
    });
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
}

/** Asks the service worker to keep what this page and its worker fetched (they may have loaded before it took control). */
async function keepForOffline(resources: readonly string[]): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  const own = performance.getEntriesByType('resource').map((e) => e.name);
  const urls = [...new Set([location.href, ...own, ...resources])].filter((u) => new URL(u).origin === location.origin);
  const channel = new MessageChannel();
  const done = new Promise<void>((resolve) => (channel.port1.onmessage = () => resolve()));
  registration.active?.postMessage({ type: 'keep', urls }, [channel.port2]);
  await done;
  document.documentElement.dataset.vitrineOffline = 'ready';
}

/** Starts everything for the page's `<vt-interface>`; the settings come from the page itself. */
function start(): void {
  const settings = JSON.parse(document.getElementById('vitrine-static')?.textContent ?? '{}') as StaticPageSettings;
  const element = document.querySelector('vt-interface') as (HTMLElement & { fetcher?: Fetch }) | null;
  if (!element) return;
  const worker = new Worker(new URL(settings.worker, document.baseURI), { type: 'module', name: 'vitrine-app' });
  element.fetcher = workerFetch(worker, (input, init) => fetch(input, init));
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    const m = event.data;
    // The page's entry point, like a CLI's: the browser console is where its log goes (which runtime, how many threads).
    // eslint-disable-next-line no-console
    if (m.type === 'log') console.info(`[vitrine] ${m.message}`);
    if (m.type === 'failed') console.error(`[vitrine] ${(m.error satisfies ErrorBody).message}`);
    if (m.type === 'ready') {
      document.documentElement.dataset.vitrineReady = String(Math.round(m.ms));
      if (settings.serviceWorker) void keepForOffline(m.resources).catch((err: unknown) => console.warn('[vitrine] offline cache:', err));
    }
  });
  worker.postMessage({ type: 'load', app: new URL(settings.app, document.baseURI).href, ...(settings.exportName ? { exportName: settings.exportName } : {}) } satisfies ToWorker);
  if (settings.serviceWorker && 'serviceWorker' in navigator) {
    void navigator.serviceWorker.register(new URL(settings.serviceWorker, document.baseURI)).catch((err: unknown) => console.warn('[vitrine] no offline use:', err));
  }
}

start();
