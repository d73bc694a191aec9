/** Builds the page bundle in memory for the browser tests, with the same options as `npm run build:ui`. */
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { UI_OUT_DIR, uiBuildOptions } from '../../framework/server/ui-build.ts';

let cached: Promise<Map<string, string>> | undefined;

/**
 * Every file of the bundle (`vitrine.js`, `elements/<kind>.js`, the shared chunks) by its path
 * inside the bundle's folder, built once per test file from the current sources (no stale dist/).
 *
 * @example
 * for (const [path, body] of await uiFiles()) routes[`/${path}`] = () => ({ type: 'text/javascript', body });
 */
export function uiFiles(): Promise<Map<string, string>> {
  cached ??= uiBuildOptions()
    .then((options) => build({ ...options, write: false, sourcemap: false }))
    .then((result) => new Map(result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => [relative(UI_OUT_DIR, f.path), f.text])));
  return cached;
}

/**
 * The entry's JavaScript (`vitrine.js`).
 *
 * @example
 * const shell = await uiBundle();
 */
export async function uiBundle(): Promise<string> {
  const entry = (await uiFiles()).get('vitrine.js');
  if (entry === undefined) throw new Error('esbuild produced no vitrine.js');
  return entry;
}

/**
 * Writes the bundle's files into `dir` (for a real server's `uiDir`), so end-to-end tests serve
 * the current sources rather than whatever dist/ui holds.
 *
 * @example
 * const app = await buildApp({ apps, uiDir: await writeUiBundle(await mkdtemp(...)) });
 */
export async function writeUiBundle(dir: string): Promise<string> {
  for (const [path, body] of await uiFiles()) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), body);
  }
  return dir;
}
