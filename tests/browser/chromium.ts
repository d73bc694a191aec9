/** Launches Debian's Chromium through playwright-core for the browser tests, with a throw-away profile. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's package puts it here; `npm test` installs it when missing (scripts/test.sh). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Quiet, offline-friendly flags: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fake camera and auto-accepted permission prompts, for the webcam path of `<vt-image>`. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and deletes its profile directory. */
  close(): Promise<void>;
}

/**
 * Starts Chromium with a fresh `--user-data-dir` (playwright's persistent context is how that flag
 * is passed) and returns its single context.
 *
 * @example
 * const browser = await launchChromium();
 * const page = await browser.context.newPage();
 * await browser.close();
 */
export async function launchChromium(
  opts: { extraArgs?: string[]; context?: BrowserContextOptions } = {},
): Promise<LaunchedChromium> {
  const profile = await mkdtemp(join(tmpdir(), 'vitrine-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
      viewport: { width: 1280, height: 900 },
      ...opts.context,
    });
    return {
      context,
      async close() {
        await context.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
}

/** What went wrong on a page: console errors, uncaught exceptions and CSP violations. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  /** Both lists together; Chromium reports CSP violations as console errors, so they are here too. */
  all(): string[];
}

/**
 * Records console errors and warnings (CSP violations among them) and uncaught exceptions on a page.
 *
 * @example
 * const problems = watchPage(page);
 * // … drive the page …
 * expect(problems.all()).toEqual([]);
 */
export function watchPage(page: Page): PageProblems {
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') {
      const where = msg.location().url ? ` (${msg.location().url})` : '';
      consoleErrors.push(`${msg.type()}: ${msg.text()}${where}`);
    }
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Turns file-chooser interception on now rather than when a test first waits for a chooser: a
  // chooser opened before interception is live would be a native dialog no test can see.
  page.on('filechooser', () => undefined);
  return { consoleErrors, pageErrors, all: () => [...consoleErrors, ...pageErrors] };
}
