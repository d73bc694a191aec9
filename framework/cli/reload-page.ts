/** What a page sees of `vitrine serve --reload`: the script with the restart and load-error banner, and the placeholder page of an app that has not loaded. */

import { LIVE_RELOAD_EVENTS, LIVE_RELOAD_SCRIPT } from '../server/live-reload.ts';

export { LIVE_RELOAD_EVENTS, LIVE_RELOAD_SCRIPT };

/** The supervisor's state, as the event stream sends it (`event: state`). */
export type ReloadState =
  | { state: 'starting' }
  | { state: 'ready'; server: string }
  | { state: 'restarting'; changed: string }
  | { state: 'failed'; error: string };

/**
 * How soon a page tries again after losing the stream: a restart takes about as long as a cold
 * start (well under a second with a light app); EventSource's own default is 3 s.
 */
export const RETRY_MS = 250;

/**
 * The page's side. The server a page came from is named in the script's URL (the server writes
 * `?server=<id>` into the tag), so the page reloads as soon as the stream names another one. The
 * banner is built with the DOM and styled through CSSOM, which the page's CSP allows.
 */
export const RELOAD_SCRIPT = `// vitrine serve --reload: a banner while the server restarts or the app fails to load; reload once a new server answers.
const loadedFrom = new URL(import.meta.url).searchParams.get('server');
const events = new EventSource(${JSON.stringify(LIVE_RELOAD_EVENTS)});
let banner = null;

function show(title, text) {
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'vitrine-reload-banner';
    banner.setAttribute('role', 'status');
    Object.assign(banner.style, {
      position: 'fixed', top: '0', left: '0', right: '0', zIndex: '2147483647', padding: '10px 16px',
      background: '#fff4e5', color: '#663c00', borderBottom: '2px solid #ed6c02', font: '14px/1.4 system-ui, sans-serif',
    });
    document.body.prepend(banner);
  }
  const heading = document.createElement('strong');
  heading.textContent = title;
  banner.replaceChildren(heading);
  if (text) {
    const pre = document.createElement('pre');
    pre.textContent = text;
    Object.assign(pre.style, { margin: '6px 0 0', whiteSpace: 'pre-wrap', font: '12px/1.4 ui-monospace, monospace', maxHeight: '40vh', overflow: 'auto' });
    banner.append(pre);
  }
}

events.addEventListener('state', (event) => {
  const s = JSON.parse(event.data);
  if (s.state === 'ready') {
    if (s.server !== loadedFrom) location.reload();
    else if (banner) (banner.remove(), (banner = null));
  } else if (s.state === 'restarting') show('Restarting: ' + s.changed + ' changed…');
  else if (s.state === 'failed') show('The app failed to load. Fix it and save; this page reloads then.', s.error);
  else show('Starting…');
});
events.addEventListener('error', () => show('Lost the connection to vitrine serve --reload; retrying…'));
`;

/**
 * The page answered for an app's URL while no server has loaded it (the first start failed, or is
 * still going): the script shows why and reloads once the app is up.
 *
 * @example
 * reply.end(placeholderPage());
 */
export function placeholderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>vitrine serve --reload</title>
<script type="module" src="${LIVE_RELOAD_SCRIPT}?server=none"></script>
</head>
<body><noscript>The app has not loaded yet; the terminal running vitrine serve --reload says why.</noscript></body>
</html>
`;
}
