/** Builds the page bundle in memory for the browser tests, with the same options as `npm run build:ui`. */
import { build } from 'esbuild';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uiBuildOptions } from '../../framework/server/ui-build.ts';

let cached: Promise<string> | undefined;

/**
 * The bundle's JavaScript, built once per test file from the current sources (no stale dist/).
 *
 * @example
 * routes['/vitrine.js'] = async () => ({ type: 'text/javascript', body: await uiBundle() });
 */
export function uiBundle(): Promise<string> {
  cached ??= build({ ...uiBuildOptions(), write: false, sourcemap: false }).then((result) => {
    const file = result.outputFiles.find((f) => f.path.endsWith('.js'));
    if (file === undefined) throw new Error('esbuild produced no JavaScript');
    return file.text;
  });
  return cached;
}

/**
 * Writes the bundle as `vitrine.js` into `dir` (for a real server's `uiDir`), so end-to-end tests
 * serve the current sources rather than whatever dist/ui holds.
 *
 * @example
 * const app = await buildApp({ apps, uiDir: await writeUiBundle(await mkdtemp(...)) });
 */
export async function writeUiBundle(dir: string): Promise<string> {
  await writeFile(join(dir, 'vitrine.js'), await uiBundle());
  return dir;
}
