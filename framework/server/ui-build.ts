/**
 * Bundles the page's web components into dist/ui/ with esbuild: `vitrine.js` (the interface and
 * what every page needs) and one module per element under `elements/`, which a page loads only
 * when its config shows that kind.
 * `npm run build:ui` builds it, `npm pack` ships it, and in a checkout `serve()` rebuilds it when a
 * file in ui-components/ is newer, so the page always matches the sources.
 */
import type { BuildOptions } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
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
/** The elements' folder inside the bundle's, as config entries name it (`elements/image.js`). */
export const ELEMENTS_DIR = 'elements';
/** Folders of ui-components/ that hold no element of a kind. */
const NOT_ELEMENTS = new Set(['interface', 'internal']);

/** The page's JavaScript budget, gzipped (issue: "the page's JavaScript ≤ 60 KB gzipped"). */
export const GZIP_BUDGET_BYTES = 60 * 1024;

/**
 * The element modules of the built-in kinds: every `ui-components/<name>/<name>.ts` (the
 * registration module of an element folder), found on disk rather than listed.
 *
 * @example
 * await elementEntries(); // { 'elements/image': '/…/ui-components/image/image.ts', … }
 */
export async function elementEntries(): Promise<Record<string, string>> {
  const entries: Record<string, string> = {};
  for (const dir of await readdir(UI_SOURCE_DIR, { withFileTypes: true })) {
    if (!dir.isDirectory() || NOT_ELEMENTS.has(dir.name)) continue;
    const file = join(UI_SOURCE_DIR, dir.name, `${dir.name}.ts`);
    if (existsSync(file)) entries[`${ELEMENTS_DIR}/${dir.name}`] = file;
  }
  return entries;
}

/**
 * The esbuild options shared by the CLI and the browser tests, so tests exercise the same bundle
 * the server ships. Decorators follow tsconfig (`experimentalDecorators`, no define semantics).
 * Splitting puts Lit and the shared base classes in a chunk that the page and each element share.
 *
 * @example
 * const result = await build({ ...(await uiBuildOptions()), write: false });
 */
export async function uiBuildOptions(): Promise<BuildOptions> {
  return {
    absWorkingDir: root,
    entryPoints: { vitrine: join(UI_SOURCE_DIR, 'index.ts'), lib: join(UI_SOURCE_DIR, 'lib.ts'), ...(await elementEntries()) },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    // Evergreen browsers only: native classes, optional chaining, private fields stay as written.
    target: ['es2022', 'chrome111', 'firefox113', 'safari16.4'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'eof',
    outdir: UI_OUT_DIR,
    chunkNames: 'chunks/[name]-[hash]',
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

/** What a build produced: the page's own JavaScript (the entry and the chunks it imports) and each element's. */
export interface UiBuildResult {
  file: string;
  bytes: number;
  /** The page shell: `vitrine.js` and its static imports, gzipped. */
  gzipBytes: number;
  /** Each element module with the chunks only it adds, gzipped. */
  elements: Record<string, number>;
}

/**
 * Bundles ui-components/ into dist/ui/ and measures it.
 *
 * @example
 * const { gzipBytes, elements } = await buildUi();
 */
export async function buildUi(): Promise<UiBuildResult> {
  const { build } = await import('esbuild');
  const { rm } = await import('node:fs/promises');
  await rm(join(UI_OUT_DIR, 'chunks'), { recursive: true, force: true });
  const result = await build({ ...(await uiBuildOptions()), write: true, metafile: true });
  const outputs = result.metafile.outputs;
  const gzipOf = async (path: string) => gzipSync(await readFile(join(root, path)), { level: 9 }).byteLength;
  /** An output and every chunk it imports statically, as a set of paths. */
  const closure = (path: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(path) || outputs[path] === undefined) return seen;
    seen.add(path);
    for (const imp of outputs[path].imports) if (imp.kind === 'import-statement') closure(imp.path, seen);
    return seen;
  };
  const shellPath = relative(root, UI_BUNDLE);
  const shell = closure(shellPath);
  let gzipBytes = 0;
  for (const path of shell) gzipBytes += await gzipOf(path);
  const elements: Record<string, number> = {};
  for (const path of Object.keys(outputs)) {
    const name = /\/elements\/([a-z0-9-]+)\.js$/.exec(path)?.[1];
    if (name === undefined) continue;
    let own = 0;
    for (const part of closure(path)) if (!shell.has(part)) own += await gzipOf(part);
    elements[name] = own;
  }
  const code = await readFile(UI_BUNDLE);
  return { file: UI_BUNDLE, bytes: code.byteLength, gzipBytes, elements };
}
