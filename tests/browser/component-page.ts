/** The harness for component tests: the bundle and a blank page served under a strict CSP, in Chromium. */
import type { Page } from 'playwright-core';
import { uiFiles } from './bundle.ts';
import { launchChromium, watchPage, type LaunchedChromium, type PageProblems } from './chromium.ts';
import { pageCsp, serveRoutes, type Handler, type TestServer } from './static-server.ts';

const TEST_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vitrine component test</title>
<link rel="icon" href="data:,">
<script type="module" src="/harness.js"></script>
<script type="module" src="/vitrine.js"></script>
<script type="module" src="/elements.js"></script>
</head>
<body></body>
</html>`;

// External (not inline) so the CSP stays strict: records every Vitrine event and CSP violation.
const HARNESS = `
window.vtEvents = [];
window.cspViolations = [];
for (const type of ['vt-change', 'vt-input', 'vt-load', 'vt-submit', 'vt-result', 'vt-error']) {
  document.addEventListener(type, (e) => {
    let detail;
    try { detail = JSON.parse(JSON.stringify(e.detail)); } catch { detail = String(e.detail); }
    window.vtEvents.push({ type, target: e.target.localName, bubbles: e.bubbles, composed: e.composed, detail });
  });
}
document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
`;

/** A recorded Vitrine event. */
export interface RecordedEvent {
  type: string;
  target: string;
  bubbles: boolean;
  composed: boolean;
  detail: unknown;
}

export interface ComponentPage {
  page: Page;
  server: TestServer;
  problems: PageProblems;
  /** Replaces the page body with `markup` and waits for the elements to render. */
  mount(markup: string): Promise<void>;
  /** Events recorded since the last `mount` (or `clearEvents`). */
  events(type?: string): Promise<RecordedEvent[]>;
  clearEvents(): Promise<void>;
  /** CSP violations the page reported. */
  cspViolations(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts a server with the test page, the bundle and `routes`, launches Chromium and opens the page.
 *
 * @example
 * const ui = await openComponentPage();
 * await ui.mount('<vt-textbox label="Name"></vt-textbox>');
 */
export async function openComponentPage(
  opts: { routes?: Record<string, Handler>; extraArgs?: string[]; connectSrc?: string[] } = {},
): Promise<ComponentPage> {
  const files = await uiFiles();
  const bundle: Record<string, Handler> = {};
  for (const [path, body] of files) bundle[`/${path}`] = () => ({ type: 'text/javascript', body });
  // Component tests mount any element by its tag: the harness loads every element module up front.
  const elements = [...files.keys()].filter((p) => p.startsWith('elements/'));
  const loader = elements.map((p) => `import './${p}';`).join('\n');
  const server = await serveRoutes(
    {
      '/': () => ({ type: 'text/html; charset=utf-8', body: TEST_PAGE }),
      '/harness.js': () => ({ type: 'text/javascript', body: HARNESS }),
      '/elements.js': () => ({ type: 'text/javascript', body: loader }),
      ...bundle,
      ...opts.routes,
    },
    { csp: pageCsp(opts.connectSrc) },
  );
  let browser: LaunchedChromium | undefined;
  try {
    browser = await launchChromium({ extraArgs: opts.extraArgs ?? [] });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const problems = watchPage(page);
    await page.goto(`${server.origin}/`);
    await page.waitForFunction(() => customElements.get('vt-interface') !== undefined && customElements.get('vt-json') !== undefined);
    const launched = browser;
    return {
      page,
      server,
      problems,
      async mount(markup) {
        await page.evaluate(async (m) => {
          document.body.innerHTML = m;
          (window as unknown as { vtEvents: unknown[] }).vtEvents = [];
          const elements = [...document.body.querySelectorAll('*')] as Array<Element & { updateComplete?: Promise<unknown> }>;
          await Promise.all(elements.map((el) => el.updateComplete));
        }, markup);
      },
      async events(type) {
        const all = await page.evaluate(() => (window as unknown as { vtEvents: RecordedEvent[] }).vtEvents);
        return type === undefined ? all : all.filter((e) => e.type === type);
      },
      async clearEvents() {
        await page.evaluate(() => {
          (window as unknown as { vtEvents: unknown[] }).vtEvents = [];
        });
      },
      cspViolations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
      async close() {
        await launched.close();
        await server.close();
      },
    };
  } catch (err) {
    await browser?.close();
    await server.close();
    throw err;
  }
}
