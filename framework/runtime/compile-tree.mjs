// @ts-check
/**
 * Compiles a TypeScript entry point and every local module it imports, file by file, into plain
 * JavaScript that Node imports without a TypeScript loader.
 *
 * Why (Node 20, 2 cores): importing the server's modules through tsx took 318–358 ms and ~100 MB
 * RSS; the same modules as plain JavaScript took 204–241 ms and ~70 MB. Plain JavaScript, so that
 * `framework/launch.mjs` can run it before anything TypeScript is loadable.
 *
 * Each source file becomes one output file at a path derived from the source's own path, and
 * imports between local files are rewritten to point at those outputs. So a module compiled later
 * (an app module imported at run time by path) shares every module instance with what is already
 * loaded: `instanceof VitrineError` and module state work as they do with a loader. Packages stay
 * imports. Outputs live in `node_modules/.cache/vitrine/tree/` and are reused while the source's
 * content hash is unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Bumped when what an output looks like changes, so old trees are not reused. */
const FORMAT = 1;
/** Local files compiled into the tree (anything else an import names is bundled into the importer). */
const SCRIPT = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;
/** Specifiers that name a local file rather than a package. */
const LOCAL = /^(?:\.{1,2}\/|\/|file:)/;

/**
 * @typedef {{ hash: string, deps: string[] }} Entry  what one source compiled to: its content hash
 *   and the local sources it imports
 * @typedef {{ format: number, files: Record<string, Entry> }} Manifest
 */

/**
 * Compiles `entryFile` and its local imports (only what changed since the last call) and returns
 * the `file:` URL of the entry's output, ready for `import()`.
 *
 * @example
 * const url = await compileTree('/srv/app/server.ts');
 * await import(url);
 *
 * @param {string} entryFile absolute or relative path of a `.ts`/`.js` module
 * @returns {Promise<string>}
 */
export async function compileTree(entryFile) {
  const entry = resolve(entryFile);
  const root = cacheRoot(entry);
  const treeDir = join(root, 'node_modules', '.cache', 'vitrine', 'tree');
  const manifestFile = join(treeDir, 'manifest.json');
  const manifest = await readManifest(manifestFile);
  const outputOf = (/** @type {string} */ source) => join(treeDir, `${source.replace(/^\/+/, '').replace(/\.[^./]+$/, '')}.mjs`);

  // Walk the import graph from the entry; what is missing or changed gets compiled, and what it
  // imports is walked in turn (its imports are only known once it is compiled).
  let changed = false;
  const seen = new Set();
  /** @type {string[]} */
  let pending = [entry];
  while (pending.length > 0) {
    /** @type {Map<string, string>} */
    const stale = new Map();
    /** @type {string[]} */
    const next = [];
    for (const source of pending) {
      if (seen.has(source)) continue;
      seen.add(source);
      const contents = await readFile(source, 'utf8');
      const known = manifest.files[source];
      if (known && known.hash === contentHash(contents) && existsSync(outputOf(source)) && known.deps.every((d) => existsSync(d))) {
        next.push(...known.deps);
      } else {
        stale.set(source, contents);
      }
    }
    if (stale.size > 0) {
      const compiled = await compile(stale, outputOf, root);
      for (const [source, entryInfo] of compiled) {
        manifest.files[source] = entryInfo;
        next.push(...entryInfo.deps);
      }
      changed = true;
    }
    pending = next;
  }
  if (changed) {
    // Sources that are gone (a deleted file, a temporary project) leave the tree with their outputs.
    for (const source of Object.keys(manifest.files)) {
      if (existsSync(source)) continue;
      delete manifest.files[source];
      await rm(outputOf(source), { force: true });
    }
    await writeAtomically(manifestFile, JSON.stringify(manifest));
  }
  return pathToFileURL(outputOf(entry)).href;
}

/**
 * Compiles `sources` (path → contents, as read for hashing) with esbuild, one output per source.
 *
 * @param {Map<string, string>} sources
 * @param {(source: string) => string} outputOf
 * @param {string} root
 * @returns {Promise<Map<string, Entry>>}
 */
async function compile(sources, outputOf, root) {
  const { build } = await import('esbuild');
  /** @type {Map<string, Set<string>>} */
  const deps = new Map([...sources.keys()].map((s) => [s, new Set()]));
  const result = await build({
    entryPoints: [...sources.keys()],
    absWorkingDir: root,
    bundle: true, // with every local script import made external below: one file in, one out
    packages: 'external',
    write: false,
    outdir: join(root, '.vitrine-compile'), // never written (write: false): only names the outputs
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcesContent: false,
    metafile: true,
    define: IMPORT_META_DEFINE,
    logLevel: 'silent',
    plugins: [
      {
        name: 'vitrine-compile-tree',
        setup(b) {
          b.onResolve({ filter: LOCAL }, async (args) => {
            if (args.pluginData === 'inner' || args.kind === 'entry-point') return undefined;
            const path = args.path.startsWith('file:') ? fileURLToPath(args.path) : args.path;
            const found = await b.resolve(path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'inner' });
            if (found.errors.length > 0 || !found.path) return { errors: found.errors };
            if (found.path.split('/').includes('node_modules')) return { path: pathToFileURL(found.path).href, external: true };
            if (!SCRIPT.test(found.path)) return undefined; // JSON and the like: inlined
            deps.get(args.importer)?.add(found.path);
            let specifier = relative(dirname(outputOf(args.importer)), outputOf(found.path));
            if (!specifier.startsWith('.')) specifier = `./${specifier}`;
            return { path: specifier, external: true };
          });
          b.onLoad({ filter: SCRIPT }, async ({ path }) => {
            const source = sources.get(path) ?? (await readFile(path, 'utf8'));
            return { contents: withImportMeta(source, path), loader: /\.[cm]?tsx?$/.test(path) ? (path.endsWith('x') ? 'tsx' : 'ts') : 'js' };
          });
        },
      },
    ],
  });
  // esbuild names outputs after the entries' common folder; the metafile says which is which.
  /** @type {Map<string, string>} */
  const written = new Map();
  for (const out of result.outputFiles) {
    const entryPoint = result.metafile.outputs[relative(root, out.path)]?.entryPoint;
    const source = entryPoint === undefined ? undefined : resolve(root, entryPoint);
    if (!source || !sources.has(source)) throw new Error(`compile-tree: cannot tell which source ${out.path} came from`);
    written.set(source, relocateSourceMap(out.text, dirname(out.path), dirname(outputOf(source))));
  }
  /** @type {Map<string, Entry>} */
  const compiled = new Map();
  for (const [source, contents] of sources) {
    const text = written.get(source);
    if (text === undefined) throw new Error(`compile-tree: esbuild wrote nothing for ${source}`);
    await mkdir(dirname(outputOf(source)), { recursive: true });
    await writeAtomically(outputOf(source), text);
    compiled.set(source, { hash: contentHash(contents), deps: [...(deps.get(source) ?? [])] });
  }
  return compiled;
}

/**
 * Per-file values of `import.meta.url`, `dirname` and `filename` for compiled and bundled code, so
 * paths such as `new URL('./model/', import.meta.url)` still point next to the source, not into
 * the cache. esbuild's `define` turns each use into a name that {@link withImportMeta} declares at
 * the top of every file (renamed apart when files are bundled together); strings and comments that
 * mention `import.meta.url` are left as they are.
 */
export const IMPORT_META_DEFINE = {
  'import.meta.url': '__vitrineImportMetaUrl',
  'import.meta.dirname': '__vitrineImportMetaDirname',
  'import.meta.filename': '__vitrineImportMetaFilename',
};

/**
 * `source` with the declarations {@link IMPORT_META_DEFINE} refers to, on its first line (line
 * numbers, and so source maps, stay as they were).
 *
 * @example
 * build({ define: IMPORT_META_DEFINE, plugins: [{ name: 'meta', setup: (b) => b.onLoad({ filter: /\.ts$/ },
 *   async ({ path }) => ({ contents: withImportMeta(await readFile(path, 'utf8'), path), loader: 'ts' })) }] });
 *
 * @param {string} source
 * @param {string} path
 */
export function withImportMeta(source, path) {
  if (!source.includes('import.meta')) return source;
  const declarations =
    `const __vitrineImportMetaUrl = ${JSON.stringify(pathToFileURL(path).href)}, ` +
    `__vitrineImportMetaDirname = ${JSON.stringify(dirname(path))}, __vitrineImportMetaFilename = ${JSON.stringify(path)};`;
  // A `#!` line must stay first.
  if (source.startsWith('#!')) {
    const eol = source.indexOf('\n');
    return eol < 0 ? source : `${source.slice(0, eol + 1)}${declarations}${source.slice(eol + 1)}`;
  }
  return `${declarations}${source}`;
}

/** The inline source map's data URL at the end of an output. */
const MAP_COMMENT = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Makes the source map's paths relative to where the output really lives (esbuild wrote them
 * relative to `builtDir`), so stack traces name the `.ts` file and line.
 *
 * @param {string} text
 * @param {string} builtDir
 * @param {string} outDir
 */
function relocateSourceMap(text, builtDir, outDir) {
  return text.replace(MAP_COMMENT, (_all, data) => {
    const map = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
    map.sources = map.sources.map((/** @type {string} */ s) => relative(outDir, resolve(builtDir, s)));
    return `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
  });
}

/**
 * A short hash of a source's contents (and of how outputs are made); worker-bundle.ts keys its
 * bundles with it too.
 *
 * @example
 * contentHash('export const a = 1;'); // 22 base64url characters
 *
 * @param {string} contents
 */
export function contentHash(contents) {
  return createHash('sha256').update(`${FORMAT}\0${contents}`).digest('base64url').slice(0, 22);
}

/**
 * @param {string} file
 * @returns {Promise<Manifest>}
 */
async function readManifest(file) {
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8'));
    if (manifest.format === FORMAT && typeof manifest.files === 'object') return manifest;
  } catch {
    // missing or unreadable: start afresh
  }
  return { format: FORMAT, files: {} };
}

/**
 * Servers started side by side may write the same file: each writes its own copy, then renames,
 * so no process ever imports a half-written output.
 *
 * @example
 * await writeAtomically('/srv/node_modules/.cache/vitrine/app-1a2b.mjs', code);
 *
 * @param {string} file
 * @param {string | Uint8Array} data
 */
export async function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/**
 * The nearest folder above `file` that has a `node_modules` folder: outputs (and worker bundles)
 * live under it, so the packages they import resolve exactly as they do for the sources.
 *
 * @example
 * cacheRoot('/srv/vitrine/apps/fashion-mnist/app.ts'); // '/srv/vitrine'
 *
 * @param {string} file
 */
export function cacheRoot(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules' && existsSync(join(dir, 'node_modules'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}
