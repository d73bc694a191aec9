/**
 * Bundles the page's web components (ui-components/index.ts) into dist/ui/vitrine.js with esbuild.
 * `npm run build:ui` builds it, `npm pack` ships it, and in a checkout `serve()` rebuilds it when a
 * file in ui-components/ is newer, so the page always matches the sources.
 */
import type { BuildOptions } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readdir, readFile, stat } from 'node:fs/promises';
import { findPackageJSON } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root: the checkout (this file is framework/server/ui-build.ts) or the installed
 * package (dist/framework/server/ui-build.js). Both keep the bundle in `dist/ui/` under it.
 */
const root = dirname(findPackageJSON(import.meta.url)!);

/** Where the sources live and where the bundle goes. */
export const UI_SOURCE_DIR = join(root, 'ui-components');
export const UI_OUT_DIR = join(root, 'dist', 'ui');
export const UI_BUNDLE = join(UI_OUT_DIR, 'vitrine.js');

/** The page's JavaScript budget, gzipped (issue: "the page's JavaScript ≤ 60 KB gzipped"). */
export const GZIP_BUDGET_BYTES = 60 * 1024;

/**
 * The esbuild options shared by the CLI and the browser tests, so tests exercise the same bundle
 * the server ships. Decorators follow tsconfig (`experimentalDecorators`, no define semantics).
 *
 * @example
 * const result = await build({ ...uiBuildOptions(), write: false });
 */
export function uiBuildOptions(): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [join(UI_SOURCE_DIR, 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // Evergreen browsers only: native classes, optional chaining, private fields stay as written.
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    outfile: UI_BUNDLE,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'silent',
  };
}

/** True in a checkout, false in an installed package (it ships the bundle, not its sources). */
async function hasUiSources(): Promise<boolean> {
  return stat(UI_SOURCE_DIR).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Every file under a folder, recursively. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/**
 * True when the bundle is missing or older than any file in ui-components/ (or this module). An
 * installed package has no ui-components/: the bundle it ships is the page.
 *
 * @example
 * if (await isUiStale()) await buildUi();
 */
export async function isUiStale(): Promise<boolean> {
  let bundleTime: number;
  try {
    bundleTime = (await stat(UI_BUNDLE)).mtimeMs;
  } catch {
    return hasUiSources();
  }
  if (!(await hasUiSources())) return false;
  const sources = [...(await listFiles(UI_SOURCE_DIR)), fileURLToPath(import.meta.url)];
  for (const file of sources) {
    if ((await stat(file)).mtimeMs > bundleTime) return true;
  }
  return false;
}

/** What a build produced. */
export interface UiBuildResult {
  file: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Bundles ui-components/ into dist/ui/vitrine.js and measures it.
 *
 * @example
 * const { bytes, gzipBytes } = await buildUi();
 */
export async function buildUi(): Promise<UiBuildResult> {
  const { build } = await import('esbuild');
  const result = await build({ ...uiBuildOptions(), write: true, metafile: true });
  const output = result.metafile.outputs[relative(root, UI_BUNDLE)];
  if (output === undefined) throw new Error(`esbuild did not write ${UI_BUNDLE}`);
  const code = await readFile(UI_BUNDLE);
  return { file: UI_BUNDLE, bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

