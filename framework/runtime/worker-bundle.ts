/**
 * Turns an app module and the worker runtime into one plain-JavaScript file that worker threads
 * import directly, so a worker never starts a TypeScript loader.
 *
 * Why (Node 20, 2 cores, `node /tmp`-style timings of one Fashion-MNIST worker): registering tsx in
 * a worker costs ~100 ms and ~26 MB, and every module imported through it then loads about twice
 * as slowly (zod: 78 ms plain, 144 ms through tsx). Bundling takes esbuild ~50 ms once per app at
 * start-up (none when the sources did not change); the server's own thread keeps tsx.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { IMPORT_META_DEFINE, cacheRoot, contentHash, withImportMeta, writeAtomically } from './compile-tree.mjs';

/** What a cached bundle was built from: each source file with a hash of the contents built. */
interface Manifest {
  bundle: string;
  inputs: Record<string, string>;
}

const WORKER_RUNTIME = fileURLToPath(new URL('./worker.ts', import.meta.url));
/** Where {@link withImportMeta} comes from: part of how a bundle is made, like this file. */
const COMPILER = fileURLToPath(new URL('./compile-tree.mjs', import.meta.url));
/** The generated entry's name (it exists only in memory). */
const ENTRY_NAME = 'vitrine-worker-entry.js';

/**
 * Bundles `modulePath` (a path or `file:` URL) with the worker runtime and returns the `file:` URL
 * of the bundle. Packages stay imports: the file is written to `node_modules/.cache/vitrine/`
 * beside the app's packages, so they resolve exactly as they do for the app module. The file name
 * carries a hash of its contents, so servers started side by side never overwrite each other's.
 * A manifest of the sources' content hashes (of what esbuild was given, so an edit made during the
 * build is not mistaken for built) lets the next start reuse the bundle (esbuild costs ~100 ms of
 * start-up on 2 cores); any edited source makes it build again.
 *
 * @example
 * const url = await bundleWorkerEntry('/srv/apps/fashion-mnist/app.ts', 'default');
 * new Worker(new URL(url));
 */
export async function bundleWorkerEntry(modulePath: string, exportName: string): Promise<string> {
  const appFile = modulePath.startsWith('file:') ? fileURLToPath(modulePath) : modulePath;
  const root = cacheRoot(appFile);
  const dir = join(root, 'node_modules', '.cache', 'vitrine');
  const id = createHash('sha256').update(`${appFile}#${exportName}#${WORKER_RUNTIME}`).digest('hex').slice(0, 12);
  const manifestFile = join(dir, `${parse(appFile).name}-${id}.json`);
  const cached = await upToDate(manifestFile);
  if (cached) return pathToFileURL(cached).href;

  const { build } = await import('esbuild');
  const built = new Map<string, string>();
  const result = await build({
    stdin: {
      contents: [
        `import * as app from ${JSON.stringify(appFile)};`,
        `import { runWorker } from ${JSON.stringify(WORKER_RUNTIME)};`,
        `await runWorker(app, ${JSON.stringify(exportName)});`,
      ].join('\n'),
      resolveDir: dirname(appFile),
      sourcefile: ENTRY_NAME,
      loader: 'js',
    },
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Error stacks from the app still name its own files and lines (sources are relative to root).
    sourcemap: 'inline',
    sourceRoot: pathToFileURL(join(root, '/')).href,
    sourcesContent: false,
    logLevel: 'silent',
    define: IMPORT_META_DEFINE,
    plugins: [keepImportMetaUrl(built)],
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = join(dir, `${parse(appFile).name}-${hash}.mjs`);
  // Every source in the bundle, and the files that make bundles (how they are made is part of what they are).
  const inputs: Record<string, string> = {};
  const sources = Object.keys(result.metafile.inputs).filter((input) => basename(input) !== ENTRY_NAME);
  for (const path of [...sources.map((input) => resolve(root, input)), fileURLToPath(import.meta.url), COMPILER]) {
    inputs[path] = built.get(path) ?? contentHash(await readFile(path, 'utf8'));
  }
  await mkdir(dir, { recursive: true });
  if (!existsSync(file)) await writeAtomically(file, code);
  await writeAtomically(manifestFile, JSON.stringify({ bundle: file, inputs } satisfies Manifest));
  await pruneBundles(dir).catch(() => {}); // housekeeping: never a reason to fail a start
  return pathToFileURL(file).href;
}

/**
 * How old an unused bundle must be before it is deleted: a server that read a manifest just
 * before it was replaced may still be about to import the bundle it named.
 */
const PRUNE_AFTER_MS = 10 * 60_000;

/**
 * Each edit of an app leaves a bundle of ~100–140 KB behind. After a build, bundles that no
 * manifest names any more, manifests of apps whose sources are gone, and temporary files of
 * interrupted writes are deleted once older than {@link PRUNE_AFTER_MS}.
 */
async function pruneBundles(dir: string): Promise<void> {
  const now = Date.now();
  const old = async (file: string) => now - (await stat(file).catch(() => ({ mtimeMs: now }))).mtimeMs > PRUNE_AFTER_MS;
  const names = await readdir(dir);
  const named = new Set<string>();
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const file = join(dir, name);
    try {
      const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
      if (Object.keys(manifest.inputs).every((source) => existsSync(source))) named.add(manifest.bundle);
      else if (await old(file)) await rm(file, { force: true });
    } catch {
      // being written by another server, or not ours: leave it
    }
  }
  for (const name of names.filter((n) => n.endsWith('.mjs') || n.endsWith('.tmp'))) {
    const file = join(dir, name);
    if (!named.has(file) && (await old(file))) await rm(file, { force: true });
  }
}

/** The cached bundle's path when none of its sources changed since it was built (~3 ms to check). */
async function upToDate(manifestFile: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    if (!existsSync(manifest.bundle)) return undefined;
    const hashes = await Promise.all(Object.keys(manifest.inputs).map(async (path) => contentHash(await readFile(path, 'utf8'))));
    if (Object.values(manifest.inputs).some((hash, i) => hash !== hashes[i])) return undefined;
    return manifest.bundle;
  } catch {
    return undefined;
  }
}

/**
 * Each bundled file keeps its own `import.meta.url` (and `dirname`/`filename`, see
 * compile-tree.mjs); `file:` URL imports are bundled like paths. The hash of each source as read
 * goes into `built`.
 */
function keepImportMetaUrl(built: Map<string, string>): Plugin {
  return {
    name: 'vitrine-keep-import-meta-url',
    setup(b) {
      // Node imports `file:` URLs; esbuild would leave them as imports of raw .ts files.
      b.onResolve({ filter: /^file:/ }, ({ path }) => ({ path: fileURLToPath(path) }));
      b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        built.set(path, contentHash(source));
        return { contents: withImportMeta(source, path), loader: /\.[cm]?tsx?$/.test(path) ? 'ts' : 'js' };
      });
    },
  };
}
