/** Builds the page bundle in memory for the browser tests, with the same options as `npm run build:ui`. */
import { build } from 'esbuild';
import { uiBuildOptions } from '../../scripts/build-ui.ts';

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
