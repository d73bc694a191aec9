/**
 * `vitrine build`: a static site that runs each app in the visitor's browser. The page and its
 * element bundle, each app compiled for the browser (esbuild, `browser` condition), the files the
 * app reaches by URL (its model), onnxruntime-web's WASM from node_modules, `api/config` made by
 * the server's own buildConfig, and a service worker for offline use.
 */
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { findPackageJSON } from 'node:module';
import { basename, dirname, extname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BuildFailure, BuildOptions, Metafile } from 'esbuild';
import type { VitrineInterface } from '../interface.ts';
import { importInterface } from '../server/import-interface.ts';
import { buildConfig, exampleFiles } from '../server/interface-config.ts';
import { UI_OUT_DIR, UI_SOURCE_DIR, uiBuildOptions } from '../server/ui-build.ts';
import { assetUrls, notForBrowser, NotForBrowserError, recordImports, type ImportGraph } from './bundle-plugins.ts';
import type { StaticPageSettings } from './page.ts';
import { indexPage, PAGE_CSS, spaceReadme, staticPage } from './site-files.ts';

export { NotForBrowserError };

/** One app of the site: its module, its export, and where its page goes ('/' or '/name'). */
export interface StaticMount {
  prefix: string;
  module: string;
  exportName: string;
}

export interface StaticBuildOptions {
  mounts: readonly StaticMount[];
  /** The site's folder; replaced if it holds an earlier build, refused if it holds anything else. */
  out: string;
  /** Told what is being done (library code never prints). */
  log?: (line: string) => void;
}

export interface StaticBuildResult {
  out: string;
  apps: Array<{ title: string; page: string }>;
  /** Every file written, relative to `out`. */
  files: string[];
  /**
   * The page's own JavaScript, gzipped: the shell, the elements the apps' configs load and the
   * static glue, with the chunks they import — everything but the worker, the apps and the runtime.
   */
  pageGzipBytes: number;
}

/** The package's root: the checkout, or the installed package. */
const root = dirname(findPackageJSON(import.meta.url)!);
/** In a checkout the sources are bundled (`vitrine-source`); an installed package bundles its dist/. */
const IN_CHECKOUT = existsSync(join(root, 'framework', 'index.ts'));
/** This module's own extension: .ts in a checkout, .js once compiled. */
const EXT = extname(fileURLToPath(import.meta.url));
/** Marks a folder as a build's, so a rebuild may replace it. */
const MARKER = '.vitrine-build';
/** onnxruntime-web's files the WASM backend loads at run time (ort.wasm.min.mjs imports the .mjs, which fetches the .wasm). */
const ORT_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
/** Evergreen browsers with module workers, OffscreenCanvas and WASM SIMD. */
const TARGET = ['es2022', 'chrome111', 'firefox114', 'safari16.4'];

/**
 * Builds the static site of `mounts` into `out`. Throws NotForBrowserError (one line naming the
 * import) when an app reaches a Node-only module.
 *
 * @example
 * await buildStaticSite({ mounts: [{ prefix: '/', module: 'apps/fashion-mnist/app.ts', exportName: 'default' }], out: 'site' });
 */
export async function buildStaticSite(opts: StaticBuildOptions): Promise<StaticBuildResult> {
  const log = opts.log ?? (() => {});
  const { build } = await import('esbuild');
  const apps = opts.mounts.map((m) => ({ ...m, base: m.prefix === '/' ? '' : `${m.prefix.replace(/^\/+|\/+$/g, '')}/`, name: entryName(m) }));
  await prepare(opts.out);
  const appDir = join(opts.out, 'app');
  const conditions = ['browser', ...(IN_CHECKOUT ? ['vitrine-source'] : []), 'onnxruntime-web-use-extern-wasm'];
  const graph: ImportGraph = new Map();
  const copied = new Map<string, string>();
  const common: BuildOptions = { bundle: true, format: 'esm', platform: 'browser', target: TARGET, minify: true, legalComments: 'none', logLevel: 'silent', conditions, absWorkingDir: process.cwd() };

  log(`bundling ${apps.length} app${apps.length === 1 ? '' : 's'} for the browser`);
  let metafile: Metafile;
  try {
    const entryPoints: Record<string, string> = { worker: fileURLToPath(new URL(`./worker${EXT}`, import.meta.url)) };
    for (const app of apps) entryPoints[app.name] = app.module;
    ({ metafile } = await build({ ...common, entryPoints, outdir: appDir, splitting: true, entryNames: '[name]', chunkNames: 'chunk-[hash]', metafile: true, plugins: [recordImports(graph), assetUrls(appDir, copied)] }));
  } catch (err) {
    const errors = (err as Partial<BuildFailure>).errors;
    if (!errors) throw err;
    await rm(opts.out, { recursive: true, force: true });
    throw notForBrowser(errors, graph, process.cwd());
  }
  await build({ ...common, entryPoints: [fileURLToPath(new URL(`./page${EXT}`, import.meta.url))], outfile: join(opts.out, 'vitrine-static.js') });
  const buildId = Date.now().toString(36);
  await build({ ...common, format: 'iife', entryPoints: [fileURLToPath(new URL(`./service-worker${EXT}`, import.meta.url))], outfile: join(opts.out, 'sw.js'), define: { VITRINE_BUILD: JSON.stringify(buildId) } });
  const pageFiles = await buildPage(opts.out);
  if (Object.keys(metafile.inputs).some((p) => p.includes('onnxruntime-web'))) await copyOrtFiles(join(opts.out, 'ort'));

  const written: StaticBuildResult['apps'] = [];
  const elements = new Set<string>();
  let description = '';
  for (const app of apps) {
    const iface = await importInterface({ module: app.module, exportName: app.exportName });
    for (const entry of await writeApp(opts.out, app, iface)) elements.add(`ui/${entry}`);
    written.push({ title: iface.options.title ?? 'Vitrine', page: app.base || './' });
    if (written.length === 1) description = iface.options.description ?? '';
    log(`${app.base || '/'}: ${iface.options.title ?? app.name}`);
  }
  if (apps[0]!.base !== '') await writeFile(join(opts.out, 'index.html'), indexPage(written.map((a) => ({ title: a.title, path: a.page }))));
  await writeFile(join(opts.out, 'README.md'), spaceReadme({ title: written[0]!.title, description }));
  await writeFile(join(opts.out, 'page.css'), PAGE_CSS);
  await writeFile(join(opts.out, MARKER), `${buildId}\n`);
  const files = (await readdir(opts.out, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(opts.out.length + 1));
  const pageGzipBytes = (await pageFiles(['ui/vitrine.js', ...elements])) + gzipSync(await readFile(join(opts.out, 'vitrine-static.js')), { level: 9 }).byteLength;
  return { out: opts.out, apps: written, files, pageGzipBytes };
}

/** An app's entry name in app/: its prefix, or for the app at the root its folder (app.ts, index.ts) or file name. */
function entryName(m: StaticMount): string {
  if (m.prefix !== '/') return m.prefix.replace(/^\/+|\/+$/g, '').replace(/\//g, '-');
  const stem = basename(m.module, extname(m.module));
  const name = ['app', 'index', 'main'].includes(stem) ? basename(dirname(m.module)) : stem;
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-');
  return safe === 'worker' ? 'worker-app' : safe;
}

/** Empties `out` when it holds an earlier build (or nothing); refuses a folder of other files. */
async function prepare(out: string): Promise<void> {
  if (existsSync(out)) {
    const entries = await readdir(out);
    if (entries.length > 0 && !entries.includes(MARKER)) throw new Error(`${out} is not empty and holds no earlier build; choose an empty or new folder for --out`);
    await rm(out, { recursive: true, force: true });
  }
  await mkdir(out, { recursive: true });
}

/**
 * The page's element bundle into `ui/`: built from ui-components/ in a checkout, copied from
 * dist/ui in an installed package. Returns a measure of the page's JavaScript: the gzipped bytes
 * of the given modules (paths under `out`) and every module they import statically.
 */
async function buildPage(out: string): Promise<(modules: readonly string[]) => Promise<number>> {
  const dest = join(out, 'ui');
  if (!existsSync(UI_SOURCE_DIR)) await cp(UI_OUT_DIR, dest, { recursive: true, filter: (src) => !src.endsWith('.map') });
  else {
    const { build } = await import('esbuild');
    await build({ ...(await uiBuildOptions()), outdir: dest, sourcemap: false, write: true });
  }
  return async (modules) => {
    const seen = new Set<string>();
    const visit = async (path: string): Promise<void> => {
      if (seen.has(path) || !existsSync(join(out, path))) return;
      seen.add(path);
      const code = await readFile(join(out, path), 'utf8');
      // esbuild's minified static imports: `import{…}from"./chunks/x.js"` and `import"./x.js"`.
      for (const m of code.matchAll(/import\s*(?:[\w${}\s,*]*?from\s*)?["']([^"']+\.js)["']/g)) await visit(posix.join(posix.dirname(path), m[1]!));
    };
    for (const m of modules) await visit(m);
    let total = 0;
    for (const path of seen) total += gzipSync(await readFile(join(out, path)), { level: 9 }).byteLength;
    return total;
  };
}

/** onnxruntime-web's WASM files, from node_modules: the site never loads them from a CDN. */
async function copyOrtFiles(dest: string): Promise<void> {
  const pkg = findPackageJSON('onnxruntime-web', pathToFileURL(join(root, 'package.json')));
  if (!pkg) throw new NotForBrowserError('the app uses onnxruntime-web, which is not installed (npm install onnxruntime-web)');
  await mkdir(dest, { recursive: true });
  for (const name of ORT_FILES) await copyFile(join(dirname(pkg), 'dist', name), join(dest, name));
}

/** One app's page, `api/config` (the server's buildConfig, flagging off) and example files; returns the element modules its config names. */
async function writeApp(out: string, app: StaticMount & { base: string; name: string }, iface: VitrineInterface): Promise<string[]> {
  const dir = join(out, app.base);
  const rootPath = app.base === '' ? './' : '../'.repeat(app.base.split('/').filter(Boolean).length);
  const files = exampleFiles(iface);
  const config = buildConfig(iface, files, { flagging: false });
  await mkdir(join(dir, 'api'), { recursive: true });
  await writeFile(join(dir, 'api', 'config'), JSON.stringify(config));
  for (const f of files) {
    await mkdir(join(dir, 'examples', String(f.index)), { recursive: true });
    await copyFile(f.path, join(dir, 'examples', String(f.index), f.file));
  }
  const settings: StaticPageSettings = { worker: `${rootPath}app/worker.js`, app: `${rootPath}app/${app.name}.js`, serviceWorker: `${rootPath}sw.js` };
  if (app.exportName !== 'default') settings.exportName = app.exportName;
  await writeFile(join(dir, 'index.html'), staticPage({ title: config.title, root: rootPath, settings }));
  return [...config.inputs, ...config.outputs].map((c) => c.element);
}
