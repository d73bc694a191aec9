/** An app's own component elements: bundled with esbuild when the app is mounted, served beside the built-in ones under `{assets}/elements/custom/`. */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyComponent } from '../components/base.ts';
import { announceLoadedFiles } from '../runtime/loaded-files.ts';
import { UI_SOURCE_DIR } from './ui-build.ts';

/** The folder, inside the bundle's, that an app's own elements are served from. */
export const CUSTOM_ELEMENTS_DIR = 'elements/custom';

/**
 * Where the page loads a component's own element, relative to the bundle's folder: named after
 * the kind and the module's URL, so two apps' kinds never share a file.
 *
 * @example
 * customElementPath(Rating()); // 'elements/custom/rating-3f2a9c1e.js'
 */
export function customElementPath(component: Pick<AnyComponent, 'kind' | 'element'>): string {
  const hash = createHash('sha256').update(component.element).digest('hex').slice(0, 8);
  return `${CUSTOM_ELEMENTS_DIR}/${component.kind}-${hash}.js`;
}

/** True when a component's element is a module of the app's own (a URL), not a built-in element's name. */
export function hasCustomElement(component: Pick<AnyComponent, 'element'>): boolean {
  return !/^[a-z][a-z0-9-]*$/.test(component.element);
}

/**
 * Bundles the custom elements of `components` (each module once, Lit and `vitrine/ui` inside) into a
 * new temporary folder, laid out as the page asks for them; undefined when there are none.
 * A module that does not build stops the mount with esbuild's first message.
 *
 * @example
 * const dir = await bundleCustomElements(iface.inputs.map((i) => i.component));
 */
export async function bundleCustomElements(components: readonly AnyComponent[]): Promise<{ dir: string; dispose(): Promise<void> } | undefined> {
  const custom = new Map<string, string>();
  for (const c of components) if (hasCustomElement(c)) custom.set(customElementPath(c), c.element);
  if (custom.size === 0) return undefined;
  const { build } = await import('esbuild').catch(() => {
    throw new Error('an app defines a component with its own element; bundling it needs the esbuild package (npm install esbuild)');
  });
  const dir = await mkdtemp(join(tmpdir(), 'vitrine-elements-'));
  try {
    for (const [path, module] of custom) {
      const entry = module.startsWith('file:') ? fileURLToPath(module) : module;
      const result = await build({
        metafile: true,
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: ['es2022'],
        minify: true,
        outfile: join(dir, path),
        // In a checkout `vitrine/ui` resolves to the sources; an installed package ships dist/ui/lib.js.
        conditions: existsSync(UI_SOURCE_DIR) ? ['vitrine-source'] : [],
        logLevel: 'silent',
      }).catch((err: unknown) => {
        const first = (err as { errors?: Array<{ text: string }> }).errors?.[0]?.text;
        throw new Error(`the element module ${entry} does not build: ${first ?? String(err)}`);
      });
      if (result.errors.length > 0) throw new Error(`the element module ${entry} does not build: ${result.errors[0]!.text}`);
      // Under --reload, saving the element (or a module of the app's it imports) restarts the server.
      const read = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
      announceLoadedFiles(read.map((f) => resolve(f)));
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}
