/** Vitrine's public API: declare an Interface from components, then build or serve it. */
import type { FastifyInstance } from 'fastify';
import type { BuildOptions, ServeOptions } from './server/app.ts';
export { Interface, type InterfaceOptions, type VitrineInterface, type InputsOf, type OutputsOf, type BatchOptions, type QueueOptions } from './interface.ts';
export * from './components/index.ts';
export { VitrineError, ERRORS, type ErrorCode, type ErrorBody } from './errors.ts';
export type { RawImage, ImageLimits } from './image/index.ts';
export type { BuildOptions, ServeOptions, AppMount } from './server/app.ts';

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
  return (await server()).serve(opts);
}
