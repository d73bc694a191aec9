/** The static site's service worker: keeps every same-origin file the site fetched (and what the page asks it to keep), so the demo works offline after its first load. */

/** The build's id, set by `vitrine build` (esbuild `define`): a new build starts a new cache. */
declare const VITRINE_BUILD: string;

interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface KeepMessage extends ExtendableEvent {
  data: { type: 'keep'; urls: string[] };
  ports: readonly MessagePort[];
}
const sw = globalThis as unknown as {
  addEventListener(type: 'install' | 'activate', f: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', f: (e: FetchEvent) => void): void;
  addEventListener(type: 'message', f: (e: KeepMessage) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
};

const CACHE = `vitrine-${VITRINE_BUILD}`;

sw.addEventListener('install', (event) => event.waitUntil(sw.skipWaiting()));

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('vitrine-') && name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

/** Cache first (the files of one build never change), then the network, keeping what it answers. */
sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== sw.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(request, { ignoreSearch: false });
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
      return response;
    })(),
  );
});

/** The page lists what it and its worker loaded before this worker took control; keep the ones not kept yet. */
sw.addEventListener('message', (event) => {
  if (event.data?.type !== 'keep') return;
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const url of event.data.urls) {
        if (new URL(url).origin !== sw.location.origin || (await cache.match(url))) continue;
        // The page has just loaded these: the HTTP cache has them, even when the host says no-cache.
        const response = await fetch(url, { cache: 'force-cache' }).catch(() => undefined);
        if (response?.ok) await cache.put(url, response);
      }
      event.ports[0]?.postMessage('kept');
    })(),
  );
});
