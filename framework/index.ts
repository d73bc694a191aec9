/** Vitrine's public API: declare an Interface from components, then build or serve it. */
import { enableCompileCache } from 'node:module';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { BuildOptions, ServeOptions } from './server/app.ts';
// Declaring apps (Interface, the components, images, errors): the same API a browser gets.
export * from './browser.ts';
export type { BuildOptions, ServeOptions, AppMount } from './server/app.ts';
export type { GradioOptions } from './server/gradio/plugin.ts';

/**
 * Fastify, its plugins and the pages are loaded on the first call to {@link buildApp} or
 * {@link serve}, not when this module is imported: pool workers import app modules, which import
 * this one, and need none of the server (≈ 150 ms and 6 MB per worker).
 */
const server = () => import('./server/app.ts');

/** Assembles a Fastify server of one or more interfaces (see server/app.ts). */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  return (await server()).buildApp(opts);
}

/** Builds the server, listens, and shuts down gracefully on SIGTERM/SIGINT (see server/app.ts). */
export async function serve(opts: ServeOptions): Promise<FastifyInstance> {
  // Node's compile cache keeps stripped and compiled modules between starts; workers share it
  // (runtime/prestart.ts). Idempotent: an entry point may have turned it on already.
  enableCompileCache();
  // The first worker of the first apps starts loading its model now, while this thread loads
  // Fastify and the apps' Interfaces; the app's pool adopts it (runtime/prestart.ts).
  // This thread keeps a core to itself: it is the longer of the two paths to the first answer.
  const [{ moduleHref }, { prestartWorker }] = await Promise.all([import('./runtime/pool.ts'), import('./runtime/prestart.ts')]);
  const early = opts.apps.filter((m) => m.module !== undefined && m.workers !== 0).slice(0, availableParallelism() - 1);
  for (const mount of early) prestartWorker(moduleHref(mount.module!), mount.exportName);
  return (await server()).serve(opts);
}
