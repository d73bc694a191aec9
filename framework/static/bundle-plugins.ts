/** esbuild plugins of `vitrine build`: the files an app reaches with `new URL('./…', import.meta.url)` go along with its bundle, and a Node-only import becomes one line naming it. */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { builtinModules } from 'node:module';
import type { Message, Plugin } from 'esbuild';

/** An app reaches something that cannot run in a browser; the message is one line naming the import. */
export class NotForBrowserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotForBrowserError';
  }
}

/** `new URL('./relative', import.meta.url)` with a plain string: the way an app names a file next to its code (Vite bundles the same pattern). */
const ASSET_URL = /new URL\(\s*(['"])(\.{1,2}\/[^'"`$\\]*)\1\s*,\s*import\.meta\.url\s*\)/g;
const LOADERS = { '.ts': 'ts', '.mts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.jsx': 'jsx' } as const;

/**
 * Copies each file or folder that source files outside node_modules reach with
 * `new URL('./x', import.meta.url)` into `<outdir>/assets/<name>-<hash>/`, and points the URL
 * there; the bundle's files all sit in `outdir`, so `import.meta.url` resolves the same in every
 * chunk. A target that does not exist is left alone. `copied` collects what was copied.
 *
 * @example
 * await build({ …, outdir: 'site/app', plugins: [assetUrls('site/app', copied)] });
 */
export function assetUrls(outdir: string, copied: Map<string, string>): Plugin {
  return {
    name: 'vitrine-asset-urls',
    setup(build) {
      build.onLoad({ filter: /\.(m?[jt]sx?)$/ }, async (args) => {
        if (args.path.split(sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const pending: Array<Promise<unknown>> = [];
        const contents = source.replace(ASSET_URL, (whole, quote: string, rel: string) => {
          const target = resolve(dirname(args.path), rel);
          if (!existsSync(target)) return whole;
          const key = `${basename(target)}-${createHash('sha256').update(target).digest('hex').slice(0, 8)}`;
          const dest = join(outdir, 'assets', key, basename(target));
          if (!copied.has(target)) {
            copied.set(target, dest);
            pending.push(cp(target, dest, { recursive: statSync(target).isDirectory() }));
          }
          return `new URL(${quote}./assets/${key}/${basename(target)}${rel.endsWith('/') ? '/' : ''}${quote}, import.meta.url)`;
        });
        await Promise.all(pending);
        const ext = /\.[^.]+$/.exec(args.path)![0] as keyof typeof LOADERS;
        return { contents, loader: LOADERS[ext] };
      });
    },
  };
}

/** Who imported each resolved file, and by what specifier: to walk a failure inside a package back to the app's import. */
export type ImportGraph = Map<string, { importer: string; specifier: string }>;

/**
 * Records, for every resolved file, the file that imported it (esbuild reports a missing Node
 * built-in where the package uses it, deep in node_modules; the user needs the import in their code).
 *
 * @example
 * const graph: ImportGraph = new Map();
 * await build({ …, plugins: [recordImports(graph)] });
 */
export function recordImports(graph: ImportGraph): Plugin {
  return {
    name: 'vitrine-import-graph',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if ((args.pluginData as { inner?: boolean } | undefined)?.inner || args.kind === 'entry-point') return undefined;
        const result = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { inner: true } });
        if (result.errors.length === 0 && result.path && !graph.has(result.path)) graph.set(result.path, { importer: args.importer, specifier: args.path });
        if (result.errors.length === 0) return result;
        // A package's `import()` of a package that is not installed is an optional codec or
        // backend it tries at run time (@audio/decode's), not something the app reaches here.
        const optional = args.kind === 'dynamic-import' && args.importer.split(sep).includes('node_modules') && !isBuiltin(args.path);
        return optional ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/**
 * Turns esbuild's first error into one line: for an unresolvable import (a Node built-in, a
 * native package), the first import outside node_modules that leads to it, and what it needed.
 *
 * @example
 * notForBrowser(errors, graph, '/repo'); // NotForBrowserError('apps/bad/app.ts imports "node:fs", which runs only in Node …')
 */
export function notForBrowser(errors: readonly Message[], graph: ImportGraph, cwd: string): NotForBrowserError {
  const first = errors[0];
  if (!first) return new NotForBrowserError('the browser bundle failed with no message from esbuild');
  const missing = /Could not resolve "([^"]+)"/.exec(first.text)?.[1];
  const where = first.location ? resolve(cwd, first.location.file) : undefined;
  if (missing === undefined || where === undefined) {
    const at = first.location ? `${first.location.file}:${first.location.line}: ` : '';
    return new NotForBrowserError(`the browser bundle failed: ${at}${first.text}`);
  }
  const show = (file: string) => relative(cwd, file) || file;
  let file = where;
  let specifier = missing;
  for (let hops = 0; file.split(sep).includes('node_modules') && hops < 100; hops++) {
    const parent = graph.get(file);
    if (!parent) break;
    file = parent.importer;
    specifier = parent.specifier;
  }
  const needs = specifier === missing ? '' : ` (it needs "${missing}")`;
  const line = file === where && first.location ? `:${first.location.line}` : '';
  if (!isBuiltin(missing)) return new NotForBrowserError(`${show(file)}${line} imports "${specifier}"${needs}, which cannot be found: is it installed?`);
  return new NotForBrowserError(
    `${show(file)}${line} imports "${specifier}"${needs}, which runs only in Node: a static build runs the app in the browser; give that module a browser counterpart under the "browser" condition`,
  );
}

/** True for `fs`, `node:fs`, `fs/promises` and the like. */
function isBuiltin(specifier: string): boolean {
  const name = specifier.replace(/^node:/, '');
  return specifier.startsWith('node:') || builtinModules.includes(name) || builtinModules.includes(name.split('/')[0]!);
}
