/** Starts the real Vitrine server (buildApp + listen on port 0) with the current page bundle, for end-to-end tests. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import { buildApp, type AppMount, type BuildOptions } from 'vitrine';
import { writeUiBundle } from './bundle.ts';
import { launchChromium, watchPage, type PageProblems } from './chromium.ts';

export interface RunningApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** A scratch folder removed by `close`: the bundle and the flag store live there. */
  dir: string;
  close(): Promise<void>;
}

/**
 * Builds and starts the real server on a free port, serving a freshly built bundle.
 *
 * @example
 * const running = await startRealApp([{ module: 'apps/image-effects/app.ts', workers: 0 }]);
 * await page.goto(`${running.origin}/`);
 * await running.close();
 */
export async function startRealApp(apps: AppMount[], opts: Partial<BuildOptions> = {}): Promise<RunningApp> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-e2e-'));
  try {
    const uiDir = await writeUiBundle(dir);
    // Flags go to the scratch folder, never to the repository's default `flagged/`.
    const app = await buildApp({ logger: false, flagging: { dir: join(dir, 'flagged') }, ...opts, apps, uiDir });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      app,
      origin,
      dir,
      async close() {
        await app.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/** A real server, a Chromium page watched for console errors, and the way to open the demo. */
export interface RealDemo {
  running: RunningApp;
  page: Page;
  problems: PageProblems;
  /** Loads `/` and waits until the demo is built. */
  open(): Promise<void>;
  /**
   * In light and dark, at 1280 and 375 px: opens the demo, runs `act` (which waits for what it
   * shows), checks that nothing scrolls sideways and writes test-artifacts/<name>-<scheme>-<width>.png.
   */
  screenshots(name: string, act: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** Where the browser suites leave their screenshots. */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

/**
 * Starts the real server with `apps` and Chromium on one watched page; with `waitForHealthy`, also
 * waits (up to 60 s) for `/healthz` 200, i.e. for a model loading in the background.
 *
 * @example
 * const demo = await openRealDemo([{ module: APP, workers: 0 }]);
 * await demo.open();
 * await demo.close();
 */
export async function openRealDemo(apps: AppMount[], { waitForHealthy = false } = {}): Promise<RealDemo> {
  const running = await startRealApp(apps);
  try {
    const deadline = Date.now() + 60_000;
    while (waitForHealthy && (await running.app.inject({ method: 'GET', url: '/healthz' })).statusCode !== 200) {
      if (Date.now() > deadline) throw new Error('/healthz did not answer 200 within 60 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    const browser = await launchChromium();
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const open = async () => {
      await page.goto(`${running.origin}/`);
      await waitForInterface(page);
    };
    return {
      running,
      page,
      problems: watchPage(page),
      open,
      async screenshots(name, act) {
        await mkdir(ARTIFACTS, { recursive: true });
        for (const colorScheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme });
          for (const width of [1280, 375]) {
            await page.setViewportSize({ width, height: 900 });
            await open();
            await act();
            expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
            const file = `${ARTIFACTS}${name}-${colorScheme}-${width}.png`;
            await page.screenshot({ path: file, fullPage: true });
            expect((await sharp(file).metadata()).width).toBe(width);
          }
        }
        await page.emulateMedia({ colorScheme: 'light' });
        await page.setViewportSize({ width: 1280, height: 900 });
      },
      async close() {
        await browser.close();
        await running.close();
      },
    };
  } catch (err) {
    await running.close();
    throw err;
  }
}

/**
 * Waits until `<vt-interface>` on the page has loaded its config and built the demo.
 *
 * @example
 * await page.goto(origin); await waitForInterface(page);
 */
export async function waitForInterface(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const iface = document.querySelector('vt-interface') as (HTMLElement & { interfaceConfig?: unknown }) | null;
    // A ChatInterface's page is a <vt-chat> instead of inputs and a Submit button.
    return iface?.interfaceConfig != null && iface.shadowRoot?.querySelector('[part="submit-button"], vt-chat') != null;
  });
}

/** The accessible name (or text) of the deepest focused element, through shadow roots. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el === null ? '' : (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
  });
}

/**
 * Presses Tab until the focused element's name matches (at most `max` presses); returns that name.
 *
 * @example
 * expect(await tabTo(page, /^Picture:/)).toMatch(/no image chosen/);
 */
export async function tabTo(page: Page, name: RegExp, max = 25): Promise<string> {
  for (let i = 0; i < max && !name.test(await focusedName(page)); i++) await page.keyboard.press('Tab');
  return focusedName(page);
}

/** Roles a user operates or reads as a unit; each must have an accessible name. */
const NAMED_ROLES = ['button', 'textbox', 'combobox', 'slider', 'checkbox', 'spinbutton', 'link', 'img', 'radio', 'searchbox'];

/**
 * The controls in the page's accessibility tree (through shadow roots) that have no accessible
 * name, as their ARIA snapshot lines; empty when every control is labelled.
 *
 * @example
 * expect(await unnamedControls(page)).toEqual([]);
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const unnamed = new RegExp(`^\\s*- (${NAMED_ROLES.join('|')})(\\s*\\[[^\\]]*\\])*\\s*(:.*)?$`);
  return snapshot.split('\n').filter((line) => unnamed.test(line));
}
