/**
 * TF.js's packages, loaded with require(). They ship as CommonJS bundles of 1–2 MB each; imported
 * as ES modules, Node first scans every byte of each for its export names (cjs-module-lexer):
 * measured 218–294 ms for core + layers + the WASM backend against 73–75 ms with require(), paid
 * by every worker thread at start-up. Types still come from the packages' own declarations.
 */
import { createRequire } from 'node:module';
import type * as Core from '@tensorflow/tfjs-core';
import type * as Layers from '@tensorflow/tfjs-layers';

const requireCjs = createRequire(import.meta.url);

export const core = requireCjs('@tensorflow/tfjs-core') as typeof Core;
export const layers = requireCjs('@tensorflow/tfjs-layers') as typeof Layers;

/**
 * Loads a backend package, which registers itself with core; throws when it is not installed.
 *
 * @example
 * loadBackendPackage('@tensorflow/tfjs-backend-wasm');
 * await core.setBackend('wasm');
 */
export function loadBackendPackage(name: '@tensorflow/tfjs-node' | '@tensorflow/tfjs-backend-wasm' | '@tensorflow/tfjs-backend-cpu'): void {
  requireCjs(name);
}
