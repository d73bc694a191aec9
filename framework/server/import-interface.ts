/** Finds a mounted module's Interface: the main thread imports the module for its config; workers import it again by path. */
import { fileURLToPath } from 'node:url';
import { isInterface, type VitrineInterface } from '../interface.ts';
import { moduleHref } from '../runtime/pool.ts';

/**
 * A module does not export an Interface under the expected name; `found` lists the exports that
 * are Interfaces, so a message can say which name to use.
 */
export class NoInterfaceError extends Error {
  /** The module's path. */
  readonly module: string;
  readonly exportName: string;
  readonly found: string[];

  constructor(module: string, exportName: string, found: string[]) {
    const hint = found.length > 0 ? `; its Interfaces are exported as ${found.map((n) => `"${n}"`).join(', ')}` : '';
    super(`${module} does not export an Interface as "${exportName}"${hint}`);
    this.name = 'NoInterfaceError';
    this.module = module;
    this.exportName = exportName;
    this.found = found;
  }
}

/**
 * Imports `module` and returns its Interface (the default export unless `exportName` says otherwise).
 *
 * @example
 * const iface = await importInterface({ module: './apps/image-effects/app.ts' });
 */
export async function importInterface(mount: { module?: string | URL | undefined; exportName?: string | undefined }): Promise<VitrineInterface> {
  if (!mount.module) throw new Error('each app needs `interface` or `module`');
  const href = moduleHref(mount.module);
  const mod = (await import(href)) as Record<string, unknown>;
  const exportName = mount.exportName ?? 'default';
  const iface = mod[exportName];
  if (!isInterface(iface)) {
    throw new NoInterfaceError(fileURLToPath(href), exportName, Object.keys(mod).filter((name) => isInterface(mod[name])));
  }
  return iface;
}
